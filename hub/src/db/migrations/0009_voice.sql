-- Voice bridge (issue 8): IVR trees per campaign, Twilio call legs. What happens on a call is
-- logged in interaction_events as `call.*` events (payload.callSid): usage facts and KPIs are
-- derived from them, like every other channel's.

-- IVR trees as data, versioned like bot models: one draft at a time is edited, one production
-- version answers calls; promoting archives the previous production version.
CREATE TABLE ivr_models (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id   uuid NOT NULL REFERENCES campaigns(id),
  version       integer NOT NULL CHECK (version >= 1),
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','production','archived')),
  tree          jsonb NOT NULL,
  note          text CHECK (note IS NULL OR char_length(note) <= 500),
  created_by    uuid REFERENCES users(id),
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  updated_at    timestamptz(3) NOT NULL DEFAULT now(),
  promoted_at   timestamptz(3),
  promoted_by   uuid REFERENCES users(id),
  UNIQUE (campaign_id, version)
);
CREATE UNIQUE INDEX ivr_models_one_production_idx ON ivr_models (campaign_id) WHERE status = 'production';
CREATE UNIQUE INDEX ivr_models_one_draft_idx ON ivr_models (campaign_id) WHERE status = 'draft';

-- One row per Twilio call leg: the citizen's inbound call, an agent's leg, a call-back, a
-- blaster call, a supervisor's or a third party's leg. `ivr_state`/`outcome` are the voice
-- bridge's CallRecord; `event_count` how many of its events are already in interaction_events.
CREATE TABLE voice_calls (
  call_sid         text PRIMARY KEY CHECK (call_sid ~ '^CA[0-9a-f]{32}$'),
  channel_id       uuid NOT NULL REFERENCES channels(id),
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  conversation_id  uuid REFERENCES conversations(id),
  kind             text NOT NULL DEFAULT 'inbound'
                   CHECK (kind IN ('inbound','agent_leg','callback','blaster','supervisor_leg','third_party')),
  direction        text NOT NULL DEFAULT 'inbound' CHECK (direction IN ('inbound','outbound')),
  from_number      text NOT NULL,
  to_number        text NOT NULL,
  status           text NOT NULL,
  ivr_state        jsonb,
  outcome          jsonb,
  event_count      integer NOT NULL DEFAULT 0,
  agent_id         uuid REFERENCES users(id),
  parent_call_sid  text,
  conference_name  text,
  conference_sid   text,
  started_at       timestamptz(3) NOT NULL DEFAULT now(),
  ended_at         timestamptz(3),
  twilio_duration  integer,
  updated_at       timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX voice_calls_conversation_idx ON voice_calls (conversation_id) WHERE conversation_id IS NOT NULL;
CREATE INDEX voice_calls_parent_idx ON voice_calls (parent_call_sid) WHERE parent_call_sid IS NOT NULL;
CREATE INDEX voice_calls_live_idx ON voice_calls (campaign_id, status) WHERE ended_at IS NULL;
CREATE INDEX voice_calls_started_idx ON voice_calls (campaign_id, started_at);

-- The call events of one call leg, in order (metering and the call timeline read them).
CREATE INDEX interaction_events_call_idx ON interaction_events ((payload->>'callSid'), id) WHERE type LIKE 'call.%';
