-- Voice bridge, agent leg (issue 8): how each agent takes calls, the conference of each voice
-- conversation, every agent / third-party leg dialed into it, and the dual-channel recordings
-- linked to the folio. What happens on the call is still logged as `call.*` interaction events.

-- How an agent takes calls when not on the channel's default (the softphone): their phone or SIP address.
CREATE TABLE voice_agent_endpoints (
  user_id     uuid PRIMARY KEY REFERENCES users(id),
  kind        text NOT NULL CHECK (kind IN ('client','phone','sip')),
  address     text CHECK (
                (kind = 'client' AND address IS NULL)
                OR (kind = 'phone' AND address ~ '^\+[1-9][0-9]{6,14}$')
                OR (kind = 'sip' AND address ~ '^sip:[^@\s]+@[^\s]+$')
              ),
  updated_by  uuid REFERENCES users(id),
  updated_at  timestamptz(3) NOT NULL DEFAULT now()
);

-- One conference per voice conversation (name = conferenceNameOf(conversation id)); where the
-- citizen's leg is: still in Twilio's queue, being redirected, in the conference (on hold between
-- agents after a transfer), or gone. `recording_sid` once the citizen's call is being recorded.
CREATE TABLE voice_conferences (
  conversation_id   uuid PRIMARY KEY REFERENCES conversations(id),
  channel_id        uuid NOT NULL REFERENCES channels(id),
  campaign_id       uuid NOT NULL REFERENCES campaigns(id),
  name              text NOT NULL UNIQUE,
  conference_sid    text,
  citizen_call_sid  text NOT NULL,
  caller_state      text NOT NULL DEFAULT 'queue' CHECK (caller_state IN ('queue','joining','conference','ended')),
  on_hold           boolean NOT NULL DEFAULT false,
  recording_sid     text,
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  updated_at        timestamptz(3) NOT NULL DEFAULT now()
);

-- Every leg the hub dials into a conference: the assigned agent (one per offer: the claim that
-- makes the connector safe across processes) or a third party an agent adds.
CREATE TABLE voice_agent_legs (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id   uuid NOT NULL REFERENCES conversations(id),
  offer_id          uuid,
  role              text NOT NULL DEFAULT 'agent' CHECK (role IN ('agent','third_party')),
  agent_id          uuid NOT NULL REFERENCES users(id),
  channel_id        uuid NOT NULL REFERENCES channels(id),
  citizen_call_sid  text NOT NULL,
  call_sid          text UNIQUE CHECK (call_sid IS NULL OR call_sid ~ '^CA[0-9a-f]{32}$'),
  to_address        text NOT NULL,
  state             text NOT NULL DEFAULT 'dialing' CHECK (state IN ('dialing','ringing','talking','ended','failed')),
  end_reason        text,
  transfer          jsonb,
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  joined_at         timestamptz(3),
  ended_at          timestamptz(3)
);
CREATE UNIQUE INDEX voice_agent_legs_one_per_offer_idx ON voice_agent_legs (conversation_id, offer_id) WHERE role = 'agent';
CREATE INDEX voice_agent_legs_live_idx ON voice_agent_legs (conversation_id) WHERE ended_at IS NULL;

-- Dual-channel recordings (citizen / agents), linked to the folio (seed §1.6).
CREATE TABLE voice_recordings (
  recording_sid    text PRIMARY KEY CHECK (recording_sid ~ '^RE[0-9a-f]{32}$'),
  call_sid         text NOT NULL,
  conversation_id  uuid NOT NULL REFERENCES conversations(id),
  folio            text NOT NULL,
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  channel_id       uuid NOT NULL REFERENCES channels(id),
  channels         integer NOT NULL DEFAULT 2 CHECK (channels IN (1, 2)),
  duration         integer,
  url              text,
  status           text NOT NULL DEFAULT 'in-progress',
  agent_ids        uuid[] NOT NULL DEFAULT '{}',
  started_at       timestamptz(3) NOT NULL DEFAULT now(),
  completed_at     timestamptz(3)
);
CREATE INDEX voice_recordings_conversation_idx ON voice_recordings (conversation_id);
CREATE INDEX voice_recordings_folio_idx ON voice_recordings (campaign_id, folio);
