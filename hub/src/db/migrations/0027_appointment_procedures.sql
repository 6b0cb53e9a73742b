-- Citas, trámites (issue 11; seed-digest §9.1, SATEG "Portal de Citas"): procedures and their
-- document requirements, the citizens' cases with a TRAM folio, each uploaded document version and
-- its pre-review by a reviewer assigned at random (anti-corruption), and what the decisions told
-- the citizen. Only a case whose required documents were approved books (appointments.case_id).

CREATE TABLE appointment_procedures (
  -- A slug or a uuid chosen by the administrator (PUT …/procedures/:procedureId); the portal opens
  -- a case with this id alone, so it is unique across campaigns.
  id              text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  campaign_id     uuid NOT NULL REFERENCES campaigns(id),
  name            text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  description     text NOT NULL DEFAULT '' CHECK (char_length(description) <= 4000),
  -- A service id of the campaign's calendar (a key of the JSON definition, not a foreign key).
  service_id      text NOT NULL CHECK (char_length(service_id) BETWEEN 1 AND 100),
  active          boolean NOT NULL DEFAULT true,
  -- Reviewers: users of the campaign holding the skill of this name (skills + agent_skills).
  reviewer_skill  text NOT NULL DEFAULT 'revision_documental' CHECK (char_length(reviewer_skill) BETWEEN 1 AND 100),
  -- [{ id, name, description, required, accept: MIME[], maxBytes }], validated by procedure.schema.ts.
  requirements    jsonb NOT NULL DEFAULT '[]',
  created_at      timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  updated_at      timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX appointment_procedures_campaign_idx ON appointment_procedures (campaign_id, service_id);

-- TRAM-YYYYMMDD-NNNNNN: NNNNNN is this sequence modulo 1 000 000 (unique with the date).
CREATE SEQUENCE appointment_case_folio_seq;

CREATE TABLE appointment_cases (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  folio             text NOT NULL UNIQUE CHECK (folio ~ '^TRAM-[0-9]{8}-[0-9]{6}$'),
  campaign_id       uuid NOT NULL REFERENCES campaigns(id),
  procedure_id      text NOT NULL REFERENCES appointment_procedures(id),
  full_name         text NOT NULL CHECK (char_length(full_name) BETWEEN 1 AND 200),
  official_id_kind  text NOT NULL CHECK (official_id_kind IN ('nss', 'curp')),
  official_id       text NOT NULL CHECK (
                      (official_id_kind = 'nss' AND official_id ~ '^[0-9]{11}$')
                      OR (official_id_kind = 'curp' AND official_id ~ '^[A-Z]{4}[0-9]{6}[HMX][A-Z]{5}[0-9A-Z][0-9]$')),
  birth_date        date NOT NULL,
  email             text CHECK (email IS NULL OR char_length(email) BETWEEN 3 AND 254),
  phone             text CHECK (phone IS NULL OR phone ~ '^\+?[0-9]{8,15}$'),
  -- Where the case came from: the portal, or a conversation (bot or agent) on a channel; notices go back there.
  channel           text NOT NULL CHECK (channel IN ('whatsapp', 'webchat', 'sms', 'api', 'voice', 'email', 'portal', 'agent')),
  conversation_id   uuid REFERENCES conversations(id),
  status            text NOT NULL DEFAULT 'documents_pending'
                    CHECK (status IN ('documents_pending', 'in_review', 'changes_requested', 'approved', 'booked', 'closed')),
  created_at        timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  updated_at        timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  CHECK (channel = 'portal' OR conversation_id IS NOT NULL)
);
CREATE INDEX appointment_cases_campaign_idx ON appointment_cases (campaign_id, created_at);

-- Each upload is a new version; earlier versions (a rejected one and its reason) are kept.
CREATE TABLE appointment_case_documents (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id           uuid NOT NULL REFERENCES appointment_cases(id),
  campaign_id       uuid NOT NULL REFERENCES campaigns(id),
  requirement_id    text NOT NULL CHECK (char_length(requirement_id) BETWEEN 1 AND 64),
  version           integer NOT NULL CHECK (version > 0),
  -- The bytes under DATA_DIR (files/file-store.ts); not in `files`, which any agent of the campaign may download.
  storage_key       text NOT NULL UNIQUE,
  file_name         text NOT NULL CHECK (char_length(file_name) BETWEEN 1 AND 255),
  mime_type         text NOT NULL CHECK (mime_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  size              integer NOT NULL CHECK (size >= 0),
  sha256            text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  status            text NOT NULL DEFAULT 'pending_review' CHECK (status IN ('pending_review', 'approved', 'rejected')),
  -- Assigned at random among the eligible reviewers; NULL while nobody is eligible (supervisors assign).
  reviewer_id       uuid REFERENCES users(id),
  assigned_at       timestamptz(3),
  reason            text CHECK (reason IS NULL OR char_length(reason) BETWEEN 1 AND 1000),
  uploaded_at       timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  reviewed_at       timestamptz(3),
  UNIQUE (case_id, requirement_id, version),
  CHECK ((status = 'pending_review') = (reviewed_at IS NULL)),
  CHECK (status <> 'rejected' OR reason IS NOT NULL),
  CHECK (status = 'pending_review' OR reviewer_id IS NOT NULL)
);
CREATE INDEX appointment_case_documents_queue_idx ON appointment_case_documents (campaign_id, uploaded_at) WHERE status = 'pending_review';
CREATE INDEX appointment_case_documents_reviewer_idx ON appointment_case_documents (reviewer_id) WHERE status = 'pending_review';

-- What the reviewers' decisions told the citizen (shown on the portal; also sent on the origin channel).
CREATE TABLE appointment_case_notices (
  id        bigserial PRIMARY KEY,
  case_id   uuid NOT NULL REFERENCES appointment_cases(id),
  text      text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 2000),
  at        timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX appointment_case_notices_case_idx ON appointment_case_notices (case_id, id);

-- 0026 added appointments.case_id; its foreign key lands with the table.
ALTER TABLE appointments ADD CONSTRAINT appointments_case_id_fkey FOREIGN KEY (case_id) REFERENCES appointment_cases(id);
CREATE INDEX appointments_case_idx ON appointments (case_id) WHERE case_id IS NOT NULL;
