-- Billing per interaction (issue 10; seed-digest §5, §6.1): versioned rate cards per campaign,
-- usage facts derived from the event log and the metering tables (recomputable; frozen once their
-- month is closed), fixed penalties, and the monthly statement frozen at close. The vocabulary is
-- hub/src/billing/billing.contract.ts.

CREATE TABLE billing_rate_cards (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id   uuid NOT NULL REFERENCES campaigns(id),
  version       integer NOT NULL CHECK (version > 0),
  status        text NOT NULL CHECK (status IN ('draft', 'active', 'archived')),
  -- The RateCard as rateCardSchema (billing/rate-card/rate-card.schema.ts) outputs it.
  definition    jsonb NOT NULL,
  created_by    uuid REFERENCES users(id),
  created_at    timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  activated_by  uuid REFERENCES users(id),
  activated_at  timestamptz(3),
  UNIQUE (campaign_id, version)
);
CREATE UNIQUE INDEX billing_rate_cards_active_idx ON billing_rate_cards (campaign_id) WHERE status = 'active';
CREATE UNIQUE INDEX billing_rate_cards_draft_idx ON billing_rate_cards (campaign_id) WHERE status = 'draft';

-- One metered unit of usage (a span of seconds or a count), traceable to its source.
CREATE TABLE billing_usage_facts (
  id               bigserial PRIMARY KEY,
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  -- What was metered (UsageMeter in billing.contract.ts).
  meter            text NOT NULL CHECK (meter IN ('agent_time', 'interaction_time', 'ivr_time', 'email_outbound', 'email_mass_send',
                                                  'sms_outbound', 'sms_inbound', 'sms_mass_send', 'blaster_message', 'bot_event', 'voicemail')),
  -- Idempotency key within the campaign: the same source always gives the same key.
  source_key       text NOT NULL,
  -- The campaign-local month ('YYYY-MM') and day the usage belongs to.
  month            text NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  local_day        date NOT NULL,
  started_at       timestamptz(3) NOT NULL,
  ended_at         timestamptz(3) NOT NULL,
  -- Exact span (time meters; 0 for counts) and count (counts; 0 for time meters).
  duration_ms      bigint NOT NULL DEFAULT 0 CHECK (duration_ms >= 0),
  quantity         integer NOT NULL DEFAULT 0 CHECK (quantity >= 0),
  -- Outcome weight: email 100/50/0, bot events 100/30/0/30 (seed-digest §5.1, §5.4).
  weight_pct       smallint NOT NULL DEFAULT 100 CHECK (weight_pct BETWEEN 0 AND 100),
  -- Dimensions a rate-card concept selects on (UsageSelector).
  seat_type        text CHECK (seat_type IN ('PS-I', 'PS-P')),
  tier             smallint CHECK (tier IN (1, 2)),
  channel_class    text CHECK (channel_class IN ('voice', 'text', 'email')),
  channel_kind     text,
  direction        text CHECK (direction IN ('inbound', 'outbound')),
  agent_id         uuid,
  conversation_id  uuid,
  folio            text,
  call_sid         text,
  -- Evidence the contract requires that is missing (e.g. 'missing_recording'): excluded and listed.
  evidence_problem text,
  detail           jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- The month whose closed statement billed this fact (frozen: recomputation leaves it alone).
  billed_in_month  text,
  computed_at      timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (campaign_id, source_key)
);
-- The statement's aggregate: one campaign, one month (or the unbilled facts of earlier months).
CREATE INDEX billing_usage_facts_month_idx ON billing_usage_facts (campaign_id, month, meter);
CREATE INDEX billing_usage_facts_unbilled_idx ON billing_usage_facts (campaign_id, month) WHERE billed_in_month IS NULL;
CREATE INDEX billing_usage_facts_folio_idx ON billing_usage_facts (folio) WHERE folio IS NOT NULL;

-- Fixed penalties (penas convencionales): an amount per day or hour late, or a fixed amount.
CREATE TABLE billing_penalties (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id            uuid NOT NULL REFERENCES campaigns(id),
  month                  text NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  kind                   text NOT NULL CHECK (kind IN ('per_day', 'per_hour', 'fixed')),
  units                  integer NOT NULL CHECK (units > 0),
  amount_per_unit_cents  bigint NOT NULL CHECK (amount_per_unit_cents > 0),
  description            text NOT NULL CHECK (char_length(description) BETWEEN 3 AND 500),
  created_by             uuid REFERENCES users(id),
  created_at             timestamptz(3) NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX billing_penalties_month_idx ON billing_penalties (campaign_id, month);

-- A closed month: the statement as it was closed (immutable; later usage goes to adjustments).
CREATE TABLE billing_months (
  campaign_id        uuid NOT NULL REFERENCES campaigns(id),
  month              text NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  status             text NOT NULL CHECK (status IN ('closed')),
  rate_card_id       uuid NOT NULL REFERENCES billing_rate_cards(id),
  rate_card_version  integer NOT NULL,
  -- The Statement (billing.contract.ts) as closed.
  statement          jsonb NOT NULL,
  inputs_hash        text NOT NULL,
  total_cents        bigint NOT NULL,
  closed_by          uuid REFERENCES users(id),
  closed_at          timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (campaign_id, month)
);
