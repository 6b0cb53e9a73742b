-- Voicemail and call-backs (issue 8 items 5 and 6). A voicemail is a recording left by a caller;
-- it becomes a conversation in the campaign's queue (an inbound audio message). A call-back is an
-- outbound call task: a queued voice conversation the router offers; once an agent has it, the
-- dialer calls the citizen into the conversation's conference.

CREATE TABLE voice_voicemails (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  channel_id       uuid NOT NULL REFERENCES channels(id),
  conversation_id  uuid NOT NULL REFERENCES conversations(id),
  folio            text NOT NULL,
  call_sid         text NOT NULL CHECK (call_sid ~ '^CA[0-9a-f]{32}$'),
  recording_sid    text NOT NULL UNIQUE CHECK (recording_sid ~ '^RE[0-9a-f]{32}$'),
  recording_url    text NOT NULL,
  duration_seconds integer NOT NULL CHECK (duration_seconds >= 0),
  from_number      text NOT NULL,
  outside_hours    boolean NOT NULL DEFAULT false,
  recorded_at      timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX voice_voicemails_day_idx ON voice_voicemails (campaign_id, recorded_at);
CREATE INDEX voice_voicemails_conversation_idx ON voice_voicemails (conversation_id);

CREATE TABLE voice_callbacks (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  channel_id       uuid NOT NULL REFERENCES channels(id),
  conversation_id  uuid NOT NULL REFERENCES conversations(id),
  source           text NOT NULL CHECK (source IN ('web','api','queue','voicemail','ivr')),
  phone            text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  name             text CHECK (name IS NULL OR char_length(name) <= 200),
  note             text CHECK (note IS NULL OR char_length(note) <= 1000),
  requested_at     timestamptz(3) NOT NULL DEFAULT now(),
  -- Not offered to an agent before this (a retry waits here; the conversation waits with it).
  due_at           timestamptz(3) NOT NULL DEFAULT now(),
  status           text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending','queued','dialing','connected','completed','failed','cancelled')),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts     integer NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 10),
  outcome          text,
  last_call_sid    text,
  agent_id         uuid REFERENCES users(id),
  origin_call_sid  text,
  voicemail_id     uuid REFERENCES voice_voicemails(id),
  requested_by     uuid REFERENCES users(id),
  updated_at       timestamptz(3) NOT NULL DEFAULT now()
);
-- The dialer's claims: due work first, skipping rows another process holds.
CREATE INDEX voice_callbacks_due_idx ON voice_callbacks (due_at) WHERE status IN ('pending','queued');
CREATE INDEX voice_callbacks_campaign_idx ON voice_callbacks (campaign_id, requested_at DESC);
CREATE INDEX voice_callbacks_conversation_idx ON voice_callbacks (conversation_id);
-- One open call-back per conversation: a second request for the same folio is the same task.
CREATE UNIQUE INDEX voice_callbacks_one_open_idx ON voice_callbacks (conversation_id) WHERE status IN ('pending','queued','dialing','connected');
CREATE UNIQUE INDEX voice_callbacks_call_idx ON voice_callbacks (last_call_sid) WHERE last_call_sid IS NOT NULL;
