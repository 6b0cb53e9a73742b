-- Citas (issue 11, second increment; seed-digest §9.2): the calendar the pure rule engine reads
-- (appointments/rules/) stored per campaign as versioned JSON validated by
-- appointments/booking/calendar.schema.ts, the appointments themselves, and their append-only
-- history. The partial UNIQUE index makes a double booking of one room impossible at the database,
-- whatever the application does.

CREATE TABLE appointment_calendars (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id  uuid NOT NULL REFERENCES campaigns(id),
  version      integer NOT NULL CHECK (version > 0),
  -- AppointmentCalendar: timeZone, offices, rooms (+ serviceIds), services, shifts, blocked, holidays.
  definition   jsonb NOT NULL,
  -- BookingRules overrides (absent keys = DEFAULT_BOOKING_RULES).
  rules        jsonb NOT NULL DEFAULT '{}',
  created_by   uuid REFERENCES users(id),
  created_at   timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (campaign_id, version)
);

-- CITA-YYYYMMDD-NNNNNN: NNNNNN is this sequence modulo 1 000 000 (unique with the date).
CREATE SEQUENCE appointment_folio_seq;

CREATE TABLE appointments (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id        uuid NOT NULL REFERENCES campaigns(id),
  folio              text NOT NULL UNIQUE CHECK (folio ~ '^CITA-[0-9]{8}-[0-9]{6}$'),
  calendar_version   integer NOT NULL,
  -- Ids inside the calendar definition (text keys of the JSON, not foreign keys).
  office_id          text NOT NULL,
  room_id            text NOT NULL,
  service_id         text NOT NULL,
  shift_id           text NOT NULL,
  -- Local date of the start in the calendar's time zone.
  local_date         date NOT NULL,
  starts_at          timestamptz(3) NOT NULL,
  ends_at            timestamptz(3) NOT NULL,
  status             text NOT NULL DEFAULT 'booked'
                     CHECK (status IN ('booked', 'confirmed', 'cancelled', 'attended', 'no_show')),
  contact_id         uuid REFERENCES contacts(id),
  official_id_kind   text NOT NULL CHECK (official_id_kind IN ('nss', 'curp')),
  official_id        text NOT NULL CHECK (
                       (official_id_kind = 'nss' AND official_id ~ '^[0-9]{11}$')
                       OR (official_id_kind = 'curp' AND official_id ~ '^[A-Z]{4}[0-9]{6}[HMX][A-Z]{5}[0-9A-Z][0-9]$')),
  family_group_id    text NOT NULL CHECK (char_length(family_group_id) BETWEEN 1 AND 100),
  channel            text NOT NULL
                     CHECK (channel IN ('whatsapp', 'webchat', 'sms', 'api', 'voice', 'email', 'portal', 'agent')),
  booked_by_kind     text NOT NULL CHECK (booked_by_kind IN ('user', 'bot', 'portal')),
  booked_by_user_id  uuid REFERENCES users(id),
  created_at         timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  cancelled_at       timestamptz(3),
  cancel_reason      text CHECK (cancel_reason IS NULL OR char_length(cancel_reason) BETWEEN 1 AND 500),
  CHECK (ends_at > starts_at),
  CHECK ((booked_by_kind = 'user') = (booked_by_user_id IS NOT NULL)),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
-- Un consultorio, un horario: at most one active appointment per room and start instant.
CREATE UNIQUE INDEX appointments_active_slot_idx ON appointments (campaign_id, room_id, starts_at)
  WHERE status IN ('booked', 'confirmed');
CREATE INDEX appointments_room_day_idx ON appointments (campaign_id, room_id, local_date);
CREATE INDEX appointments_family_idx ON appointments (campaign_id, family_group_id, starts_at);
CREATE INDEX appointments_campaign_start_idx ON appointments (campaign_id, starts_at);

-- Append-only history of each appointment (booked, cancelled, …), written in the same transaction.
CREATE TABLE appointment_events (
  id              bigserial PRIMARY KEY,
  appointment_id  uuid NOT NULL REFERENCES appointments(id),
  campaign_id     uuid NOT NULL REFERENCES campaigns(id),
  kind            text NOT NULL CHECK (kind IN ('appointment.booked', 'appointment.cancelled', 'appointment.confirmed', 'appointment.attended', 'appointment.no_show')),
  actor_kind      text NOT NULL CHECK (actor_kind IN ('user', 'bot', 'portal')),
  actor_user_id   uuid REFERENCES users(id),
  channel         text NOT NULL,
  details         jsonb NOT NULL DEFAULT '{}',
  occurred_at     timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX appointment_events_appointment_idx ON appointment_events (appointment_id, id);
