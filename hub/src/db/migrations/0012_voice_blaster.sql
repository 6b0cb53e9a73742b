-- The blaster (issue 8 item 7; seed §1.6): outbound automated voice-message campaigns with keypad
-- options (talk to an agent, confirm, decline, repeat, opt out), a schedule, a daily calling
-- window in Mexico City time, a pace and a cap of simultaneous calls, retries for no-answer/busy.

CREATE TABLE voice_blasts (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id          uuid NOT NULL REFERENCES campaigns(id),
  channel_id           uuid NOT NULL REFERENCES channels(id),
  name                 text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  -- Text-to-speech (es-MX) with {variables} of the recipient row, or a recorded message.
  message_text         text CHECK (message_text IS NULL OR char_length(message_text) BETWEEN 1 AND 2000),
  audio_url            text CHECK (audio_url IS NULL OR audio_url ~ '^https?://'),
  -- {"1":"agent","2":"confirm",…}: one key → one action.
  options              jsonb NOT NULL DEFAULT '{}'::jsonb,
  queue_id             uuid REFERENCES queues(id),
  status               text NOT NULL DEFAULT 'draft'
                       CHECK (status IN ('draft','scheduled','running','paused','completed','cancelled')),
  start_at             timestamptz(3),
  -- Minutes after midnight in America/Mexico_City; both null = any time of day.
  window_start_minute  integer CHECK (window_start_minute BETWEEN 0 AND 1439),
  window_end_minute    integer CHECK (window_end_minute BETWEEN 1 AND 1440),
  calls_per_minute     integer NOT NULL DEFAULT 10 CHECK (calls_per_minute BETWEEN 1 AND 600),
  max_concurrent       integer NOT NULL DEFAULT 5 CHECK (max_concurrent BETWEEN 1 AND 500),
  max_attempts         integer NOT NULL DEFAULT 2 CHECK (max_attempts BETWEEN 1 AND 5),
  retry_delay_seconds  integer NOT NULL DEFAULT 1800 CHECK (retry_delay_seconds BETWEEN 0 AND 86400),
  machine_policy       text NOT NULL DEFAULT 'leave_message' CHECK (machine_policy IN ('leave_message','hang_up')),
  -- When the last call went out (the database's clock): the pace is checked on it right before each call.
  last_dial_at         timestamptz(3),
  created_by           uuid REFERENCES users(id),
  created_at           timestamptz(3) NOT NULL DEFAULT now(),
  started_at           timestamptz(3),
  completed_at         timestamptz(3),
  updated_at           timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (message_text IS NOT NULL OR audio_url IS NOT NULL),
  CHECK ((window_start_minute IS NULL) = (window_end_minute IS NULL)),
  CHECK (window_start_minute IS NULL OR window_start_minute < window_end_minute)
);
CREATE INDEX voice_blasts_campaign_idx ON voice_blasts (campaign_id, created_at DESC);
CREATE INDEX voice_blasts_live_idx ON voice_blasts (status) WHERE status IN ('scheduled','running');

-- pending → calling → answered | machine | no_answer | busy | failed (a no-answer or busy with
-- attempts left goes back to pending with next_attempt_at); answered → confirmed | declined |
-- transferred | opted_out by the keypad. `in_call` while Twilio has the leg (max simultaneous).
CREATE TABLE voice_blast_recipients (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  blast_id         uuid NOT NULL REFERENCES voice_blasts(id) ON DELETE CASCADE,
  line             integer NOT NULL,
  phone            text NOT NULL,
  name             text,
  variables        jsonb NOT NULL DEFAULT '{}'::jsonb,
  status           text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending','calling','answered','confirmed','declined','transferred','no_answer','busy','failed','machine','opted_out','invalid')),
  digits           text,
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz(3),
  call_sid         text,
  in_call          boolean NOT NULL DEFAULT false,
  call_started_at  timestamptz(3),
  last_error       text,
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  updated_at       timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (blast_id, phone)
);
CREATE INDEX voice_blast_recipients_due_idx ON voice_blast_recipients (blast_id, status, next_attempt_at);
CREATE INDEX voice_blast_recipients_live_idx ON voice_blast_recipients (blast_id) WHERE in_call;
CREATE UNIQUE INDEX voice_blast_recipients_sid_idx ON voice_blast_recipients (call_sid) WHERE call_sid IS NOT NULL;

-- Numbers that asked not to be called again (keypad opt-out): honoured by every later blast of the campaign.
CREATE TABLE voice_do_not_call (
  campaign_id  uuid NOT NULL REFERENCES campaigns(id),
  phone        text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  blast_id     uuid REFERENCES voice_blasts(id) ON DELETE SET NULL,
  at           timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, phone)
);
