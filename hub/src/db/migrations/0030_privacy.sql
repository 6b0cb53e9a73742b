-- Data protection, LFPDPPP (issue 12 part 4; seed-digest §7.3 retention, §7.5 privacy):
-- retention policies per campaign and kind, archive / purge marks on the rows they govern, purge
-- certificates (evidence of secure erase, seed L1212 / L3499), ARCO requests with their folio.
-- hub/src/privacy/.

-- Online for online_days (seed §7.3: ≥30 natural days), then archived for archive_days more
-- (historic store, default 180), then purged. No row = the defaults (privacy/retention.schema.ts).
CREATE TABLE privacy_retention_policies (
  campaign_id   uuid NOT NULL REFERENCES campaigns(id),
  kind          text NOT NULL CHECK (kind IN ('messages', 'attachments', 'recordings')),
  online_days   integer NOT NULL CHECK (online_days BETWEEN 30 AND 36500),
  archive_days  integer NOT NULL CHECK (archive_days BETWEEN online_days AND 36500),
  updated_by    uuid REFERENCES users(id),
  updated_at    timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (campaign_id, kind)
);

-- archived_at: past the online period (hidden from the inbox lists, kept for admins and
-- supervisors); purged_at: content erased (bodies '[depurado]', files deleted from disk,
-- recording links cleared). Both only move forward; the purge job is idempotent on them.
ALTER TABLE messages ADD COLUMN archived_at timestamptz(3), ADD COLUMN purged_at timestamptz(3);
ALTER TABLE files ADD COLUMN archived_at timestamptz(3), ADD COLUMN purged_at timestamptz(3);
ALTER TABLE voice_recordings ADD COLUMN archived_at timestamptz(3), ADD COLUMN purged_at timestamptz(3);
ALTER TABLE voice_voicemails ADD COLUMN archived_at timestamptz(3), ADD COLUMN purged_at timestamptz(3);
ALTER TABLE conversations ADD COLUMN archived_at timestamptz(3);
-- An ARCO cancellation anonymises the contact in place: aggregate rows (billing, KPIs) keep it.
ALTER TABLE contacts ADD COLUMN anonymised_at timestamptz(3);

CREATE INDEX messages_retention_idx ON messages (created_at) WHERE purged_at IS NULL;
CREATE INDEX files_retention_idx ON files (campaign_id, created_at) WHERE purged_at IS NULL;
CREATE INDEX voice_recordings_retention_idx ON voice_recordings (campaign_id, started_at) WHERE purged_at IS NULL;
CREATE INDEX voice_voicemails_retention_idx ON voice_voicemails (campaign_id, recorded_at) WHERE purged_at IS NULL;

-- One per purge run and campaign that archived or purged anything. purged_ids is the sorted list
-- of '<kind>:<id>' erased (ids only, no personal data); purged_ids_sha256 is SHA-256 over it
-- joined by '\n', so anyone can recompute the certificate from the list.
CREATE TABLE privacy_purge_certificates (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id        uuid NOT NULL REFERENCES campaigns(id),
  run_by_kind        text NOT NULL CHECK (run_by_kind IN ('job', 'user')),
  run_by_user_id     uuid REFERENCES users(id),
  run_by_label       text NOT NULL CHECK (char_length(run_by_label) BETWEEN 1 AND 200),
  cutoffs            jsonb NOT NULL,
  counts             jsonb NOT NULL,
  purged_ids         jsonb NOT NULL,
  purged_ids_sha256  text NOT NULL CHECK (purged_ids_sha256 ~ '^[0-9a-f]{64}$'),
  started_at         timestamptz(3) NOT NULL,
  finished_at        timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX privacy_purge_certificates_campaign_idx ON privacy_purge_certificates (campaign_id, finished_at DESC);

-- ARCO requests (acceso, rectificación, cancelación, oposición; LFPDPPP arts. 22–35). The
-- requester's details are kept as evidence of who asked, also after a cancellation.
CREATE TABLE privacy_arco_folios (
  day   date PRIMARY KEY,
  last  integer NOT NULL
);

CREATE TABLE privacy_arco_requests (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  folio             text NOT NULL UNIQUE CHECK (folio ~ '^ARCO-[0-9]{8}-[0-9]{6}$'),
  campaign_id       uuid NOT NULL REFERENCES campaigns(id),
  contact_id        uuid NOT NULL REFERENCES contacts(id),
  kind              text NOT NULL CHECK (kind IN ('acceso', 'rectificacion', 'cancelacion', 'oposicion')),
  status            text NOT NULL DEFAULT 'recibida' CHECK (status IN ('recibida', 'atendida', 'rechazada')),
  requester_name    text NOT NULL CHECK (char_length(requester_name) BETWEEN 1 AND 200),
  requester_email   text CHECK (requester_email IS NULL OR char_length(requester_email) BETWEEN 3 AND 254),
  requester_phone   text CHECK (requester_phone IS NULL OR char_length(requester_phone) BETWEEN 8 AND 20),
  requester_relation text NOT NULL DEFAULT 'titular' CHECK (requester_relation IN ('titular', 'representante')),
  description       text CHECK (description IS NULL OR char_length(description) <= 2000),
  resolution        jsonb,
  created_by        uuid NOT NULL REFERENCES users(id),
  created_at        timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  resolved_by       uuid REFERENCES users(id),
  resolved_at       timestamptz(3)
);
CREATE INDEX privacy_arco_requests_campaign_idx ON privacy_arco_requests (campaign_id, created_at DESC);
CREATE INDEX privacy_arco_requests_contact_idx ON privacy_arco_requests (contact_id);
