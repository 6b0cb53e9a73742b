import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import type { Database } from '../db/schema.js';
import type { SlaEvaluationSnapshot } from '../db/schema-sla.js';
import { HubError } from '../errors/error-registry.js';
import { evaluateMonth } from '../kpi/sla/evaluate-month.js';
import { formatCents } from '../kpi/sla/money.js';
import { measureMonth } from './measure-month.js';
import { invoiceOf, loadSlaContract } from './sla-contract.store.js';
import { loadEvaluation, type EvaluationView } from './sla-evaluation.queries.js';
import type { RowDecisionInput } from './sla-inputs.schema.js';
import { contractMonthOf } from './sla-months.js';
import { activeSlaTable, type Actor } from './sla-table.store.js';

type Trx = Transaction<Database>;

const frozen = (month: string) => new HubError('HUB_ERR_CONFLICT', `La evaluación de ${month} ya fue validada y no se puede cambiar / the ${month} evaluation is validated and frozen`);

/** Deductions of validated earlier months use up the same global cap (T&C L10176, L10196). */
async function deductedBefore(trx: Trx, campaignId: string, month: string): Promise<number> {
  const rows = await trx.selectFrom('sla_evaluations').select('final_cents').where('campaign_id', '=', campaignId).where('status', '=', 'validated').where('month', '<', month).execute();
  return rows.reduce((total, r) => total + Number(r.final_cents), 0);
}

async function assertNoLaterValidated(trx: Trx, campaignId: string, month: string): Promise<void> {
  const later = await trx.selectFrom('sla_evaluations').select('month').where('campaign_id', '=', campaignId).where('status', '=', 'validated').where('month', '>', month).executeTakeFirst();
  if (later) {
    throw new HubError('HUB_ERR_CONFLICT', `Ya está validado un mes posterior (${later.month}); el tope global se consume en orden / a later month (${later.month}) is already validated`);
  }
}

/**
 * Runs the month (issue 9 item 3): measures it, evaluates it against the active table with the
 * contract data and the invoice, and stores the proposal as an immutable snapshot. Re-running a
 * month that is not validated replaces the proposal; identical inputs keep it (and its decisions).
 * Measuring happens before the transaction opens (PGlite has one connection).
 */
export async function proposeEvaluation(db: Kysely<Database>, campaignId: string, month: string, actor: Actor, now?: Date): Promise<{ evaluation: EvaluationView; replaced: boolean; unchanged: boolean }> {
  const campaign = await db.selectFrom('campaigns').select('id').where('id', '=', campaignId).executeTakeFirst();
  if (!campaign) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  const contract = await loadSlaContract(db, campaignId);
  if (!contract) throw new HubError('HUB_ERR_CONFLICT', 'Capture primero los datos del contrato (mes de inicio y monto máximo sin IVA) / enter the contract data first');
  const contractMonth = contractMonthOf(contract.contractStartMonth, month);
  if (contractMonth < 1) throw new HubError('HUB_ERR_VALIDATION', `El mes ${month} es anterior al inicio del contrato (${contract.contractStartMonth}) / the month is before the contract start`);
  const invoiceCents = await invoiceOf(db, campaignId, month);
  if (invoiceCents === null) throw new HubError('HUB_ERR_CONFLICT', `Capture primero la factura de ${month} / enter the month's invoice first`);
  const active = await activeSlaTable(db, campaignId);
  // The contract's maximum amount is the one the cap applies to; the table keeps its percent.
  const table = { ...active.table, globalCap: { ...active.table.globalCap, maxContractAmountWithoutIvaCents: contract.maxContractAmountWithoutIvaCents } };
  const measured = await measureMonth(db, campaignId, month, { ...contract, ...(now === undefined ? {} : { now }) });

  const id = await db.transaction().execute(async (trx) => {
    await trx.selectFrom('campaigns').select('id').where('id', '=', campaignId).forUpdate().executeTakeFirst();
    const existing = await trx.selectFrom('sla_evaluations').select(['id', 'status', 'inputs_hash']).where('campaign_id', '=', campaignId).where('month', '=', month).executeTakeFirst();
    if (existing?.status === 'validated') throw frozen(month);
    await assertNoLaterValidated(trx, campaignId, month);
    const alreadyDeductedCents = await deductedBefore(trx, campaignId, month);
    const measurements = Object.fromEntries(table.rows.map((row) => [row.id, measured.results[row.kpi] ?? null]));
    const result = evaluateMonth({ table, month, contractMonth, invoiceCents, measurements, alreadyDeductedCents });
    // Say why a row has no measurement (the library's line says only that it has none).
    const rows = result.rows.map((row) => {
      const why = row.status === 'sin_medicion' ? measured.missing[row.kpi] : undefined;
      return why === undefined ? row : { ...row, trace: [...row.trace, `Motivo: ${why}`] };
    });
    const snapshot: SlaEvaluationSnapshot = {
      table,
      contract,
      measurements: { timeZone: measured.timeZone, asOf: measured.asOf, results: { ...measured.results }, missing: { ...measured.missing } },
      evaluation: { ...result, rows },
    };
    const inputsHash = createHash('sha256')
      .update(JSON.stringify({ tableId: active.id, version: active.version, table, contract, contractMonth, invoiceCents, alreadyDeductedCents, measurements: snapshot.measurements }))
      .digest('hex');
    const audit = (evaluationId: string, unchanged: boolean) =>
      recordAudit(trx, {
        action: 'sla_evaluation.proposed',
        actorUserId: actor.userId,
        ip: actor.ip ?? null,
        userAgent: actor.userAgent ?? null,
        campaignId,
        targetType: 'sla_evaluation',
        targetId: evaluationId,
        details: { month, tableVersion: active.version, invoiceCents, alreadyDeductedCents, finalCents: result.totals.finalCents, replaced: existing !== undefined, unchanged },
      });
    if (existing && existing.inputs_hash === inputsHash) {
      await audit(existing.id, true);
      return { id: existing.id, replaced: false, unchanged: true };
    }
    const values = {
      status: 'proposed' as const,
      table_id: active.id,
      table_version: active.version,
      contract_month: contractMonth,
      invoice_cents: invoiceCents,
      already_deducted_cents: alreadyDeductedCents,
      snapshot: JSON.stringify(snapshot),
      inputs_hash: inputsHash,
      proposed_cents: result.totals.finalCents,
      final_cents: result.totals.finalCents,
      computed_by: actor.userId,
      computed_at: new Date(),
    };
    let evaluationId: string;
    if (existing) {
      await trx.deleteFrom('sla_evaluation_decisions').where('evaluation_id', '=', existing.id).execute();
      await trx.updateTable('sla_evaluations').set(values).where('id', '=', existing.id).execute();
      evaluationId = existing.id;
    } else {
      evaluationId = (await trx.insertInto('sla_evaluations').values({ campaign_id: campaignId, month, ...values }).returning('id').executeTakeFirstOrThrow()).id;
    }
    await audit(evaluationId, false);
    return { id: evaluationId, replaced: existing !== undefined, unchanged: false };
  });
  return { evaluation: await loadEvaluation(db, id.id), replaced: id.replaced, unchanged: id.unchanged };
}

async function lockOpenEvaluation(trx: Trx, evaluationId: string) {
  const row = await trx.selectFrom('sla_evaluations').selectAll().where('id', '=', evaluationId).forUpdate().executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_NOT_FOUND', 'Evaluación de niveles de servicio no encontrada / SLA evaluation not found');
  if (row.status === 'validated') throw frozen(row.month);
  return row;
}

/**
 * The admin accepts a row as proposed or sets its amount with a mandatory reason (a force-majeure
 * exclusion, a measurement the admin corrects). The month's total after adjustments may not
 * exceed what is left of the global cap.
 */
export async function decideRow(db: Kysely<Database>, evaluationId: string, rowId: string, input: RowDecisionInput, actor: Actor): Promise<EvaluationView> {
  await db.transaction().execute(async (trx) => {
    const evaluation = await lockOpenEvaluation(trx, evaluationId);
    const rows = evaluation.snapshot.evaluation.rows;
    const row = rows.find((r) => r.rowId === rowId);
    if (!row) throw new HubError('HUB_ERR_NOT_FOUND', `La evaluación no tiene la fila «${rowId}» / the evaluation has no row ${rowId}`);
    const finalCents = input.decision === 'adjusted' ? (input.finalCents ?? 0) : row.finalCents;
    const decisions = await trx.selectFrom('sla_evaluation_decisions').select(['row_id', 'final_cents']).where('evaluation_id', '=', evaluationId).execute();
    const finalOf = new Map(decisions.map((d) => [d.row_id, Number(d.final_cents)]));
    finalOf.set(rowId, finalCents);
    const total = rows.reduce((sum, r) => sum + (finalOf.get(r.rowId) ?? r.finalCents), 0);
    const remaining = evaluation.snapshot.evaluation.globalCap.remainingCents;
    if (total > remaining) {
      throw new HubError('HUB_ERR_VALIDATION', `El total del mes (${formatCents(total)}) excedería lo disponible del tope global (${formatCents(remaining)}) / the month's total would exceed the global cap left`, {
        problems: [{ path: 'finalCents', message: `máximo ${formatCents(Math.max(0, remaining - (total - finalCents)))} / at most that amount` }],
      });
    }
    const reason = input.decision === 'adjusted' ? (input.reason ?? null) : input.reason && input.reason.length >= 5 ? input.reason : null;
    const values = { decision: input.decision, final_cents: finalCents, reason, decided_by: actor.userId, decided_at: new Date() };
    await trx
      .insertInto('sla_evaluation_decisions')
      .values({ evaluation_id: evaluationId, row_id: rowId, ...values })
      .onConflict((oc) => oc.columns(['evaluation_id', 'row_id']).doUpdateSet(values))
      .execute();
    await trx.updateTable('sla_evaluations').set({ final_cents: total }).where('id', '=', evaluationId).execute();
    await recordAudit(trx, {
      action: 'sla_evaluation.row_decided',
      actorUserId: actor.userId,
      ip: actor.ip ?? null,
      userAgent: actor.userAgent ?? null,
      campaignId: evaluation.campaign_id,
      targetType: 'sla_evaluation',
      targetId: evaluationId,
      details: { month: evaluation.month, rowId, decision: input.decision, proposedCents: row.finalCents, finalCents, reason, monthFinalCents: total },
    });
  });
  return loadEvaluation(db, evaluationId);
}

/**
 * Validates the whole month: rows without a decision are accepted as proposed, the status turns
 * `validated` and the evaluation is frozen (409 on any later change). Refused when what the
 * proposal used has changed since (invoice, active table, deductions of earlier months).
 */
export async function validateEvaluation(db: Kysely<Database>, evaluationId: string, actor: Actor): Promise<EvaluationView> {
  await db.transaction().execute(async (trx) => {
    const peek = await trx.selectFrom('sla_evaluations').select('campaign_id').where('id', '=', evaluationId).executeTakeFirst();
    if (!peek) throw new HubError('HUB_ERR_NOT_FOUND', 'Evaluación de niveles de servicio no encontrada / SLA evaluation not found');
    await trx.selectFrom('campaigns').select('id').where('id', '=', peek.campaign_id).forUpdate().executeTakeFirst();
    const evaluation = await lockOpenEvaluation(trx, evaluationId);
    const { campaign_id: campaignId, month } = evaluation;
    await assertNoLaterValidated(trx, campaignId, month);
    const stale = (what: string) => new HubError('HUB_ERR_CONFLICT', `${what} cambió desde la propuesta; vuelva a calcular el mes / ${what} changed since the proposal, run the month again`);
    if ((await deductedBefore(trx, campaignId, month)) !== Number(evaluation.already_deducted_cents)) throw stale('Lo deducido en meses anteriores');
    if ((await invoiceOf(trx, campaignId, month)) !== Number(evaluation.invoice_cents)) throw stale('La factura del mes');
    const active = await activeSlaTable(trx, campaignId);
    if (active.id !== evaluation.table_id || active.version !== evaluation.table_version) throw stale('La tabla de niveles de servicio activa');

    const decided = new Set((await trx.selectFrom('sla_evaluation_decisions').select('row_id').where('evaluation_id', '=', evaluationId).execute()).map((d) => d.row_id));
    const implicit = evaluation.snapshot.evaluation.rows.filter((r) => !decided.has(r.rowId));
    if (implicit.length > 0) {
      await trx
        .insertInto('sla_evaluation_decisions')
        .values(implicit.map((r) => ({ evaluation_id: evaluationId, row_id: r.rowId, decision: 'accepted' as const, final_cents: r.finalCents, reason: null, decided_by: actor.userId })))
        .execute();
    }
    const validatedAt = new Date();
    await trx.updateTable('sla_evaluations').set({ status: 'validated', validated_by: actor.userId, validated_at: validatedAt }).where('id', '=', evaluationId).execute();
    await recordAudit(trx, {
      action: 'sla_evaluation.validated',
      actorUserId: actor.userId,
      ip: actor.ip ?? null,
      userAgent: actor.userAgent ?? null,
      campaignId,
      targetType: 'sla_evaluation',
      targetId: evaluationId,
      details: { month, proposedCents: Number(evaluation.proposed_cents), finalCents: Number(evaluation.final_cents), acceptedImplicitly: implicit.map((r) => r.rowId) },
    });
  });
  return loadEvaluation(db, evaluationId);
}
