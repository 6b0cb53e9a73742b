import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { agentTime } from '../../kpi/aggregates/agent-time.js';
import { indexBuckets } from '../../kpi/aggregates/sql-buckets.js';
import { localDateOf, monthSpan } from '../../kpi/formulas/intervals.js';
import { loadSlaContract } from '../../sla/sla-contract.store.js';
import type { OccupancyTariff, Statement } from '../billing.contract.js';
import type { AgentDayOccupancy, PenaltyInput, SlaDeductionInput } from './statement-input.js';

/**
 * Everything around the usage that a statement reads (statement-input.ts), one query each, every
 * one through the `db` it is given (a caller's transaction stays on its one connection).
 */

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function assertMonth(month: string): void {
  if (!MONTH.test(month)) throw new HubError('HUB_ERR_VALIDATION', `El mes debe tener la forma AAAA-MM / month must be YYYY-MM ("${month}")`);
}

/** The month before, in the campaign's calendar (the local day just before the month's first instant). */
export function previousMonthOf(month: string, timeZone: string): string {
  return localDateOf(monthSpan(month, timeZone).span.startMs - 1, timeZone).slice(0, 7);
}

export async function campaignTimeZone(db: Kysely<Database>, campaignId: string): Promise<string> {
  const row = await db.selectFrom('campaigns').select('time_zone').where('id', '=', campaignId).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  return row.time_zone;
}

export interface ClosedMonth {
  readonly month: string;
  readonly statement: Statement;
}

/** The campaign's closed months (billing_months), oldest first. */
export async function closedMonths(db: Kysely<Database>, campaignId: string): Promise<ClosedMonth[]> {
  const rows = await db.selectFrom('billing_months').select(['month', 'statement']).where('campaign_id', '=', campaignId).orderBy('month').execute();
  return rows.map((r) => ({ month: r.month, statement: r.statement }));
}

/** Σ applied deductions and penalties of the closed months before `month` (the global cap is shared). */
export function previouslyApplied(closed: readonly ClosedMonth[], month: string): { deductionsCents: number; penaltiesCents: number } {
  let deductionsCents = 0;
  let penaltiesCents = 0;
  for (const c of closed) {
    if (c.month >= month) continue;
    deductionsCents += c.statement.deductionsCents;
    penaltiesCents += c.statement.penaltiesCents;
  }
  return { deductionsCents, penaltiesCents };
}

/** Billed quantity per concept of each closed month before `month` (every line kind: usage, adjustment, fixed). */
export function billedHistory(closed: readonly ClosedMonth[], month: string): { month: string; conceptCode: string; quantity: number }[] {
  const out: { month: string; conceptCode: string; quantity: number }[] = [];
  for (const c of closed) {
    if (c.month >= month) continue;
    const byConcept = new Map<string, number>();
    for (const line of c.statement.lines) byConcept.set(line.conceptCode, (byConcept.get(line.conceptCode) ?? 0) + line.quantity);
    for (const [conceptCode, quantity] of [...byConcept].sort(([a], [b]) => a.localeCompare(b))) out.push({ month: c.month, conceptCode, quantity });
  }
  return out;
}

/**
 * The month's SLA deduction (sla_evaluations): validated → the admin's final amount (applied);
 * proposed → the engine's proposal (shown, not applied); none → not evaluated, 0.
 */
export async function slaDeductions(db: Kysely<Database>, campaignId: string, month: string): Promise<SlaDeductionInput[]> {
  const row = await db
    .selectFrom('sla_evaluations')
    .select(['id', 'status', 'proposed_cents', 'final_cents', 'validated_at'])
    .where('campaign_id', '=', campaignId)
    .where('month', '=', month)
    .executeTakeFirst();
  if (!row) {
    return [{ evaluationId: null, status: 'not_evaluated', amountCents: 0, conceptCode: null, description: `Deductivas por niveles de servicio de ${month}: el mes no se ha evaluado (no se aplica nada)` }];
  }
  if (row.status === 'validated') {
    return [{ evaluationId: row.id, status: 'validated', amountCents: Number(row.final_cents), conceptCode: null, description: `Deductivas por niveles de servicio de ${month}, validadas por el administrador` }];
  }
  return [{ evaluationId: row.id, status: 'proposed', amountCents: Number(row.proposed_cents), conceptCode: null, description: `Deductivas por niveles de servicio de ${month}, propuestas y pendientes de validar (no se aplican)` }];
}

export async function penaltiesOf(db: Kysely<Database>, campaignId: string, month: string): Promise<PenaltyInput[]> {
  const rows = await db.selectFrom('billing_penalties').selectAll().where('campaign_id', '=', campaignId).where('month', '=', month).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, description: r.description, kind: r.kind, units: r.units, amountPerUnitCents: Number(r.amount_per_unit_cents) }));
}

/**
 * The contract (sla_contracts): its maximum amount without IVA (global cap) and first month.
 * Without a row: no global cap known (null), and the term starts at the first closed month, else
 * at this one.
 */
export async function contractOf(db: Kysely<Database>, campaignId: string, month: string, closed: readonly ClosedMonth[]): Promise<{ maxContractAmountCents: number | null; contractStartMonth: string }> {
  const contract = await loadSlaContract(db, campaignId);
  if (contract) return { maxContractAmountCents: contract.maxContractAmountWithoutIvaCents, contractStartMonth: contract.contractStartMonth };
  const first = closed[0]?.month;
  return { maxContractAmountCents: null, contractStartMonth: first !== undefined && first < month ? first : month };
}

/** bot.repeated_wrong events of the local month (each deducts the cost of 5 interactions, §5.4). */
export async function botRepeatedWrong(db: Kysely<Database>, campaignId: string, month: string, timeZone: string): Promise<number> {
  const { span } = monthSpan(month, timeZone);
  const row = await db
    .selectFrom('interaction_events')
    .select(sql<string>`count(*)`.as('n'))
    .where('campaign_id', '=', campaignId)
    .where('type', '=', 'bot.repeated_wrong')
    .where('occurred_at', '>=', new Date(span.startMs))
    .where('occurred_at', '<', new Date(span.endMs))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Each agent's occupancy inputs per local day of the given months, from the KPI facts: the agent
 * time of the KPI series (`agentTime`, day buckets: state intervals and talk/hold segments cut at
 * local midnight) with the idle-Avail rule of `kpi/aggregates/series-row.ts` `occupancyOf` (the
 * router keeps a serving agent `available`): phone Avail = available − voice talk − hold; chat
 * Avail = available − text talk / n, hold 0. Unlike `occupancyOf`, an agent-day is never dropped
 * for having no traffic in the tariff's channel: the statement gives a day without a reading the
 * lowest band, and an idle but logged-in day has a reading (0 % busy).
 */
export async function agentDayOccupancy(
  db: Kysely<Database>,
  campaignId: string,
  months: readonly string[],
  timeZone: string,
  tariff: OccupancyTariff,
  asOfMs: number,
): Promise<AgentDayOccupancy[]> {
  if (!tariff.enabled) return [];
  const out: AgentDayOccupancy[] = [];
  for (const month of [...new Set(months)].sort()) {
    const { span } = monthSpan(month, timeZone);
    const range = { startMs: span.startMs, endMs: span.endMs };
    const index = indexBuckets(range, 'day', timeZone);
    const times = await agentTime(db, index, { campaignId, range, asOfMs: Math.min(asOfMs, span.endMs) });
    for (const [ord, agents] of [...times].sort(([a], [b]) => a - b)) {
      const day = index.buckets[ord]?.key;
      if (day === undefined) continue;
      for (const [agentId, time] of [...agents].sort(([a], [b]) => a.localeCompare(b))) {
        const available = time.stateTimesMs['available'] ?? 0;
        const acwMs = time.stateTimesMs['after_contact_work'] ?? 0;
        out.push(
          tariff.formula === 'phone'
            ? { agentId, localDay: day, talkMs: time.talkVoiceMs, holdMs: time.holdMs, acwMs, availMs: Math.max(0, available - time.talkVoiceMs - time.holdMs) }
            : { agentId, localDay: day, talkMs: time.talkTextMs, holdMs: 0, acwMs, availMs: Math.max(0, available - time.talkTextMs / Math.max(1, tariff.sessions)) },
        );
      }
    }
  }
  return out;
}
