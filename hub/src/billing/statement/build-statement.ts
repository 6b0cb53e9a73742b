import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { monthSpan } from '../../kpi/formulas/intervals.js';
import type { RateCard, Statement } from '../billing.contract.js';
import { loadRateCard } from '../rate-card/rate-card.store.js';
import { deriveUsage } from '../usage/derive-usage.js';
import { computeStatement } from './compute-statement.js';
import type { StatementInput } from './statement-input.js';
import {
  agentDayOccupancy,
  assertMonth,
  billedHistory,
  botRepeatedWrong,
  campaignTimeZone,
  closedMonths,
  contractOf,
  penaltiesOf,
  previousMonthOf,
  previouslyApplied,
  slaDeductions,
  type ClosedMonth,
} from './statement-loaders.js';
import { loadUsageAggregates } from './usage-totals.query.js';

/**
 * A month's statement (issue 10 item 7). A closed month answers the statement frozen in
 * billing_months. An open one is computed: the usage is derived again (unless `derive: false`),
 * everything the statement reads is loaded (statement-input.ts) and `computeStatement` (pure)
 * prices it; the subtotal then becomes the month's invoice for the SLA engine.
 */
export interface BuildStatementOptions {
  /** Recompute billing_usage_facts of the month (and of the previous month when it is closed) first; default true. */
  readonly derive?: boolean;
  /** The instant agent intervals still open are cut at (default now; never past the month's end). */
  readonly now?: Date;
}

export interface LoadedCard {
  readonly id: string | null;
  readonly version: number;
  readonly card: RateCard;
}

export async function buildStatement(db: Kysely<Database>, campaignId: string, month: string, opts: BuildStatementOptions = {}): Promise<Statement> {
  assertMonth(month);
  const timeZone = await campaignTimeZone(db, campaignId);
  const closed = await closedMonths(db, campaignId);
  const frozen = closed.find((c) => c.month === month);
  if (frozen) return frozen.statement;
  const card = await loadRateCard(db, campaignId);
  const now = opts.now ?? new Date();
  if (opts.derive !== false) await deriveStatementUsage(db, { campaignId, month, timeZone, card: card.card, closed, now });
  const ctx: ComposeContext = { campaignId, month, timeZone, card, closed, status: 'open', now };
  if (db.isTransaction) return composeStatement(db, ctx);
  // One snapshot for every input (a fact written meanwhile is in all of them or in none).
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((trx) => composeStatement(trx, ctx));
}

/**
 * Derives the month's usage, and the previous month's when that one is closed: its late events
 * become unbilled facts the statement bills as adjustments (derivation leaves billed facts alone).
 */
export async function deriveStatementUsage(
  db: Kysely<Database>,
  d: { campaignId: string; month: string; timeZone: string; card: RateCard; closed: readonly ClosedMonth[]; now: Date },
): Promise<void> {
  const rules = { billableStates: d.card.billableStates, erroneousDispositions: d.card.erroneousDispositions };
  const previous = previousMonthOf(d.month, d.timeZone);
  if (d.closed.some((c) => c.month === previous)) await deriveUsage(db, d.campaignId, previous, rules, { now: d.now });
  await deriveUsage(db, d.campaignId, d.month, rules, { now: d.now });
}

export interface ComposeContext {
  readonly campaignId: string;
  readonly month: string;
  readonly timeZone: string;
  readonly card: LoadedCard;
  readonly closed: readonly ClosedMonth[];
  readonly status: 'open' | 'closed';
  readonly now: Date;
}

/** Loads every input of an open month (no derivation), computes, records the invoice. */
export async function composeStatement(db: Kysely<Database>, ctx: ComposeContext): Promise<Statement> {
  const input = await loadStatementInput(db, ctx);
  const statement = computeStatement(input);
  await recordBillingInvoice(db, ctx.campaignId, ctx.month, statement.subtotalCents);
  return statement;
}

export async function loadStatementInput(db: Kysely<Database>, ctx: ComposeContext): Promise<StatementInput> {
  const { campaignId, month, timeZone, closed } = ctx;
  const closedBefore = closed.filter((c) => c.month < month).map((c) => c.month);
  const aggregates = await loadUsageAggregates(db, { campaignId, month, closedBefore });
  const occupancyMonths = [month, ...aggregates.agentDays.map((d) => d.usageMonth)];
  const occupancy = await agentDayOccupancy(db, campaignId, occupancyMonths, timeZone, ctx.card.card.occupancyTariff, Math.min(ctx.now.getTime(), monthSpan(month, timeZone).span.endMs));
  const contract = await contractOf(db, campaignId, month, closed);
  const applied = previouslyApplied(closed, month);
  return {
    campaignId,
    month,
    status: ctx.status,
    timeZone,
    rateCard: { id: ctx.card.id ?? '', version: ctx.card.version, card: ctx.card.card },
    usage: aggregates.usage,
    agentDays: aggregates.agentDays,
    occupancy,
    botRepeatedWrong: await botRepeatedWrong(db, campaignId, month, timeZone),
    slaDeductions: await slaDeductions(db, campaignId, month),
    penalties: await penaltiesOf(db, campaignId, month),
    maxContractAmountCents: contract.maxContractAmountCents,
    contractStartMonth: contract.contractStartMonth,
    previouslyAppliedDeductionsCents: applied.deductionsCents,
    previouslyAppliedPenaltiesCents: applied.penaltiesCents,
    history: billedHistory(closed, month),
    excluded: aggregates.excluded,
  };
}

/**
 * The subtotal is the month's invoice the SLA percentages apply to (sla_invoices, source
 * 'billing'). Never over the admin's own figure (source 'manual'), and never once the month's SLA
 * evaluation is validated: that evaluation is frozen with the invoice it used.
 */
export async function recordBillingInvoice(db: Kysely<Database>, campaignId: string, month: string, subtotalCents: number): Promise<void> {
  const validated = await db
    .selectFrom('sla_evaluations')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('month', '=', month)
    .where('status', '=', 'validated')
    .executeTakeFirst();
  if (validated) return;
  await db
    .insertInto('sla_invoices')
    .values({ campaign_id: campaignId, month, amount_cents: subtotalCents, source: 'billing', entered_by: null })
    .onConflict((oc) =>
      oc
        .columns(['campaign_id', 'month'])
        .doUpdateSet({ amount_cents: subtotalCents, entered_at: new Date() })
        .where('sla_invoices.source', '=', 'billing')
        .where('sla_invoices.amount_cents', '<>', String(subtotalCents)),
    )
    .execute();
}
