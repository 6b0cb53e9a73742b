-- Citas, lifecycle (issue 11, third increment): what booking on a channel, confirming, attending,
-- mirroring to an institution's own calendar and document pre-review need on the appointment row,
-- and the history kinds they write.
--  - birth_date: the citizen identifies with NSS or CURP + birth date (seed-digest §9.1);
--  - conversation_id: the conversation the booking came from, so reminders and notices go back on
--    the channel the citizen used;
--  - case_id: the procedure case (trámite) whose documents were approved before booking
--    (0027; the foreign key is added there);
--  - external_ref: the booking's id in an external scheduling system (0029);
--  - confirmed_at / attended_at: when the citizen confirmed, when the visit was recorded.
ALTER TABLE appointments
  ADD COLUMN birth_date       date,
  ADD COLUMN conversation_id  uuid REFERENCES conversations(id),
  ADD COLUMN case_id          uuid,
  ADD COLUMN external_ref     text CHECK (external_ref IS NULL OR char_length(external_ref) BETWEEN 1 AND 200),
  ADD COLUMN confirmed_at     timestamptz(3),
  ADD COLUMN attended_at      timestamptz(3);
CREATE INDEX appointments_conversation_idx ON appointments (conversation_id) WHERE conversation_id IS NOT NULL;
CREATE INDEX appointments_contact_idx ON appointments (contact_id, starts_at) WHERE contact_id IS NOT NULL;

ALTER TABLE appointment_events DROP CONSTRAINT appointment_events_kind_check;
ALTER TABLE appointment_events ADD CONSTRAINT appointment_events_kind_check CHECK (kind IN (
  'appointment.booked', 'appointment.cancelled', 'appointment.confirmed', 'appointment.attended', 'appointment.no_show',
  'appointment.reminder_sent', 'appointment.confirmation_requested', 'appointment.survey_sent',
  'appointment.mirrored', 'appointment.mirror_failed', 'appointment.reconciled'));
ALTER TABLE appointment_events DROP CONSTRAINT appointment_events_actor_kind_check;
ALTER TABLE appointment_events ADD CONSTRAINT appointment_events_actor_kind_check CHECK (actor_kind IN ('user', 'bot', 'portal', 'citizen', 'system', 'external'));
