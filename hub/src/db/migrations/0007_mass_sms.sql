-- SMS through Twilio (issue 6 item 4): opt-outs by keyword, and mass SMS with retries.

-- A citizen who texted ALTO/STOP/BAJA/CANCELAR/UNSUBSCRIBE to a channel's number: every later
-- send to that number on that channel (agent replies, mass SMS) is refused until START/ALTA/
-- REANUDAR removes the row. Phones are E.164 (contacts/identity-normalize.ts).
CREATE TABLE sms_opt_outs (
  channel_id  uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  phone       text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  keyword     text NOT NULL CHECK (char_length(keyword) BETWEEN 1 AND 40),
  at          timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (channel_id, phone)
);

CREATE TABLE mass_sms (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id          uuid NOT NULL REFERENCES campaigns(id),
  channel_id           uuid NOT NULL REFERENCES channels(id),
  name                 text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  body                 text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 1600),
  status               text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','scheduled','sending','paused','completed','cancelled')),
  scheduled_at         timestamptz(3),
  rate_per_minute      integer NOT NULL DEFAULT 60 CHECK (rate_per_minute BETWEEN 1 AND 60000),
  max_attempts         integer NOT NULL DEFAULT 2 CHECK (max_attempts BETWEEN 1 AND 5),
  retry_delay_seconds  integer NOT NULL DEFAULT 300 CHECK (retry_delay_seconds BETWEEN 0 AND 86400),
  created_by           uuid REFERENCES users(id),
  created_at           timestamptz(3) NOT NULL DEFAULT now(),
  started_at           timestamptz(3),
  completed_at         timestamptz(3),
  updated_at           timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX mass_sms_campaign_idx ON mass_sms (campaign_id, created_at DESC);

-- Lifecycle: pending → sent → delivered | undelivered | failed. A non-delivery a later attempt
-- can cure puts the row back to pending with next_attempt_at, until max_attempts.
CREATE TABLE mass_sms_recipients (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  mass_sms_id          uuid NOT NULL REFERENCES mass_sms(id) ON DELETE CASCADE,
  phone                text NOT NULL,
  name                 text,
  variables            jsonb NOT NULL DEFAULT '{}'::jsonb,
  status               text NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending','sent','delivered','undelivered','failed','opted_out','invalid')),
  attempts             integer NOT NULL DEFAULT 0,
  next_attempt_at      timestamptz(3),
  provider_message_id  text,
  error_code           text,
  error                text,
  sent_at              timestamptz(3),
  delivered_at         timestamptz(3),
  failed_at            timestamptz(3),
  created_at           timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (mass_sms_id, phone)
);
CREATE INDEX mass_sms_recipients_status_idx ON mass_sms_recipients (mass_sms_id, status, next_attempt_at);
CREATE UNIQUE INDEX mass_sms_recipients_sid_idx ON mass_sms_recipients (provider_message_id) WHERE provider_message_id IS NOT NULL;
