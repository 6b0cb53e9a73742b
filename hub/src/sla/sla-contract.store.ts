import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import type { Database } from '../db/schema.js';
import type { SlaContractRow, SlaOutageRow } from '../db/schema-sla.js';
import { HubError } from '../errors/error-registry.js';
import { localDateOf } from '../kpi/formulas/intervals.js';
import { monthsFromTo } from './sla-months.js';
import { parseOrThrow } from './sla-problems.js';
import { slaContractSchema, type SlaContract } from './sla-inputs.schema.js';
import type { Actor } from './sla-table.store.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface OutageView {
  readonly id: string;
  readonly campaignId: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly description: string;
  readonly createdAt: string;
}

function toContract(row: SlaContractRow): SlaContract {
  return {
    contractStartMonth: row.contract_start_month,
    maxContractAmountWithoutIvaCents: Number(row.max_contract_amount_cents),
    serviceLevelThresholdSeconds: row.service_level_threshold_seconds,
    serviceLevelDenominator: row.service_level_denominator,
    shortAbandonThresholdSeconds: row.short_abandon_threshold_seconds,
    ahtDefinition: row.aht_definition,
    responseLimitHours: row.response_limit_hours,
  };
}

export function toOutageView(row: SlaOutageRow): OutageView {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    startedAt: row.started_at.toISOString(),
    endedAt: row.ended_at.toISOString(),
    description: row.description,
    createdAt: row.created_at.toISOString(),
  };
}

export async function loadSlaContract(db: Db, campaignId: string): Promise<SlaContract | null> {
  const row = await db.selectFrom('sla_contracts').selectAll().where('campaign_id', '=', campaignId).executeTakeFirst();
  return row ? toContract(row) : null;
}

async function campaignZone(db: Db, campaignId: string): Promise<string> {
  const campaign = await db.selectFrom('campaigns').select('time_zone').where('id', '=', campaignId).executeTakeFirst();
  if (!campaign) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  return campaign.time_zone;
}

/** A validated month is frozen: nothing that fed it (invoice, outages) may change. */
async function assertMonthsOpen(db: Db, campaignId: string, months: readonly string[]): Promise<void> {
  const frozen = await db
    .selectFrom('sla_evaluations')
    .select('month')
    .where('campaign_id', '=', campaignId)
    .where('month', 'in', [...new Set(months)])
    .where('status', '=', 'validated')
    .executeTakeFirst();
  if (frozen) throw new HubError('HUB_ERR_CONFLICT', `El mes ${frozen.month} ya fue validado; sus datos no se pueden cambiar / month ${frozen.month} is validated and frozen`);
}

export async function saveSlaContract(db: Kysely<Database>, campaignId: string, input: unknown, actor: Actor): Promise<SlaContract> {
  const contract = parseOrThrow(slaContractSchema, input, 'Los datos del contrato no son válidos / the contract data is not valid');
  return db.transaction().execute(async (trx) => {
    await campaignZone(trx, campaignId);
    const values = {
      contract_start_month: contract.contractStartMonth,
      max_contract_amount_cents: contract.maxContractAmountWithoutIvaCents,
      service_level_threshold_seconds: contract.serviceLevelThresholdSeconds,
      service_level_denominator: contract.serviceLevelDenominator,
      short_abandon_threshold_seconds: contract.shortAbandonThresholdSeconds,
      aht_definition: contract.ahtDefinition,
      response_limit_hours: contract.responseLimitHours,
      updated_by: actor.userId,
      updated_at: new Date(),
    };
    await trx
      .insertInto('sla_contracts')
      .values({ campaign_id: campaignId, ...values })
      .onConflict((oc) => oc.column('campaign_id').doUpdateSet(values))
      .execute();
    await recordAudit(trx, { action: 'sla_contract.updated', actorUserId: actor.userId, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null, campaignId, targetType: 'sla_contract', targetId: campaignId, details: { ...contract } });
    return contract;
  });
}

export async function listInvoices(db: Db, campaignId: string): Promise<{ month: string; amountCents: number; source: string; enteredAt: string }[]> {
  const rows = await db.selectFrom('sla_invoices').selectAll().where('campaign_id', '=', campaignId).orderBy('month', 'desc').execute();
  return rows.map((r) => ({ month: r.month, amountCents: Number(r.amount_cents), source: r.source, enteredAt: r.entered_at.toISOString() }));
}

export async function invoiceOf(db: Db, campaignId: string, month: string): Promise<number | null> {
  const row = await db.selectFrom('sla_invoices').select('amount_cents').where('campaign_id', '=', campaignId).where('month', '=', month).executeTakeFirst();
  return row ? Number(row.amount_cents) : null;
}

export async function setInvoice(db: Kysely<Database>, campaignId: string, month: string, amountCents: number, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await campaignZone(trx, campaignId);
    await assertMonthsOpen(trx, campaignId, [month]);
    const previous = await invoiceOf(trx, campaignId, month);
    await trx
      .insertInto('sla_invoices')
      .values({ campaign_id: campaignId, month, amount_cents: amountCents, source: 'manual', entered_by: actor.userId })
      .onConflict((oc) => oc.columns(['campaign_id', 'month']).doUpdateSet({ amount_cents: amountCents, source: 'manual', entered_by: actor.userId, entered_at: new Date() }))
      .execute();
    await recordAudit(trx, { action: 'sla_invoice.set', actorUserId: actor.userId, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null, campaignId, targetType: 'sla_invoice', targetId: `${campaignId}:${month}`, details: { month, amountCents, previousCents: previous } });
  });
}

/** Outages overlapping [from, to). */
export async function outagesBetween(db: Db, campaignId: string, from: Date, to: Date): Promise<OutageView[]> {
  const rows = await db
    .selectFrom('sla_outages')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('started_at', '<', to)
    .where('ended_at', '>', from)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
  return rows.map(toOutageView);
}

function monthsTouched(start: Date, end: Date, timeZone: string): string[] {
  // The end is exclusive: an outage ending exactly at midnight of the 1st does not touch that month.
  return monthsFromTo(localDateOf(start.getTime(), timeZone).slice(0, 7), localDateOf(end.getTime() - 1, timeZone).slice(0, 7));
}

export async function createOutage(db: Kysely<Database>, campaignId: string, input: { startedAt: string; endedAt: string; description: string }, actor: Actor): Promise<OutageView> {
  return db.transaction().execute(async (trx) => {
    const zone = await campaignZone(trx, campaignId);
    const start = new Date(input.startedAt);
    const end = new Date(input.endedAt);
    await assertMonthsOpen(trx, campaignId, monthsTouched(start, end, zone));
    const row = await trx
      .insertInto('sla_outages')
      .values({ campaign_id: campaignId, started_at: start, ended_at: end, description: input.description, created_by: actor.userId })
      .returningAll()
      .executeTakeFirstOrThrow();
    const view = toOutageView(row);
    await recordAudit(trx, { action: 'sla_outage.created', actorUserId: actor.userId, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null, campaignId, targetType: 'sla_outage', targetId: row.id, details: { ...view } });
    return view;
  });
}

/** Returns the deleted outage's campaign (the route checks access before calling). */
export async function outageCampaign(db: Db, outageId: string): Promise<string> {
  const row = await db.selectFrom('sla_outages').select('campaign_id').where('id', '=', outageId).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_NOT_FOUND', 'Interrupción no encontrada / outage not found');
  return row.campaign_id;
}

export async function deleteOutage(db: Kysely<Database>, outageId: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('sla_outages').selectAll().where('id', '=', outageId).forUpdate().executeTakeFirst();
    if (!row) throw new HubError('HUB_ERR_NOT_FOUND', 'Interrupción no encontrada / outage not found');
    const zone = await campaignZone(trx, row.campaign_id);
    await assertMonthsOpen(trx, row.campaign_id, monthsTouched(row.started_at, row.ended_at, zone));
    await trx.deleteFrom('sla_outages').where('id', '=', outageId).execute();
    await recordAudit(trx, { action: 'sla_outage.deleted', actorUserId: actor.userId, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null, campaignId: row.campaign_id, targetType: 'sla_outage', targetId: row.id, details: { ...toOutageView(row) } });
  });
}
