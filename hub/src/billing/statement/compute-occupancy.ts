import type { OccupancyTariff } from '../billing.contract.js';
import type { AgentDayOccupancy, AgentDayTime } from './statement-input.js';

/**
 * Occupancy tariff (seed-digest §5.5; issue 10 item 4): per agent per day, then the agent-day's
 * billable time goes to the first band whose minPct ≤ occupancy; each band is floored on its own.
 *
 * No data (no occupancy row, or talk + hold + ACW + avail = 0) → occupancy taken as 0 % → the
 * lowest band. The contract pays only what the provider's tool documents (seed-digest §5.6), so
 * time without occupancy evidence gets the lowest tariff, never the full one; the line's trace
 * counts those agent-days separately so the provider can supply the data and re-run the month.
 */

export interface Band {
  readonly minPct: number;
  readonly tariffPct: number;
}

/** The card's bands, descending by minPct (stable), whatever order they were stored in. */
export function sortedBands(tariff: OccupancyTariff): Band[] {
  const bands = tariff.bands.map((band) => ({ minPct: band.minPct, tariffPct: band.tariffPct }));
  bands.sort((a, b) => b.minPct - a.minPct);
  return bands.length > 0 ? bands : [{ minPct: 0, tariffPct: 100 }];
}

export interface OccupancyReading {
  /** Busy and denominator in ms. */
  readonly busyMs: number;
  readonly denominatorMs: number;
  /** False when there is no occupancy row or the denominator is 0 (taken as 0 %). */
  readonly known: boolean;
}

function dayKey(agentId: string, localDay: string): string {
  return `${agentId}\u0000${localDay}`;
}

/** Occupancy rows summed per agent and day (a loader may split a day in several rows). */
export function occupancyIndex(rows: readonly AgentDayOccupancy[]): Map<string, AgentDayOccupancy> {
  const index = new Map<string, AgentDayOccupancy>();
  for (const row of rows) {
    const key = dayKey(row.agentId, row.localDay);
    const prev = index.get(key);
    index.set(
      key,
      prev
        ? { ...prev, talkMs: prev.talkMs + row.talkMs, holdMs: prev.holdMs + row.holdMs, acwMs: prev.acwMs + row.acwMs, availMs: prev.availMs + row.availMs }
        : row,
    );
  }
  return index;
}

/** phone: (talk+hold+acw)/(talk+hold+acw+avail); chat: avail × sessions in the denominator. */
export function occupancyOf(row: AgentDayOccupancy | undefined, tariff: OccupancyTariff): OccupancyReading {
  if (!row) return { busyMs: 0, denominatorMs: 0, known: false };
  const busyMs = row.talkMs + row.holdMs + row.acwMs;
  const availFactor = tariff.formula === 'chat' ? Math.max(1, tariff.sessions) : 1;
  const denominatorMs = busyMs + row.availMs * availFactor;
  return { busyMs, denominatorMs, known: denominatorMs > 0 };
}

/**
 * Index (in `bands`) of the first band with minPct ≤ occupancy, compared without division
 * (busy × 100 ≥ minPct × denominator) so 69.99 % never rounds into the 70 % band. Unknown
 * occupancy counts as 0 %; below every band → the last (lowest) band.
 */
export function bandIndexOf(reading: OccupancyReading, bands: readonly Band[]): number {
  for (let i = 0; i < bands.length; i += 1) {
    const band = bands[i];
    if (!band) continue;
    const meets = reading.known ? reading.busyMs * 100 >= band.minPct * reading.denominatorMs : band.minPct <= 0;
    if (meets) return i;
  }
  return bands.length - 1;
}

export interface BandGroup {
  readonly bandIndex: number;
  durationMs: number;
  factCount: number;
  /** Distinct agent-days (an agent-day split by tier or channel kind counts once). */
  agentDays: number;
  /** Agent-days in this band because their occupancy was unknown. */
  agentDaysWithoutData: number;
}

/** Agent-days of one concept and month grouped by band (descending band order). */
export function groupAgentDaysByBand(
  agentDays: readonly AgentDayTime[],
  occupancy: Map<string, AgentDayOccupancy>,
  tariff: OccupancyTariff,
  bands: readonly Band[],
): Map<number, BandGroup> {
  const groups = new Map<number, BandGroup>();
  const seen = new Set<string>();
  for (const day of agentDays) {
    const key = dayKey(day.agentId, day.localDay);
    const reading = occupancyOf(occupancy.get(key), tariff);
    const bandIndex = bandIndexOf(reading, bands);
    const group = groups.get(bandIndex) ?? { bandIndex, durationMs: 0, factCount: 0, agentDays: 0, agentDaysWithoutData: 0 };
    group.durationMs += day.durationMs;
    group.factCount += day.factCount;
    if (!seen.has(key)) {
      seen.add(key);
      group.agentDays += 1;
      if (!reading.known) group.agentDaysWithoutData += 1;
    }
    groups.set(bandIndex, group);
  }
  return groups;
}

/** «≥ 60 % y < 70 %» for a band of the sorted list. */
export function describeBand(bands: readonly Band[], index: number): string {
  const band = bands[index];
  if (!band) return '';
  const upper = index > 0 ? bands[index - 1] : undefined;
  const lower = band.minPct <= 0 ? '' : `≥ ${band.minPct} %`;
  if (!upper) return lower || 'cualquier ocupación';
  return lower ? `${lower} y < ${upper.minPct} %` : `< ${upper.minPct} %`;
}
