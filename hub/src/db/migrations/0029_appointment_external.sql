-- Citas, external scheduling systems (issue 11 item 5; hub/src/appointments/external/): an
-- institution's own calendar reached over a signed REST API, either as the source of truth (every
-- booking and cancellation accepted by it synchronously) or as a mirror (the hub is the source and
-- pushes its history asynchronously); the mirror's per-campaign cursor over appointment_events;
-- the reconciliation runs with their differences.

CREATE TABLE appointment_external_settings (
  campaign_id  uuid PRIMARY KEY REFERENCES campaigns(id),
  mode         text NOT NULL DEFAULT 'builtin' CHECK (mode IN ('builtin', 'source_of_truth', 'mirror')),
  base_url     text CHECK (base_url IS NULL OR char_length(base_url) BETWEEN 8 AND 500),
  -- The HMAC-SHA256 key shared with the institution; typed by an admin, never returned by the API
  -- (like the secrets of channels.secrets).
  secret       text CHECK (secret IS NULL OR char_length(secret) BETWEEN 32 AND 500),
  timeout_ms   integer NOT NULL DEFAULT 5000 CHECK (timeout_ms BETWEEN 500 AND 15000),
  updated_by   uuid REFERENCES users(id),
  updated_at   timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  CHECK (mode = 'builtin' OR (base_url IS NOT NULL AND secret IS NOT NULL))
);

-- The mirror's position in appointment_events (global bigserial ids) per campaign. A pass claims
-- the row (FOR UPDATE SKIP LOCKED, then a lease so no transaction stays open over HTTP), pushes
-- the campaign's events in id order, and stops at a failure until next_attempt_at.
CREATE TABLE appointment_mirror_cursors (
  campaign_id       uuid PRIMARY KEY REFERENCES campaigns(id),
  last_event_id     bigint NOT NULL DEFAULT 0,
  -- A missing id below later ones: in flight (waited for) or rolled back (skipped after a grace).
  gap_event_id      bigint,
  gap_seen_at       timestamptz(3),
  -- The event that failed to reach the institution, its attempts and the next try (backoff).
  failing_event_id  bigint,
  attempts          integer NOT NULL DEFAULT 0,
  next_attempt_at   timestamptz(3),
  last_error        text,
  lease_owner       uuid,
  lease_until       timestamptz(3),
  updated_at        timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE appointment_reconciliation_runs (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id    uuid NOT NULL REFERENCES campaigns(id),
  mode           text NOT NULL CHECK (mode IN ('source_of_truth', 'mirror')),
  trigger        text NOT NULL CHECK (trigger IN ('manual', 'scheduled')),
  actor_user_id  uuid REFERENCES users(id),
  range_from     timestamptz(3) NOT NULL,
  range_to       timestamptz(3) NOT NULL,
  status         text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
  -- { missing_remote, missing_local, status_differs, time_differs, fixed, to_review }
  counts         jsonb NOT NULL DEFAULT '{}',
  -- [{ kind, folio, appointmentId, externalRef, roomId, local: {…}, remote: {…}, action }]: no personal data.
  differences    jsonb NOT NULL DEFAULT '[]',
  error          text,
  started_at     timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  finished_at    timestamptz(3),
  CHECK (range_to > range_from)
);
-- One reconciliation at a time per campaign (a second one, manual or scheduled, is refused).
CREATE UNIQUE INDEX appointment_reconciliation_running_idx ON appointment_reconciliation_runs (campaign_id) WHERE status = 'running';
CREATE INDEX appointment_reconciliation_runs_campaign_idx ON appointment_reconciliation_runs (campaign_id, started_at DESC);
CREATE INDEX appointments_external_ref_idx ON appointments (campaign_id, external_ref) WHERE external_ref IS NOT NULL;
