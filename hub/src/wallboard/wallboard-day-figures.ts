import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import { kpiSeriesGroupings, type KpiSeriesRow } from '../kpi/aggregates/kpi-series.js';
import { KPI_LABELS, type KpiId, type KpiResult } from '../kpi/formulas/kpi-result.js';
import type { MeasuringRules } from '../kpi/measuring-rules.js';
import type { WallboardKpi } from '../realtime/events.contract.js';

/**
 * The board's "today" figures of a campaign: the day's KPIs of the campaign and of each queue,
 * and each agent's contacts attended and occupancy, read in one KPI series pass (kpi/aggregates) from the KPI facts at `readAtMs` with the campaign's measuring rules. They move
 * only when the facts do (the facts loop, every second) or with time (an open state interval
 * grows), so the publisher keeps one copy per campaign in Redis, shared by every hub process, and
 * a routing event's snapshot pairs it with a fresh live part (wallboard-publisher.ts).
 */
/** Per-agent figures of the day: contacts the agent answered first, and occupancy. */
export interface AgentDayFigures {
  readonly attended: number;
  readonly occupancy: KpiResult | null;
}

export interface DayGroupFigures {
  readonly received: number;
  readonly attended: number;
  readonly abandoned: number;
  /** By the campaign's denominator. */
  readonly serviceLevel: WallboardKpi;
  readonly asa: WallboardKpi;
  readonly abandonment: WallboardKpi;
}

/** The rules the figures were computed with: other rules, other figures. */
export interface DayRules {
  readonly denominator: 'received' | 'attended';
  readonly serviceLevelThresholdMs: number;
  readonly shortAbandonThresholdMs: number;
}

export interface DayFigures {
  /** The campaign's local day, YYYY-MM-DD. */
  readonly date: string;
  readonly rules: DayRules;
  /** When the facts were read (asOf of the formulas). */
  readonly readAtMs: number;
  readonly total: DayGroupFigures;
  /** Queues with traffic that day. */
  readonly byQueue: Readonly<Record<string, DayGroupFigures>>;
  /** null = not asked for: the cells show "—". */
  readonly agents: Readonly<Record<string, AgentDayFigures>> | null;
}

export const kpiView = (result: KpiResult): WallboardKpi => ({ value: result.value, unit: result.unit, explanation: `${result.formula}: ${result.explanation}` });

export const NO_TRAFFIC: WallboardKpi = { value: null, unit: 'percent', explanation: 'sin tráfico' };

export function dayRulesOf(rules: MeasuringRules): DayRules {
  return { denominator: rules.serviceLevelDenominator, serviceLevelThresholdMs: rules.serviceLevelThresholdMs, shortAbandonThresholdMs: rules.shortAbandonThresholdMs };
}

/** The figures answer this day under these rules. */
export function dayFiguresFit(day: DayFigures, date: string, rules: MeasuringRules): boolean {
  const wanted = dayRulesOf(rules);
  return (
    day.date === date &&
    day.rules.denominator === wanted.denominator &&
    day.rules.serviceLevelThresholdMs === wanted.serviceLevelThresholdMs &&
    day.rules.shortAbandonThresholdMs === wanted.shortAbandonThresholdMs
  );
}

function groupFigures(row: KpiSeriesRow, rules: MeasuringRules): DayGroupFigures {
  return {
    // Contacts still in line count as received today; the formulas only take the finished ones.
    received: row.tally.receivedGross + row.pendingInQueue,
    attended: row.tally.attended,
    abandoned: row.tally.abandoned,
    serviceLevel: kpiView(rules.serviceLevelDenominator === 'received' ? row.serviceLevelByReceived : row.serviceLevelByAttended),
    asa: kpiView(row.asa),
    abandonment: kpiView(row.abandonment),
  };
}

export type DayFiguresSource = (db: Kysely<Database>, campaignId: string, date: string, rules: MeasuringRules, asOf: Date) => Promise<DayFigures>;

/**
 * Reads the day's figures now, in one pass of the KPI series (one day bucket, one snapshot of the
 * facts): the campaign and queue groupings (what `dailyKpis` gives the reports; no channel
 * groupings, the board has none) and, with `withAgents`, the agent grouping with agent time.
 * No FCR: the repeat-contact anti-join is the series' costliest part and the board shows none.
 * The series gives the phone occupancy to an agent who served calls and the chat one (n sessions)
 * to one who served text; an agent with both (or idle) is shown with the phone figure.
 */
export async function computeDayFigures(db: Kysely<Database>, campaignId: string, date: string, rules: MeasuringRules, asOf: Date, withAgents = true): Promise<DayFigures> {
  const series = await kpiSeriesGroupings(
    db,
    {
      campaignId,
      from: date,
      to: date,
      interval: 'day',
      timeZone: rules.timeZone,
      serviceLevelThresholdMs: rules.serviceLevelThresholdMs,
      shortAbandonThresholdMs: rules.shortAbandonThresholdMs,
      ahtDefinition: rules.ahtDefinition,
      responseLimitMs: rules.responseLimitMs,
      asOf,
    },
    withAgents ? [[], ['queue'], ['agent']] : [[], ['queue']],
    { fcr: false, agentTime: withAgents },
  );
  const [total = [], byQueueRows = [], byAgentRows = []] = series.rows;
  const totalRow = total[0];
  if (!totalRow) throw new Error(`no total row for ${date}`);
  const byQueue: Record<string, DayGroupFigures> = {};
  for (const row of byQueueRows) if (row.queueId !== null) byQueue[row.queueId] = groupFigures(row, rules);
  const agents: Record<string, AgentDayFigures> = {};
  for (const row of byAgentRows) if (row.agentId !== null) agents[row.agentId] = { attended: row.tally.attended, occupancy: row.occupancyPhone ?? row.occupancyChat };
  return { date, rules: dayRulesOf(rules), readAtMs: asOf.getTime(), total: groupFigures(totalRow, rules), byQueue, agents: withAgents ? agents : null };
}

const wallboardKpiSchema = z.object({ value: z.number().nullable(), unit: z.enum(['percent', 'ms']), explanation: z.string() });
const groupSchema = z.object({ received: z.number(), attended: z.number(), abandoned: z.number(), serviceLevel: wallboardKpiSchema, asa: wallboardKpiSchema, abandonment: wallboardKpiSchema });
const kpiResultSchema = z.object({
  kpi: z.custom<KpiId>((v) => typeof v === 'string' && Object.hasOwn(KPI_LABELS, v)),
  label: z.string(),
  unit: z.enum(['percent', 'ms']),
  value: z.number().nullable(),
  status: z.enum(['ok', 'sin_trafico']),
  numerator: z.number(),
  denominator: z.number(),
  formula: z.string(),
  seedRef: z.string(),
  inputs: z.record(z.string(), z.number()),
  explanation: z.string(),
});
const dayFiguresSchema = z.object({
  date: z.string(),
  rules: z.object({ denominator: z.enum(['received', 'attended']), serviceLevelThresholdMs: z.number(), shortAbandonThresholdMs: z.number() }),
  readAtMs: z.number(),
  total: groupSchema,
  byQueue: z.record(z.string(), groupSchema),
  agents: z.record(z.string(), z.object({ attended: z.number(), occupancy: kpiResultSchema.nullable() })).nullable(),
});

/** The shared copy as stored in Redis; anything unreadable (another version's shape) is no copy. */
export function parseDayFigures(raw: string | null): DayFigures | null {
  if (raw === null) return null;
  try {
    const parsed = dayFiguresSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
