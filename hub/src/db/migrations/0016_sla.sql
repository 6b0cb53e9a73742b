-- Service levels and deductions (issue 9 item 3; seed-digest §6): each campaign's SLA table as
-- versioned JSON (validated by kpi/sla/sla-table.schema.ts), the contract data the monthly
-- evaluation needs, the invoice of each month, the outages that cut availability, and the monthly
-- evaluation the campaign admin validates. A validated evaluation is frozen (sla/ refuses changes).

CREATE TABLE sla_tables (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id   uuid NOT NULL REFERENCES campaigns(id),
  version       integer NOT NULL CHECK (version > 0),
  status        text NOT NULL CHECK (status IN ('draft', 'active', 'archived')),
  -- The SlaTable (rows, globalCap) as slaTableSchema outputs it.
  definition    jsonb NOT NULL,
  created_by    uuid REFERENCES users(id),
  created_at    timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  activated_by  uuid REFERENCES users(id),
  activated_at  timestamptz(3),
  UNIQUE (campaign_id, version)
);
-- One active table and at most one draft per campaign.
CREATE UNIQUE INDEX sla_tables_active_idx ON sla_tables (campaign_id) WHERE status = 'active';
CREATE UNIQUE INDEX sla_tables_draft_idx ON sla_tables (campaign_id) WHERE status = 'draft';

-- Contract data of a campaign (one row; absent = the defaults of sla/sla-contract.schema.ts).
CREATE TABLE sla_contracts (
  campaign_id                     uuid PRIMARY KEY REFERENCES campaigns(id),
  -- First month of the contract, 'YYYY-MM': month 1 for the rows limited to contract months.
  contract_start_month            text NOT NULL CHECK (contract_start_month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  -- Maximum contract amount without IVA: 10 % of it is the global cap (T&C L10176, L10196).
  max_contract_amount_cents       bigint NOT NULL CHECK (max_contract_amount_cents > 0),
  service_level_threshold_seconds integer NOT NULL DEFAULT 20 CHECK (service_level_threshold_seconds BETWEEN 1 AND 3600),
  service_level_denominator       text NOT NULL DEFAULT 'attended' CHECK (service_level_denominator IN ('received', 'attended')),
  short_abandon_threshold_seconds integer NOT NULL DEFAULT 0 CHECK (short_abandon_threshold_seconds BETWEEN 0 AND 600),
  aht_definition                  text NOT NULL DEFAULT 'talk' CHECK (aht_definition IN ('talk', 'talk_hold', 'talk_hold_acw')),
  response_limit_hours            integer NOT NULL DEFAULT 13 CHECK (response_limit_hours BETWEEN 1 AND 168),
  updated_by                      uuid REFERENCES users(id),
  updated_at                      timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);

-- The month's invoice the percentages apply to (entered by the admin until billing provides it).
CREATE TABLE sla_invoices (
  campaign_id   uuid NOT NULL REFERENCES campaigns(id),
  month         text NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  amount_cents  bigint NOT NULL CHECK (amount_cents >= 0),
  source        text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'billing')),
  entered_by    uuid REFERENCES users(id),
  entered_at    timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (campaign_id, month)
);

-- Service outages entered by the admin; only time inside the service window counts (availability).
CREATE TABLE sla_outages (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id  uuid NOT NULL REFERENCES campaigns(id),
  started_at   timestamptz(3) NOT NULL,
  ended_at     timestamptz(3) NOT NULL,
  description  text NOT NULL CHECK (char_length(description) BETWEEN 3 AND 500),
  created_by   uuid REFERENCES users(id),
  created_at   timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  CHECK (ended_at > started_at)
);
CREATE INDEX sla_outages_campaign_idx ON sla_outages (campaign_id, started_at);

-- One evaluation per campaign and month: `proposed` (re-running replaces it) or `validated` (frozen).
CREATE TABLE sla_evaluations (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id             uuid NOT NULL REFERENCES campaigns(id),
  month                   text NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  status                  text NOT NULL CHECK (status IN ('proposed', 'validated')),
  -- NULL: the built-in general table (T&C §14, version 0) of a campaign that never activated one.
  table_id                uuid REFERENCES sla_tables(id),
  table_version           integer NOT NULL,
  contract_month          integer CHECK (contract_month IS NULL OR contract_month >= 1),
  invoice_cents           bigint NOT NULL CHECK (invoice_cents >= 0),
  already_deducted_cents  bigint NOT NULL CHECK (already_deducted_cents >= 0),
  -- Immutable inputs and result: { table, contract, measurements, evaluation }.
  snapshot                jsonb NOT NULL,
  -- sha256 of the inputs: re-running with identical inputs keeps the proposal and its decisions.
  inputs_hash             text NOT NULL,
  proposed_cents          bigint NOT NULL CHECK (proposed_cents >= 0),
  -- After the admin's adjustments (= proposed_cents until a row is adjusted).
  final_cents             bigint NOT NULL CHECK (final_cents >= 0),
  computed_by             uuid REFERENCES users(id),
  computed_at             timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  validated_by            uuid REFERENCES users(id),
  validated_at            timestamptz(3),
  UNIQUE (campaign_id, month),
  CHECK ((status = 'validated') = (validated_at IS NOT NULL))
);

-- The admin's decision on each row: accepted as proposed, or adjusted with a reason.
CREATE TABLE sla_evaluation_decisions (
  evaluation_id  uuid NOT NULL REFERENCES sla_evaluations(id) ON DELETE CASCADE,
  row_id         text NOT NULL,
  decision       text NOT NULL CHECK (decision IN ('accepted', 'adjusted')),
  final_cents    bigint NOT NULL CHECK (final_cents >= 0),
  reason         text CHECK (reason IS NULL OR char_length(reason) BETWEEN 5 AND 1000),
  decided_by     uuid REFERENCES users(id),
  decided_at     timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (evaluation_id, row_id),
  CHECK (decision = 'accepted' OR reason IS NOT NULL)
);
