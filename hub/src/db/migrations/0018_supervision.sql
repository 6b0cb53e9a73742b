-- Supervisor intervention in a live session (issue 9 item 5, seed-digest §8.3): monitor, whisper,
-- barge and takeover on every channel. Barge messages are ordinary `messages` rows (sender = the
-- supervisor); what is stored here never reaches the citizen.

-- A supervisor watching one conversation, from start to stop (or takeover / the session's end).
-- mode: what the supervisor's live leg does on a call (voice); text sessions stay 'monitor'.
CREATE TABLE supervision_sessions (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id  uuid NOT NULL REFERENCES conversations(id),
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  supervisor_id    uuid NOT NULL REFERENCES users(id),
  -- The assignee when monitoring started.
  agent_id         uuid REFERENCES users(id),
  mode             text NOT NULL DEFAULT 'monitor' CHECK (mode IN ('monitor','whisper','barge')),
  -- The supervisor's call leg (voice only).
  call_sid         text,
  started_at       timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  ended_at         timestamptz(3),
  end_cause        text CHECK (end_cause IN ('stopped','takeover')),
  CHECK ((ended_at IS NULL) = (end_cause IS NULL))
);
-- One open session per supervisor and conversation.
CREATE UNIQUE INDEX supervision_sessions_open_idx ON supervision_sessions (conversation_id, supervisor_id) WHERE ended_at IS NULL;
CREATE INDEX supervision_sessions_campaign_idx ON supervision_sessions (campaign_id, started_at);

-- A message only the assignee (and supervising staff) sees: never a `messages` row, never sent.
CREATE TABLE supervision_whispers (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id  uuid NOT NULL REFERENCES conversations(id),
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  supervisor_id    uuid NOT NULL REFERENCES users(id),
  agent_id         uuid NOT NULL REFERENCES users(id),
  body             text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
  created_at       timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX supervision_whispers_conversation_idx ON supervision_whispers (conversation_id, created_at);

-- Takeovers with their reason (a code from the list plus free text): the tier-2 / reasons report reads them.
CREATE TABLE supervision_takeovers (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id  uuid NOT NULL REFERENCES conversations(id),
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  supervisor_id    uuid NOT NULL REFERENCES users(id),
  from_agent_id    uuid NOT NULL REFERENCES users(id),
  reason_code      text NOT NULL,
  reason_text      text CHECK (reason_text IS NULL OR char_length(reason_text) <= 500),
  created_at       timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX supervision_takeovers_campaign_idx ON supervision_takeovers (campaign_id, created_at);
