-- Citas, reminders (issue 11 item 4; seed-digest §9.2 "SMS reminder per appointment", §9.3
-- "confirmation 5 business days ahead", §9.1 post-visit survey): per-campaign settings, one row
-- per appointment and kind of request sent (reminder, confirmation request, survey), the SÍ / NO /
-- score replies handled, and the survey answers. hub/src/appointments/reminders/.

-- One JSON per campaign validated by reminder-settings.schema.ts (absent: the defaults, disabled).
CREATE TABLE appointment_reminder_settings (
  campaign_id  uuid PRIMARY KEY REFERENCES campaigns(id),
  settings     jsonb NOT NULL,
  updated_by   uuid REFERENCES users(id),
  updated_at   timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);

-- A request sent to the citizen. UNIQUE (appointment_id, kind) is the claim: every hub process
-- may run the reminder job, the INSERT … ON CONFLICT DO NOTHING of the winner makes the others
-- skip, so a citizen never gets the same reminder twice.
CREATE TABLE appointment_reminders (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  appointment_id   uuid NOT NULL REFERENCES appointments(id),
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  kind             text NOT NULL CHECK (kind IN ('reminder', 'confirmation', 'survey')),
  -- sent: stored for the outbound worker; failed: no channel could carry it (failure says why).
  status           text NOT NULL CHECK (status IN ('sent', 'failed')),
  conversation_id  uuid REFERENCES conversations(id),
  contact_id       uuid REFERENCES contacts(id),
  channel_kind     text,
  message_id       uuid REFERENCES messages(id),
  failure          text CHECK (failure IS NULL OR char_length(failure) <= 500),
  sent_at          timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  -- The citizen's answer (SÍ / NO to a reminder or confirmation request, a 1–5 score to a survey).
  answer           text CHECK (answer IN ('yes', 'no', 'score')),
  answered_at      timestamptz(3),
  UNIQUE (appointment_id, kind),
  CHECK ((status = 'sent') = (conversation_id IS NOT NULL)),
  CHECK ((answer IS NULL) = (answered_at IS NULL))
);
-- The reply hook: this citizen's requests still waiting for an answer.
CREATE INDEX appointment_reminders_pending_idx ON appointment_reminders (contact_id, sent_at DESC)
  WHERE answered_at IS NULL AND status = 'sent';

-- Inbound messages taken as an answer (idempotency of the ingest hook: a retried job finds it).
CREATE TABLE appointment_replies (
  message_id      uuid PRIMARY KEY REFERENCES messages(id),
  reminder_id     uuid NOT NULL REFERENCES appointment_reminders(id),
  appointment_id  uuid NOT NULL REFERENCES appointments(id),
  answer          text NOT NULL CHECK (answer IN ('yes', 'no', 'score')),
  -- confirmed, already_confirmed, cancelled, cancel_refused, not_active, scored …
  outcome         text NOT NULL CHECK (char_length(outcome) BETWEEN 1 AND 60),
  at              timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);

-- The post-visit satisfaction survey (one answer per appointment).
CREATE TABLE appointment_surveys (
  appointment_id  uuid PRIMARY KEY REFERENCES appointments(id),
  campaign_id     uuid NOT NULL REFERENCES campaigns(id),
  office_id       text NOT NULL,
  score           smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment         text CHECK (comment IS NULL OR char_length(comment) <= 1000),
  message_id      uuid REFERENCES messages(id),
  answered_at     timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX appointment_surveys_campaign_idx ON appointment_surveys (campaign_id, office_id, answered_at);
