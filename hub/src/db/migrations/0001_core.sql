-- Core model of the hub. Unqualified names: the migrator sets search_path to the configured schema.

CREATE TABLE campaigns (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug          text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name          text NOT NULL,
  folio_prefix  text NOT NULL UNIQUE CHECK (folio_prefix ~ '^[A-Z]{2,5}$'),
  time_zone     text NOT NULL DEFAULT 'America/Mexico_City',
  settings      jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  updated_at    timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE channels (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id  uuid NOT NULL REFERENCES campaigns(id),
  kind         text NOT NULL,
  name         text NOT NULL,
  settings     jsonb NOT NULL DEFAULT '{}'::jsonb,
  secrets      jsonb NOT NULL DEFAULT '{}'::jsonb,
  enabled      boolean NOT NULL DEFAULT true,
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  updated_at   timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX channels_campaign_idx ON channels (campaign_id);

CREATE TABLE users (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email          text NOT NULL UNIQUE CHECK (email = lower(email)),
  display_name   text NOT NULL,
  password_hash  text NOT NULL,
  roles          text[] NOT NULL CHECK (roles <@ ARRAY['admin','supervisor','agent','trainer','auditor']::text[] AND cardinality(roles) > 0),
  locale         text NOT NULL DEFAULT 'es-MX',
  disabled       boolean NOT NULL DEFAULT false,
  last_login_at  timestamptz(3),
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  updated_at     timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE user_campaigns (
  user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  campaign_id  uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, campaign_id)
);
CREATE INDEX user_campaigns_campaign_idx ON user_campaigns (campaign_id);

CREATE TABLE refresh_tokens (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  family_id    uuid NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  expires_at   timestamptz(3) NOT NULL,
  revoked_at   timestamptz(3),
  replaced_by  uuid,
  ip           text,
  user_agent   text,
  created_at   timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

CREATE TABLE skills (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id  uuid NOT NULL REFERENCES campaigns(id),
  name         text NOT NULL,
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (campaign_id, name)
);

CREATE TABLE agent_skills (
  user_id   uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  skill_id  uuid NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
  level     smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
  PRIMARY KEY (user_id, skill_id)
);

CREATE TABLE queues (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id  uuid NOT NULL REFERENCES campaigns(id),
  name         text NOT NULL,
  priority     smallint NOT NULL DEFAULT 50 CHECK (priority BETWEEN 1 AND 99),
  settings     jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (campaign_id, name)
);

CREATE TABLE queue_skills (
  queue_id   uuid NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
  skill_id   uuid NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
  min_level  smallint NOT NULL DEFAULT 1 CHECK (min_level BETWEEN 1 AND 5),
  PRIMARY KEY (queue_id, skill_id)
);

CREATE TABLE contacts (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  display_name    text,
  curp            text CHECK (curp ~ '^[A-Z]{4}[0-9]{6}[HMX][A-Z]{5}[0-9A-Z][0-9]$'),
  rfc             text CHECK (rfc ~ '^[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}$'),
  nss             text CHECK (nss ~ '^[0-9]{11}$'),
  merged_into_id  uuid REFERENCES contacts(id),
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  updated_at      timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX contacts_curp_idx ON contacts (curp) WHERE curp IS NOT NULL;
CREATE INDEX contacts_nss_idx ON contacts (nss) WHERE nss IS NOT NULL;
CREATE INDEX contacts_rfc_idx ON contacts (rfc) WHERE rfc IS NOT NULL;
-- No index on the name: search is a substring match (LIKE '%…%'), which a b-tree cannot serve;
-- a trigram index is the tool when name search must scale, at a cost on every new contact.

-- One contact, many identities. channel_id is set only for channel-scoped ids
-- (an API channel's external id, a page-scoped id); phone and email are global.
CREATE TABLE contact_identities (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  contact_id  uuid NOT NULL REFERENCES contacts(id),
  kind        text NOT NULL CHECK (kind IN ('phone','email','whatsapp','external','messenger','instagram','x')),
  value       text NOT NULL,
  channel_id  uuid REFERENCES channels(id),
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT contact_identities_unique UNIQUE NULLS NOT DISTINCT (kind, value, channel_id)
);
CREATE INDEX contact_identities_contact_idx ON contact_identities (contact_id);

CREATE TABLE conversations (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  folio            text NOT NULL UNIQUE,
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  channel_id       uuid NOT NULL REFERENCES channels(id),
  contact_id       uuid NOT NULL REFERENCES contacts(id),
  status           text NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('bot','queued','offered','assigned','waiting_contact','resolved','abandoned')),
  queue_id         uuid REFERENCES queues(id),
  assignee_id      uuid REFERENCES users(id),
  priority         smallint NOT NULL DEFAULT 50 CHECK (priority BETWEEN 1 AND 99),
  unread_count     integer NOT NULL DEFAULT 0,
  opened_at        timestamptz(3) NOT NULL DEFAULT now(),
  last_message_at  timestamptz(3) NOT NULL DEFAULT now(),
  last_inbound_at  timestamptz(3),
  last_outbound_at timestamptz(3),
  first_response_at timestamptz(3),
  closed_at        timestamptz(3),
  updated_at       timestamptz(3) NOT NULL DEFAULT now()
);
-- At most one open conversation per contact and channel: the ingest worker relies on it.
CREATE UNIQUE INDEX conversations_one_open_idx ON conversations (channel_id, contact_id) WHERE closed_at IS NULL;
CREATE INDEX conversations_campaign_status_idx ON conversations (campaign_id, status, last_message_at DESC);
CREATE INDEX conversations_contact_idx ON conversations (contact_id, opened_at DESC);
CREATE INDEX conversations_assignee_idx ON conversations (assignee_id) WHERE assignee_id IS NOT NULL;

CREATE TABLE messages (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id     uuid NOT NULL REFERENCES conversations(id),
  channel_id          uuid NOT NULL REFERENCES channels(id),
  direction           text NOT NULL CHECK (direction IN ('inbound','outbound')),
  sender_type         text NOT NULL CHECK (sender_type IN ('contact','agent','bot','system')),
  sender_id           uuid,
  content_type        text NOT NULL CHECK (content_type IN ('text','image','audio','video','file','location','contacts','interactive','reaction','unsupported')),
  text                text,
  attachments         jsonb NOT NULL DEFAULT '[]'::jsonb,
  raw                 jsonb,
  provider_message_id text,
  status              text NOT NULL CHECK (status IN ('received','pending','sent','delivered','read','failed')),
  error_code          text,
  error_reason        text,
  attempts            integer NOT NULL DEFAULT 0,
  created_at          timestamptz(3) NOT NULL DEFAULT now(),
  sent_at             timestamptz(3),
  delivered_at        timestamptz(3),
  read_at             timestamptz(3),
  failed_at           timestamptz(3),
  updated_at          timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT messages_provider_id_unique UNIQUE (channel_id, provider_message_id)
);
CREATE INDEX messages_conversation_idx ON messages (conversation_id, created_at);

-- Append-only log: the source of truth for KPIs and billing. No foreign keys: every row is
-- written by the same transaction as the rows it names, and never changes; checking four
-- references per event (12 trigger calls per inbound message) cost ~30 % of the ingest's
-- PostgreSQL time (bench/reports/ingest-findings-2026-11-26.md).
CREATE TABLE interaction_events (
  id               bigserial PRIMARY KEY,
  occurred_at      timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  type             text NOT NULL CHECK (type ~ '^[a-z_]+\.[a-z_]+$'),
  campaign_id      uuid NOT NULL,
  conversation_id  uuid,
  contact_id       uuid,
  message_id       uuid,
  actor_type       text NOT NULL CHECK (actor_type IN ('contact','agent','bot','system','provider')),
  actor_id         text,
  payload          jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX interaction_events_conversation_idx ON interaction_events (conversation_id, id);
CREATE INDEX interaction_events_campaign_time_idx ON interaction_events (campaign_id, occurred_at);

CREATE TABLE outbox (
  id            bigserial PRIMARY KEY,
  topic         text NOT NULL,
  payload       jsonb NOT NULL,
  created_at    timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  published_at  timestamptz(3)
);
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;

CREATE TABLE audit_log (
  id             bigserial PRIMARY KEY,
  occurred_at    timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  actor_user_id  uuid,
  actor_label    text,
  action         text NOT NULL,
  target_type    text,
  target_id      text,
  campaign_id    uuid,
  outcome        text NOT NULL DEFAULT 'success' CHECK (outcome IN ('success','failure')),
  ip             text,
  user_agent     text,
  details        jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_time_idx ON audit_log (occurred_at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, occurred_at);

CREATE FUNCTION forbid_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER interaction_events_append_only BEFORE UPDATE OR DELETE ON interaction_events
  FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

-- Folios: one sequence per campaign, created with the campaign. Sequences are not
-- transactional, so a folio is never handed out twice, even under concurrency or rollback.
CREATE FUNCTION create_folio_sequence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE SEQUENCE %I', 'folio_seq_' || replace(NEW.id::text, '-', ''));
  RETURN NEW;
END $$;
CREATE TRIGGER campaigns_folio_sequence AFTER INSERT ON campaigns
  FOR EACH ROW EXECUTE FUNCTION create_folio_sequence();

-- DH-20261126-000123: prefix, local date of the campaign, sequence (at least 6 digits).
CREATE FUNCTION next_folio(p_campaign uuid) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v_prefix text;
  v_zone   text;
  v_n      text;
BEGIN
  SELECT folio_prefix, time_zone INTO v_prefix, v_zone FROM campaigns WHERE id = p_campaign;
  IF v_prefix IS NULL THEN
    RAISE EXCEPTION 'unknown campaign %', p_campaign;
  END IF;
  v_n := nextval(('folio_seq_' || replace(p_campaign::text, '-', ''))::regclass)::text;
  RETURN v_prefix || '-' || to_char(now() AT TIME ZONE v_zone, 'YYYYMMDD') || '-'
         || CASE WHEN length(v_n) >= 6 THEN v_n ELSE lpad(v_n, 6, '0') END;
END $$;
