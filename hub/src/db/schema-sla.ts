import type { ColumnType, Generated, Selectable } from 'kysely';
import type { KpiResult } from '../kpi/formulas/kpi-result.js';
import type { MonthlySlaEvaluation } from '../kpi/sla/evaluate-month.js';
import type { SlaTable } from '../kpi/sla/sla-table.schema.js';
import type { Json, NullableTimestamp, Timestamp } from './column-types.js';

// 0016_sla (issue 9 item 3): SLA tables per campaign, contract data, invoices, outages and the
// monthly evaluation the campaign admin validates (hub/src/sla/).

/** bigint: pg returns it as a string. */
type Int8 = ColumnType<string, number | string, number | string>;
type DefaultInt = ColumnType<number, number | undefined, number>;
type DefaultText<T extends string> = ColumnType<T, T | undefined, T>;

export interface SlaTablesTable {
  id: Generated<string>;
  campaign_id: string;
  version: number;
  status: 'draft' | 'active' | 'archived';
  /** slaTableSchema's output (kpi/sla/sla-table.schema.ts). */
  definition: Json<unknown>;
  created_by: string | null;
  created_at: Timestamp;
  activated_by: string | null;
  activated_at: NullableTimestamp;
}
export type SlaTableRow = Selectable<SlaTablesTable>;

export interface SlaContractsTable {
  campaign_id: string;
  contract_start_month: string;
  max_contract_amount_cents: Int8;
  service_level_threshold_seconds: DefaultInt;
  service_level_denominator: DefaultText<'received' | 'attended'>;
  short_abandon_threshold_seconds: DefaultInt;
  aht_definition: DefaultText<'talk' | 'talk_hold' | 'talk_hold_acw'>;
  response_limit_hours: DefaultInt;
  updated_by: string | null;
  updated_at: Timestamp;
}
export type SlaContractRow = Selectable<SlaContractsTable>;

export interface SlaInvoicesTable {
  campaign_id: string;
  month: string;
  amount_cents: Int8;
  source: DefaultText<'manual' | 'billing'>;
  entered_by: string | null;
  entered_at: Timestamp;
}
export type SlaInvoiceRow = Selectable<SlaInvoicesTable>;

export interface SlaOutagesTable {
  id: Generated<string>;
  campaign_id: string;
  started_at: ColumnType<Date, Date | string, Date | string>;
  ended_at: ColumnType<Date, Date | string, Date | string>;
  description: string;
  created_by: string | null;
  created_at: Timestamp;
}
export type SlaOutageRow = Selectable<SlaOutagesTable>;

/** Contract data as the evaluation used it (sla/sla-inputs.schema.ts SlaContract). */
export interface SlaContractSnapshot {
  contractStartMonth: string;
  maxContractAmountWithoutIvaCents: number;
  serviceLevelThresholdSeconds: number;
  serviceLevelDenominator: 'received' | 'attended';
  shortAbandonThresholdSeconds: number;
  ahtDefinition: 'talk' | 'talk_hold' | 'talk_hold_acw';
  responseLimitHours: number;
}

/** Everything the proposal was computed from, and its result: immutable once written. */
export interface SlaEvaluationSnapshot {
  table: SlaTable;
  contract: SlaContractSnapshot;
  measurements: {
    timeZone: string;
    asOf: string;
    results: Record<string, KpiResult>;
    missing: Record<string, string>;
  };
  evaluation: MonthlySlaEvaluation;
}

export interface SlaEvaluationsTable {
  id: Generated<string>;
  campaign_id: string;
  month: string;
  status: 'proposed' | 'validated';
  table_id: string | null;
  table_version: number;
  contract_month: number | null;
  invoice_cents: Int8;
  already_deducted_cents: Int8;
  snapshot: Json<SlaEvaluationSnapshot>;
  inputs_hash: string;
  proposed_cents: Int8;
  final_cents: Int8;
  computed_by: string | null;
  computed_at: Timestamp;
  validated_by: string | null;
  validated_at: NullableTimestamp;
}
export type SlaEvaluationRow = Selectable<SlaEvaluationsTable>;

export interface SlaEvaluationDecisionsTable {
  evaluation_id: string;
  row_id: string;
  decision: 'accepted' | 'adjusted';
  final_cents: Int8;
  reason: string | null;
  decided_by: string | null;
  decided_at: Timestamp;
}
export type SlaEvaluationDecisionRow = Selectable<SlaEvaluationDecisionsTable>;

export interface SlaTables {
  sla_tables: SlaTablesTable;
  sla_contracts: SlaContractsTable;
  sla_invoices: SlaInvoicesTable;
  sla_outages: SlaOutagesTable;
  sla_evaluations: SlaEvaluationsTable;
  sla_evaluation_decisions: SlaEvaluationDecisionsTable;
}
