import { kpiSeries } from '../kpi/aggregates/kpi-series.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { KpiResult } from '../kpi/formulas/kpi-result.js';
import type { WallboardSettings } from './wallboard-thresholds.store.js';

/** Per-agent figures of the campaign's local day, from the KPI series (kpi/aggregates). */
export interface AgentDayFigures {
  readonly attended: number;
  readonly occupancy: KpiResult | null;
}
export type AgentFiguresSource = (db: Kysely<Database>, campaignId: string, date: string, settings: WallboardSettings, asOf: Date) => Promise<ReadonlyMap<string, AgentDayFigures> | null>;

/**
 * Today's per-agent figures from the KPI series (kpi/aggregates, grouped by agent, one day bucket):
 * contacts attended and occupancy. The series gives the phone formula to an agent who served
 * calls and the chat formula (n sessions) to one who served text; an agent with both (or idle)
 * is shown with the phone figure.
 */
export const kpiSeriesAgentFigures: AgentFiguresSource = async (db, campaignId, date, settings, asOf) => {
  const series = await kpiSeries(db, {
    campaignId,
    from: date,
    to: date,
    interval: 'day',
    groupBy: ['agent'],
    serviceLevelThresholdMs: settings.serviceLevelThresholdSeconds * 1000,
    shortAbandonThresholdMs: settings.shortAbandonSeconds * 1000,
    asOf,
  });
  const figures = new Map<string, AgentDayFigures>();
  for (const row of series.rows) {
    if (row.agentId === null) continue;
    figures.set(row.agentId, { attended: row.tally.attended, occupancy: row.occupancyPhone ?? row.occupancyChat });
  }
  return figures;
};
