import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { bucketsBetween, type Bucket } from '../formulas/intervals.js';
import { THIRTEEN_HOURS_MS } from '../formulas/response-time.js';
import { addAgentTime, agentTime, ZERO_AGENT_TIME, type AgentTime, type AgentTimeIndex } from './agent-time.js';
import { addSums, contactAggregates, ZERO_SUMS, type ContactGroupRow, type ContactSums } from './contact-aggregates.js';
import type { KpiDimension, KpiSeries, KpiSeriesQuery, KpiSeriesRow } from './kpi-series.contract.js';
import { localDay } from './local-day.js';
import { occupancyOf, pooledOccupancy, seriesRow, type OccupancyPair, type RowSettings } from './series-row.js';
import { indexBuckets, type BucketIndex, type QueryRange } from './sql-buckets.js';

export type { KpiSeries, KpiSeriesQuery, KpiSeriesRow } from './kpi-series.contract.js';

const DIMENSIONS: readonly KpiDimension[] = ['queue', 'channel', 'agent'];
const DEFAULT_TEXT_SESSIONS = 4;

export interface SeriesOptions {
  /** Compute FCR (the repeat-contact anti-join); dailyKpis does not need it. */
  readonly fcr: boolean;
  /** Read agent time (states and segments) for campaign and agent rows. */
  readonly agentTime: boolean;
}

function invalid(es: string, en: string): RangeError {
  return new RangeError(`${es} / ${en}`);
}

function checkQuery(query: KpiSeriesQuery, groupings: readonly (readonly KpiDimension[])[]): void {
  if (!['half_hour', 'day', 'week', 'month'].includes(query.interval)) throw invalid('intervalo desconocido', `unknown interval "${query.interval}"`);
  for (const dims of groupings) {
    for (const dim of dims) if (!DIMENSIONS.includes(dim)) throw invalid('dimensión desconocida', `unknown dimension "${dim}"`);
    if (new Set(dims).size !== dims.length) throw invalid('dimensión repetida', 'duplicate dimension');
  }
  const nonNegative = { serviceLevelThresholdMs: query.serviceLevelThresholdMs, shortAbandonThresholdMs: query.shortAbandonThresholdMs, responseLimitMs: query.responseLimitMs, fcrWindowDays: query.fcrWindowDays };
  for (const [name, value] of Object.entries(nonNegative)) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw invalid(`${name} debe ser un entero ≥ 0`, `${name} must be an integer ≥ 0`);
  }
  if (query.chatSessions !== undefined && (!Number.isInteger(query.chatSessions) || query.chatSessions < 1)) {
    throw invalid('chatSessions debe ser un entero ≥ 1', 'chatSessions must be an integer ≥ 1');
  }
  if (query.asOf !== undefined && Number.isNaN(query.asOf.getTime())) throw invalid('asOf no es una fecha válida', 'asOf is not a valid date');
}

function textSessionsOf(routing: unknown): number {
  if (typeof routing !== 'object' || routing === null || !('capacity' in routing)) return DEFAULT_TEXT_SESSIONS;
  const capacity = routing.capacity;
  if (typeof capacity !== 'object' || capacity === null || !('text' in capacity)) return DEFAULT_TEXT_SESSIONS;
  const text = capacity.text;
  return typeof text === 'number' && Number.isInteger(text) && text >= 1 ? text : DEFAULT_TEXT_SESSIONS;
}

interface Combo {
  readonly queueId: string | null;
  readonly channelKind: string | null;
  readonly agentId: string | null;
}

const comboKey = (c: Combo): string => JSON.stringify([c.queueId, c.channelKind, c.agentId]);

function compareNullable(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

interface Context {
  readonly query: KpiSeriesQuery;
  readonly timeZone: string;
  readonly range: QueryRange;
  readonly index: BucketIndex;
  /** Month series: the period's local days (contact rows carry their day ordinal); else null. */
  readonly days: readonly Bucket[] | null;
  readonly settings: RowSettings;
  readonly agentTimes: AgentTimeIndex | null;
}

function agentTimeFor(ctx: Context, dims: readonly KpiDimension[], ord: number, agentId: string | null): { own: AgentTime; occupancy: OccupancyPair } | null {
  if (ctx.agentTimes === null || dims.includes('queue') || dims.includes('channel') || ctx.query.queueId !== undefined || ctx.query.channelKind !== undefined) return null;
  const agents = ctx.agentTimes.get(ord) ?? new Map<string, AgentTime>();
  const sessions = ctx.settings.chatSessions;
  if (agentId !== null) {
    const own = agents.get(agentId) ?? ZERO_AGENT_TIME;
    return { own, occupancy: occupancyOf(own, sessions) };
  }
  const all = [...agents.values()];
  if (all.length === 0) return { own: ZERO_AGENT_TIME, occupancy: occupancyOf(ZERO_AGENT_TIME, sessions) };
  return { own: all.reduce(addAgentTime, ZERO_AGENT_TIME), occupancy: pooledOccupancy(all, sessions) };
}

/** The period's days inside a month bucket, with their ordinals in ctx.days. */
function monthDays(ctx: Context, bucket: Bucket): { day: Bucket; ord: number }[] {
  return (ctx.days ?? []).flatMap((day, ord) => (day.startMs >= bucket.startMs && day.startMs < bucket.endMs ? [{ day, ord }] : []));
}

/** Sums one SQL group into its grouping row. */
function accumulate(into: Map<string, ContactSums>, key: string, add: ContactSums): void {
  const current = into.get(key);
  into.set(key, current === undefined ? add : addSums(current, add));
}

/** One grouping's rows: the SQL groups (finest grain) summed onto the grouping's dimensions. */
function assemble(ctx: Context, dims: readonly KpiDimension[], rows: readonly ContactGroupRow[]): KpiSeriesRow[] {
  const byAgent = dims.includes('agent');
  const combos = new Map<string, Combo>();
  const sums = new Map<string, ContactSums>();
  const daySums = new Map<string, ContactSums>();
  if (dims.length === 0) combos.set(comboKey({ queueId: null, channelKind: null, agentId: null }), { queueId: null, channelKind: null, agentId: null });
  for (const row of rows) {
    // Unanswered contacts have no agent: agent rows count the contacts each agent answered first.
    if (byAgent && row.agentId === null) continue;
    const combo = {
      queueId: dims.includes('queue') ? row.queueId : null,
      channelKind: dims.includes('channel') ? row.channelKind : null,
      agentId: byAgent ? row.agentId : null,
    };
    const key = comboKey(combo);
    combos.set(key, combo);
    const ord = row.bucketOrd;
    if (ord < 0 || ord >= ctx.index.buckets.length) throw new Error(`KPI contact outside the buckets (ordinal ${ord})`);
    accumulate(sums, `${ord}|${key}`, row.sums);
    if (ctx.days !== null) accumulate(daySums, `${row.dayOrd}|${key}`, row.sums);
  }
  if (byAgent && dims.length === 1 && ctx.agentTimes !== null) {
    for (const agents of ctx.agentTimes.values()) for (const agentId of agents.keys()) combos.set(comboKey({ queueId: null, channelKind: null, agentId }), { queueId: null, channelKind: null, agentId });
  }
  const ordered = [...combos.values()].sort(
    (a, b) => compareNullable(a.queueId, b.queueId) || compareNullable(a.channelKind, b.channelKind) || compareNullable(a.agentId, b.agentId),
  );
  const out: KpiSeriesRow[] = [];
  ctx.index.buckets.forEach((bucket, ord) => {
    for (const combo of ordered) {
      const key = comboKey(combo);
      const days = ctx.days === null ? null : monthDays(ctx, bucket).map(({ day, ord: dayOrd }) => ({ date: day.key, sums: daySums.get(`${dayOrd}|${key}`) ?? ZERO_SUMS }));
      out.push(
        seriesRow(
          {
            bucket,
            ...combo,
            sums: sums.get(`${ord}|${key}`) ?? ZERO_SUMS,
            days,
            agentTime: agentTimeFor(ctx, dims, ord, combo.agentId),
            ahtFromAgentTime: byAgent && dims.length === 1,
          },
          ctx.settings,
        ),
      );
    }
  });
  return out;
}

/**
 * Several groupings of one period in one scan of the facts (dailyKpis asks for four). Returns the
 * rows of each grouping, in the order given. `kpiSeries` is the one-grouping case.
 */
export async function kpiSeriesGroupings(
  db: Kysely<Database>,
  query: KpiSeriesQuery,
  groupings: readonly (readonly KpiDimension[])[],
  options: SeriesOptions,
): Promise<{ timeZone: string; rows: KpiSeriesRow[][] }> {
  checkQuery(query, groupings);
  // Called inside the caller's transaction, it runs there, and the caller's settings come back after.
  if (db.isTransaction) {
    const saved = await sql<{ jit: string; work_mem: string; enable_sort: string }>`
      SELECT current_setting('jit') AS jit, current_setting('work_mem') AS work_mem, current_setting('enable_sort') AS enable_sort`.execute(db);
    await tuneSeries(db);
    // A failed query aborts the caller's transaction anyway: restore only after success.
    const result = await seriesIn(db, query, groupings, options);
    const old = saved.rows[0];
    if (old) {
      await sql`SELECT set_config('jit', ${old.jit}, true), set_config('work_mem', ${old.work_mem}, true), set_config('enable_sort', ${old.enable_sort}, true)`.execute(db);
    }
    return result;
  }
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await tuneSeries(trx);
      return seriesIn(trx, query, groupings, options);
    });
}

/**
 * Planner settings for the series' two queries, local to the transaction (one snapshot for both).
 * - jit off: compiling the ~20 aggregate expressions costs more than it saves on a period's scan
 *   (bench: 200,000 contacts, series by queue 3.8 s → 2.0 s, day report 0.96 → 0.78 s).
 * - enable_sort off, work_mem 64 MB: the planner cannot estimate the bucket groups (it assumes one
 *   per contact, so 1,000,000 groups for 12,288 real ones) and picks sort + group aggregate, which
 *   sorted on disk (EXPLAIN ANALYZE at 200,000 contacts: 1.2 s; hash aggregate 0.4–0.5 s). A hash
 *   aggregate that does meet more groups than memory spills to disk, it does not fail.
 */
async function tuneSeries(db: Kysely<Database>): Promise<void> {
  await sql`SET LOCAL jit = off`.execute(db);
  await sql`SET LOCAL work_mem = '64MB'`.execute(db);
  await sql`SET LOCAL enable_sort = off`.execute(db);
}

async function seriesIn(
  db: Kysely<Database>,
  query: KpiSeriesQuery,
  groupings: readonly (readonly KpiDimension[])[],
  options: SeriesOptions,
): Promise<{ timeZone: string; rows: KpiSeriesRow[][] }> {
  const campaign = await db.selectFrom('campaigns').select(['time_zone', 'routing']).where('id', '=', query.campaignId).executeTakeFirst();
  if (!campaign) throw invalid('campaña desconocida', `unknown campaign ${query.campaignId}`);
  const timeZone = query.timeZone ?? campaign.time_zone;
  const first = localDay(query.from, timeZone);
  const last = localDay(query.to, timeZone);
  if (last.startMs < first.startMs) throw invalid('la fecha final es anterior a la inicial', 'to is before from');
  const range = { startMs: first.startMs, endMs: last.endMs };
  const index = indexBuckets(range, query.interval, timeZone);
  const settings: RowSettings = {
    serviceLevelThresholdMs: query.serviceLevelThresholdMs ?? 20_000,
    shortAbandonThresholdMs: query.shortAbandonThresholdMs ?? 0,
    ahtDefinition: query.ahtDefinition ?? 'talk',
    responseLimitMs: query.responseLimitMs ?? THIRTEEN_HOURS_MS,
    chatSessions: query.chatSessions ?? textSessionsOf(campaign.routing),
  };
  const asOfMs = (query.asOf ?? new Date()).getTime();
  const filters = {
    ...(query.queueId === undefined ? {} : { queueId: query.queueId }),
    ...(query.channelKind === undefined ? {} : { channelKind: query.channelKind }),
    ...(query.agentId === undefined ? {} : { agentId: query.agentId }),
  };
  const days = query.interval === 'month' ? bucketsBetween(range.startMs, range.endMs, 'day', timeZone) : null;
  const contactRows = await contactAggregates(db, {
    campaignId: query.campaignId,
    range,
    buckets: index.buckets,
    days,
    groupings,
    ...filters,
    serviceLevelThresholdMs: settings.serviceLevelThresholdMs,
    shortAbandonThresholdMs: settings.shortAbandonThresholdMs,
    responseLimitMs: settings.responseLimitMs,
    asOfMs,
    fcrWindowDays: options.fcr ? (query.fcrWindowDays ?? 7) : null,
  });
  // Agent time is not per queue or channel: rows grouped or filtered that way have none to read.
  const needsAgentTime =
    options.agentTime && query.queueId === undefined && query.channelKind === undefined && groupings.some((dims) => !dims.includes('queue') && !dims.includes('channel'));
  const agentTimes = needsAgentTime
    ? await agentTime(db, index, { campaignId: query.campaignId, range, asOfMs, ...(query.agentId === undefined ? {} : { agentId: query.agentId }) })
    : null;
  const ctx: Context = { query, timeZone, range, index, days, settings, agentTimes };
  return { timeZone, rows: groupings.map((dims) => assemble(ctx, dims, contactRows)) };
}

/** Every KPI by campaign / queue / channel / agent per bucket, aggregated in SQL (kpi-series.contract.ts). */
export async function kpiSeries(db: Kysely<Database>, query: KpiSeriesQuery): Promise<KpiSeries> {
  const result = await kpiSeriesGroupings(db, query, [query.groupBy ?? []], { fcr: true, agentTime: true });
  return { query, timeZone: result.timeZone, rows: result.rows[0] ?? [] };
}
