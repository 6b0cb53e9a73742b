import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { BotMetrics, IntentMetrics } from './console.contract.js';

/** Two wrong answers on one intent in the period is the repeated deviation seed-digest §5.4 deducts for (L2059). */
const REPEATED_WRONG = 2;
/** Interactions no intent was matched in (fallback, KB): shown under this name. */
const NO_INTENT = '(sin intención)';

interface Row {
  intent: string | null;
  volume: number;
  resolved: number;
  handed_off: number;
  wrong: number;
  cut_off: number;
  weight_pct: number;
}

/**
 * Per-intent results of the bot from the current outcome of each interaction (a flag supersedes
 * the first outcome: only `superseded_by IS NULL` counts). The period is when the interaction
 * began (the session's start), so a wrong-answer flag days later changes the figures of the
 * period the interaction belongs to instead of moving it to the flag's.
 */
export async function botMetrics(db: Kysely<Database>, campaignId: string, period: { from: Date; to: Date }): Promise<BotMetrics> {
  const rows = await db
    .selectFrom('bot_outcomes as o')
    .innerJoin('bot_sessions as s', 's.id', 'o.session_id')
    .select([
      'o.intent',
      sql<number>`count(*)::int`.as('volume'),
      sql<number>`count(*) FILTER (WHERE o.outcome = 'resolved')::int`.as('resolved'),
      sql<number>`count(*) FILTER (WHERE o.outcome = 'handed_off')::int`.as('handed_off'),
      sql<number>`count(*) FILTER (WHERE o.outcome = 'wrong')::int`.as('wrong'),
      sql<number>`count(*) FILTER (WHERE o.outcome = 'cut_off')::int`.as('cut_off'),
      sql<number>`coalesce(sum(o.weight_pct), 0)::int`.as('weight_pct'),
    ])
    .where('o.campaign_id', '=', campaignId)
    .where('o.superseded_by', 'is', null)
    .where('s.started_at', '>=', period.from)
    .where('s.started_at', '<', period.to)
    .groupBy('o.intent')
    .execute();
  const intents = rows.map(intentMetrics).sort((a, b) => b.volume - a.volume || a.intent.localeCompare(b.intent));
  const sum = (pick: (row: Row) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const interactions = sum((r) => r.volume);
  const resolved = sum((r) => r.resolved);
  return {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    totals: {
      interactions,
      resolved,
      handedOff: sum((r) => r.handed_off),
      wrong: sum((r) => r.wrong),
      cutOff: sum((r) => r.cut_off),
      containment: ratio(resolved, interactions),
      billableWeightedInteractions: sum((r) => r.weight_pct) / 100,
    },
    intents,
  };
}

function intentMetrics(row: Row): IntentMetrics {
  return {
    intent: row.intent ?? NO_INTENT,
    volume: row.volume,
    resolved: row.resolved,
    handedOff: row.handed_off,
    wrong: row.wrong,
    cutOff: row.cut_off,
    containment: ratio(row.resolved, row.volume),
    handoffRate: ratio(row.handed_off, row.volume),
    accuracy: ratio(row.volume - row.wrong, row.volume),
    repeatedWrong: row.wrong >= REPEATED_WRONG,
  };
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}
