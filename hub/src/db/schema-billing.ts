import type { ColumnType, Generated, Selectable } from 'kysely';
import type { RateCard, Statement, UsageMeter } from '../billing/billing.contract.js';
import type { Json, NullableTimestamp, Timestamp } from './column-types.js';

// 0023_billing (issue 10): rate cards, usage facts, penalties and closed months (hub/src/billing/).

/** bigint: pg returns it as a string. */
type Int8 = ColumnType<string, number | string, number | string>;
type DefaultInt8 = ColumnType<string, number | string | undefined, number | string>;
type DefaultInt = ColumnType<number, number | undefined, number>;
type DateColumn = ColumnType<Date, Date | string, Date | string>;

export interface BillingRateCardsTable {
  id: Generated<string>;
  campaign_id: string;
  version: number;
  status: 'draft' | 'active' | 'archived';
  definition: Json<RateCard>;
  created_by: string | null;
  created_at: Timestamp;
  activated_by: string | null;
  activated_at: NullableTimestamp;
}
export type BillingRateCardRow = Selectable<BillingRateCardsTable>;

export interface BillingUsageFactsTable {
  id: Generated<string>;
  campaign_id: string;
  meter: UsageMeter;
  source_key: string;
  month: string;
  local_day: DateColumn;
  started_at: DateColumn;
  ended_at: DateColumn;
  duration_ms: DefaultInt8;
  quantity: DefaultInt;
  weight_pct: DefaultInt;
  seat_type: 'PS-I' | 'PS-P' | null;
  tier: 1 | 2 | null;
  channel_class: 'voice' | 'text' | 'email' | null;
  channel_kind: string | null;
  direction: 'inbound' | 'outbound' | null;
  agent_id: string | null;
  conversation_id: string | null;
  folio: string | null;
  call_sid: string | null;
  evidence_problem: string | null;
  detail: Json<Record<string, unknown>>;
  billed_in_month: string | null;
  computed_at: Timestamp;
}
export type BillingUsageFactRow = Selectable<BillingUsageFactsTable>;

export interface BillingPenaltiesTable {
  id: Generated<string>;
  campaign_id: string;
  month: string;
  kind: 'per_day' | 'per_hour' | 'fixed';
  units: number;
  amount_per_unit_cents: Int8;
  description: string;
  created_by: string | null;
  created_at: Timestamp;
}
export type BillingPenaltyRow = Selectable<BillingPenaltiesTable>;

export interface BillingMonthsTable {
  campaign_id: string;
  month: string;
  status: 'closed';
  rate_card_id: string;
  rate_card_version: number;
  statement: Json<Statement>;
  inputs_hash: string;
  total_cents: Int8;
  closed_by: string | null;
  closed_at: Timestamp;
}
export type BillingMonthRow = Selectable<BillingMonthsTable>;

export interface BillingTables {
  billing_rate_cards: BillingRateCardsTable;
  billing_usage_facts: BillingUsageFactsTable;
  billing_penalties: BillingPenaltiesTable;
  billing_months: BillingMonthsTable;
}
