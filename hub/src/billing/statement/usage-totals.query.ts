import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ExcludedInteraction, UsageMeter } from '../billing.contract.js';
import type { AgentDayTime, UsageTotal } from './statement-input.js';

/**
 * The statement's usage, summed in PostgreSQL from billing_usage_facts. A statement bills the
 * month's unbilled facts plus the unbilled (late) facts of earlier **closed** months, which
 * become adjustments (their usageMonth < month). Facts of an earlier month that is still open
 * belong to that month's own statement and are left out here.
 *
 * Both sides of the scope are `billed_in_month IS NULL AND month = ANY(scope months)`, the shape
 * of `billing_usage_facts_unbilled_idx (campaign_id, month) WHERE billed_in_month IS NULL`.
 */
export interface UsageAggregates {
  readonly usage: readonly UsageTotal[];
  readonly agentDays: readonly AgentDayTime[];
  readonly excluded: readonly ExcludedInteraction[];
}

export interface UsageScope {
  readonly campaignId: string;
  readonly month: string;
  /** Closed months before `month` (billing_months): their unbilled facts are late usage. */
  readonly closedBefore: readonly string[];
}

type Dim<T> = T | null;

/** One group of the single scan: every dimension, plus agent and day for agent_time (else null). */
interface GrainRow {
  meter: UsageMeter;
  seat_type: Dim<'PS-I' | 'PS-P'>;
  tier: Dim<number>;
  channel_class: Dim<'voice' | 'text' | 'email'>;
  channel_kind: Dim<string>;
  direction: Dim<'inbound' | 'outbound'>;
  month: string;
  agent_id: string | null;
  local_day: string | null;
  duration_ms: string;
  items: string;
  weighted: string;
  facts: string;
}

interface ExcludedRow {
  folio: string | null;
  conversation_id: string | null;
  call_sid: string | null;
  problem: string;
  meters: UsageMeter[];
  duration_ms: string;
  items: string;
}

const tierOf = (value: number | null): 1 | 2 | null => (value === 1 || value === 2 ? value : null);

/** `{m1,m2}` as one text[] parameter. */
function monthsArray(scope: UsageScope): ReturnType<typeof sql> {
  const months = [scope.month, ...scope.closedBefore.filter((m) => m < scope.month)];
  return sql`${`{${months.join(',')}}`}::text[]`;
}

function scopeWhere(scope: UsageScope): ReturnType<typeof sql> {
  return sql`campaign_id = ${scope.campaignId}::uuid AND billed_in_month IS NULL AND month = ANY(${monthsArray(scope)})`;
}

/**
 * Planner settings for the usage scan, local to a transaction (the caller's, restored after, or
 * one of its own). The planner cannot estimate the groups (it assumed 100,000 for 5,605 real ones
 * at 1,000,000 facts) and chose sort + group aggregate, which sorted on disk: 5.7 s against
 * ≈ 1 s for the hash aggregate (EXPLAIN ANALYZE). jit off: compiling the aggregates costs more
 * than it saves here. Same remedy as the KPI series (kpi/aggregates/kpi-series.ts tuneSeries).
 */
async function withScanSettings<T>(db: Kysely<Database>, run: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  const tune = async (tx: Kysely<Database>): Promise<void> => {
    await sql`SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true), set_config('enable_sort', 'off', true)`.execute(tx);
  };
  if (!db.isTransaction) {
    return db.transaction().execute(async (trx) => {
      await tune(trx);
      return run(trx);
    });
  }
  const saved = await sql<{ jit: string; work_mem: string; enable_sort: string }>`
    SELECT current_setting('jit') AS jit, current_setting('work_mem') AS work_mem, current_setting('enable_sort') AS enable_sort`.execute(db);
  await tune(db);
  // A failed query aborts the caller's transaction anyway: restore only after success.
  const result = await run(db);
  const old = saved.rows[0];
  if (old) await sql`SELECT set_config('jit', ${old.jit}, true), set_config('work_mem', ${old.work_mem}, true), set_config('enable_sort', ${old.enable_sort}, true)`.execute(db);
  return result;
}

/** Code-point order (like COLLATE "C"): the same order on every machine, nulls first. */
function compareKeys(a: readonly (string | number | null)[], b: readonly (string | number | null)[]): number {
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

const usageKey = (u: UsageTotal): (string | number | null)[] => [u.usageMonth, u.meter, u.seatType, u.tier, u.channelClass, u.channelKind, u.direction];
const dayKey = (d: AgentDayTime): (string | number | null)[] => [d.usageMonth, d.localDay, d.agentId, d.seatType, d.tier, d.channelClass, d.channelKind ?? null, d.direction ?? null];

/**
 * The billable facts (evidence_problem IS NULL) of the scope in ONE pass, grouped at the finest
 * grain either result needs: every dimension and month, plus agent and local day for agent_time.
 * A plain GROUP BY keeps the scan parallel (PostgreSQL does not run GROUPING SETS in parallel),
 * and a second scan for the agent-days would read the month again: agent_time facts are spread
 * over every page (≈ 1.9 s per million facts measured for that scan alone). The few thousand
 * groups are then rolled up here: usage per dimensions and month, agent-days per agent and day.
 */
export async function usageAndAgentDays(db: Kysely<Database>, scope: UsageScope): Promise<{ usage: UsageTotal[]; agentDays: AgentDayTime[] }> {
  const result = await withScanSettings(db, (tx) => sql<GrainRow>`
    SELECT meter, seat_type, tier, channel_class, channel_kind, direction, month,
      CASE WHEN meter = 'agent_time' THEN agent_id END AS agent_id,
      to_char(CASE WHEN meter = 'agent_time' THEN local_day END, 'YYYY-MM-DD') AS local_day,
      sum(duration_ms) AS duration_ms, sum(quantity) AS items, sum(quantity::bigint * weight_pct) AS weighted, count(*) AS facts
    FROM billing_usage_facts
    WHERE ${scopeWhere(scope)} AND evidence_problem IS NULL
    GROUP BY meter, seat_type, tier, channel_class, channel_kind, direction, month,
      CASE WHEN meter = 'agent_time' THEN agent_id END, CASE WHEN meter = 'agent_time' THEN local_day END`.execute(tx));
  const usage = new Map<string, { -readonly [K in keyof UsageTotal]: UsageTotal[K] }>();
  const agentDays: AgentDayTime[] = [];
  for (const r of result.rows) {
    const durationMs = Number(r.duration_ms);
    const factCount = Number(r.facts);
    const dims = { seatType: r.seat_type, tier: tierOf(r.tier), channelClass: r.channel_class };
    const key = JSON.stringify([r.meter, r.seat_type, r.tier, r.channel_class, r.channel_kind, r.direction, r.month]);
    const total = usage.get(key);
    if (total) {
      total.durationMs += durationMs;
      total.items += Number(r.items);
      total.weightedPct += Number(r.weighted);
      total.factCount += factCount;
    } else {
      usage.set(key, { meter: r.meter, ...dims, channelKind: r.channel_kind, direction: r.direction, usageMonth: r.month, durationMs, items: Number(r.items), weightedPct: Number(r.weighted), factCount });
    }
    // Agent time without an agent cannot take a day's occupancy: it stays in the usage totals only.
    if (r.meter === 'agent_time' && r.agent_id !== null && r.local_day !== null) {
      agentDays.push({ agentId: r.agent_id, localDay: r.local_day, usageMonth: r.month, ...dims, channelKind: r.channel_kind, direction: r.direction, durationMs, factCount });
    }
  }
  return {
    usage: [...usage.values()].sort((a, b) => compareKeys(usageKey(a), usageKey(b))),
    agentDays: agentDays.sort((a, b) => compareKeys(dayKey(a), dayKey(b))),
  };
}

/** Σ per meter, every dimension and the facts' month (billable facts only). */
export async function usageTotals(db: Kysely<Database>, scope: UsageScope): Promise<UsageTotal[]> {
  return (await usageAndAgentDays(db, scope)).usage;
}

/**
 * Billable agent_time per agent and local day (the occupancy tariff is per agent per day), split
 * by the same dimensions as the usage totals.
 */
export async function agentDayTimes(db: Kysely<Database>, scope: UsageScope): Promise<AgentDayTime[]> {
  return (await usageAndAgentDays(db, scope)).agentDays;
}

/**
 * Interactions without the evidence the contract requires (seed-digest §5.6: "no facturables en
 * toda su traza"), one entry per conversation, else per call, else per folio, and problem: every
 * meter of its trace with its seconds and items. Reads only `billing_usage_facts_excluded_idx`
 * (0024), so a month of millions of facts costs a few rows here.
 */
export async function excludedInteractions(db: Kysely<Database>, scope: UsageScope): Promise<ExcludedInteraction[]> {
  const result = await sql<ExcludedRow>`
    SELECT min(folio) AS folio, min(conversation_id::text) AS conversation_id, min(call_sid) AS call_sid, evidence_problem AS problem,
      array_agg(DISTINCT meter ORDER BY meter) AS meters, sum(duration_ms) AS duration_ms, sum(quantity) AS items
    FROM billing_usage_facts
    WHERE ${scopeWhere(scope)} AND evidence_problem IS NOT NULL
    GROUP BY COALESCE('c:' || conversation_id::text, 's:' || call_sid, 'f:' || folio, 'i:' || id::text), evidence_problem
    ORDER BY min(folio) COLLATE "C" NULLS LAST, min(conversation_id::text) COLLATE "C" NULLS LAST, min(call_sid) COLLATE "C" NULLS LAST, evidence_problem COLLATE "C"`.execute(db);
  return result.rows.map((r) => ({
    folio: r.folio,
    conversationId: r.conversation_id,
    callSid: r.call_sid,
    problem: r.problem,
    meters: r.meters,
    seconds: Number(r.duration_ms) / 1000,
    items: Number(r.items),
  }));
}

/** The usage scan, then the excluded list (inside a caller's transaction: one connection). */
export async function loadUsageAggregates(db: Kysely<Database>, scope: UsageScope): Promise<UsageAggregates> {
  const { usage, agentDays } = await usageAndAgentDays(db, scope);
  const excluded = await excludedInteractions(db, scope);
  return { usage, agentDays, excluded };
}

/**
 * Closing: every fact of the scope (billable and excluded alike) is stamped as billed by the
 * month, the same rows the aggregates above read. Returns how many.
 */
export async function stampBilled(db: Kysely<Database>, scope: UsageScope): Promise<number> {
  const result = await sql`UPDATE billing_usage_facts SET billed_in_month = ${scope.month} WHERE ${scopeWhere(scope)}`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
