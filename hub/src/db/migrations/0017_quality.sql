-- Quality sampling (issue 9 item 8, seed-digest §6.2 quality KPI, S003 T&C L10240): every month a
-- random sample of N interactions per campaign and channel kind (default 100) is drawn for the
-- quality analysts, who score each one on the campaign's scorecard (0–100). The scores aggregate
-- into the quality KPI: Σ scores / sample size (kpi/formulas/quality.ts).

-- Quality analysts are staff who only score sampled interactions.
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_roles_check;
ALTER TABLE users ADD CONSTRAINT users_roles_check
  CHECK (roles <@ ARRAY['admin','supervisor','agent','trainer','auditor','quality_analyst']::text[] AND cardinality(roles) > 0);

-- A scorecard: weighted items; a critical item failed scores the whole evaluation 0.
CREATE TABLE quality_scorecards (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id  uuid NOT NULL REFERENCES campaigns(id),
  name         text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  version      integer NOT NULL CHECK (version > 0),
  status       text NOT NULL CHECK (status IN ('draft', 'active', 'archived')),
  -- [{ "id": "saludo", "label": "Saludo institucional", "weight": 10, "critical": false }, …]; weights sum to 100.
  items        jsonb NOT NULL,
  created_by   uuid REFERENCES users(id),
  created_at   timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (campaign_id, name, version)
);
-- At most one active scorecard per campaign.
CREATE UNIQUE INDEX quality_scorecards_active_idx ON quality_scorecards (campaign_id) WHERE status = 'active';

-- One sample per campaign, channel kind and month ('YYYY-MM' in the campaign's time zone).
CREATE TABLE quality_samples (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id   uuid NOT NULL REFERENCES campaigns(id),
  channel_kind  text NOT NULL,
  month         text NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  -- The contractual sample size N (the KPI's divisor), not the number drawn.
  sample_size   integer NOT NULL CHECK (sample_size > 0),
  -- Attended interactions of that month and channel the sample was drawn from.
  population    integer NOT NULL CHECK (population >= 0),
  -- The random seed, so an auditor can reproduce the draw.
  seed          text NOT NULL,
  drawn_by      uuid REFERENCES users(id),
  drawn_at      timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (campaign_id, channel_kind, month)
);

CREATE TABLE quality_sample_items (
  sample_id        uuid NOT NULL REFERENCES quality_samples(id) ON DELETE CASCADE,
  conversation_id  uuid NOT NULL REFERENCES conversations(id),
  position         integer NOT NULL CHECK (position > 0),
  analyst_id       uuid REFERENCES users(id),
  assigned_at      timestamptz(3),
  PRIMARY KEY (sample_id, conversation_id),
  UNIQUE (sample_id, position)
);

-- One evaluation per sampled interaction (an analyst can revise it; updated_at tells).
CREATE TABLE quality_evaluations (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  sample_id        uuid NOT NULL REFERENCES quality_samples(id) ON DELETE CASCADE,
  conversation_id  uuid NOT NULL REFERENCES conversations(id),
  scorecard_id     uuid NOT NULL REFERENCES quality_scorecards(id),
  analyst_id       uuid NOT NULL REFERENCES users(id),
  -- The agent who handled the interaction (first agent), for the agent's quality figure.
  agent_id         uuid REFERENCES users(id),
  -- { "<item id>": { "met": true|false, "comment": "…" } }
  answers          jsonb NOT NULL,
  score            numeric(5,2) NOT NULL CHECK (score >= 0 AND score <= 100),
  comments         text,
  created_at       timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  updated_at       timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (sample_id, conversation_id),
  FOREIGN KEY (sample_id, conversation_id) REFERENCES quality_sample_items (sample_id, conversation_id)
);
CREATE INDEX quality_evaluations_agent_idx ON quality_evaluations (agent_id, created_at);
