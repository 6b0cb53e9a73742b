import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SlaEvaluationSnapshot } from '../db/schema-sla.js';
import { HubError } from '../errors/error-registry.js';
import type { EvaluatedRow } from '../kpi/sla/evaluate-month.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface RowDecisionView {
  readonly decision: 'accepted' | 'adjusted';
  readonly finalCents: number;
  readonly reason: string | null;
  readonly decidedBy: string | null;
  readonly decidedByName: string | null;
  readonly decidedAt: string;
}

export interface EvaluationRowView extends EvaluatedRow {
  readonly decision: RowDecisionView | null;
  /** The row's amount after the admin's decision (the proposal's finalCents until adjusted). */
  readonly decidedCents: number;
}

export interface EvaluationView {
  readonly id: string;
  readonly campaignId: string;
  readonly campaignName: string;
  readonly month: string;
  readonly status: 'proposed' | 'validated';
  readonly tableVersion: number;
  readonly contractMonth: number | null;
  readonly invoiceCents: number;
  readonly alreadyDeductedCents: number;
  readonly proposedCents: number;
  readonly finalCents: number;
  readonly computedAt: string;
  readonly computedByName: string | null;
  readonly validatedAt: string | null;
  readonly validatedBy: string | null;
  readonly validatedByName: string | null;
  readonly snapshot: SlaEvaluationSnapshot;
  readonly rows: readonly EvaluationRowView[];
}

export interface EvaluationSummary {
  readonly id: string;
  readonly campaignId: string;
  readonly month: string;
  readonly status: 'proposed' | 'validated';
  readonly tableVersion: number;
  readonly proposedCents: number;
  readonly finalCents: number;
  readonly computedAt: string;
  readonly validatedAt: string | null;
}

export async function evaluationCampaign(db: Db, evaluationId: string): Promise<string> {
  const row = await db.selectFrom('sla_evaluations').select('campaign_id').where('id', '=', evaluationId).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_NOT_FOUND', 'Evaluación de niveles de servicio no encontrada / SLA evaluation not found');
  return row.campaign_id;
}

export async function loadEvaluation(db: Db, evaluationId: string): Promise<EvaluationView> {
  const row = await db
    .selectFrom('sla_evaluations as e')
    .innerJoin('campaigns as c', 'c.id', 'e.campaign_id')
    .leftJoin('users as v', 'v.id', 'e.validated_by')
    .leftJoin('users as p', 'p.id', 'e.computed_by')
    .selectAll('e')
    .select(['c.name as campaign_name', 'v.display_name as validated_by_name', 'p.display_name as computed_by_name'])
    .where('e.id', '=', evaluationId)
    .executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_NOT_FOUND', 'Evaluación de niveles de servicio no encontrada / SLA evaluation not found');
  const decisions = await db
    .selectFrom('sla_evaluation_decisions as d')
    .leftJoin('users as u', 'u.id', 'd.decided_by')
    .selectAll('d')
    .select('u.display_name')
    .where('d.evaluation_id', '=', evaluationId)
    .execute();
  const byRow = new Map(decisions.map((d) => [d.row_id, d]));
  const rows = row.snapshot.evaluation.rows.map((r): EvaluationRowView => {
    const d = byRow.get(r.rowId);
    const decision = d
      ? { decision: d.decision, finalCents: Number(d.final_cents), reason: d.reason, decidedBy: d.decided_by, decidedByName: d.display_name, decidedAt: d.decided_at.toISOString() }
      : null;
    return { ...r, decision, decidedCents: decision ? decision.finalCents : r.finalCents };
  });
  return {
    id: row.id,
    campaignId: row.campaign_id,
    campaignName: row.campaign_name,
    month: row.month,
    status: row.status,
    tableVersion: row.table_version,
    contractMonth: row.contract_month,
    invoiceCents: Number(row.invoice_cents),
    alreadyDeductedCents: Number(row.already_deducted_cents),
    proposedCents: Number(row.proposed_cents),
    finalCents: Number(row.final_cents),
    computedAt: row.computed_at.toISOString(),
    computedByName: row.computed_by_name,
    validatedAt: row.validated_at ? row.validated_at.toISOString() : null,
    validatedBy: row.validated_by,
    validatedByName: row.validated_by_name,
    snapshot: row.snapshot,
    rows,
  };
}

export async function listEvaluations(db: Db, campaignId: string): Promise<EvaluationSummary[]> {
  const rows = await db.selectFrom('sla_evaluations').selectAll().where('campaign_id', '=', campaignId).orderBy('month', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    campaignId: r.campaign_id,
    month: r.month,
    status: r.status,
    tableVersion: r.table_version,
    proposedCents: Number(r.proposed_cents),
    finalCents: Number(r.final_cents),
    computedAt: r.computed_at.toISOString(),
    validatedAt: r.validated_at ? r.validated_at.toISOString() : null,
  }));
}
