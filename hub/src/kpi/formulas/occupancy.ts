import { assertNonNegative, type KpiResult, ratioResult } from './kpi-result.js';

/** One agent's state totals for one day (ms), from the append-only state intervals. */
export interface AgentStateTotals {
  readonly talkMs: number;
  /** Hold; in chat "retención automático" (auto-hold). */
  readonly holdMs: number;
  /** After-contact work; L175 folds transfer time in here ("Transferencia o … AfterCallWork"). */
  readonly afterContactWorkMs: number;
  readonly availableMs: number;
}

/**
 * Phone occupancy ("Ocupación total diaria" / tiempo productivo telefonía) =
 * (Talk + Hold + ACW) / (Talk + Hold + ACW + Avail) × 100 (contract L175; DyC L7712).
 */
export function phoneOccupancy(totals: AgentStateTotals): KpiResult {
  assertNonNegative({ ...totals });
  const busy = totals.talkMs + totals.holdMs + totals.afterContactWorkMs;
  return ratioResult({
    kpi: 'occupancy_phone',
    unit: 'percent',
    numerator: busy,
    denominator: busy + totals.availableMs,
    scale: 100,
    formula: '(Talk + Hold + ACW) / (Talk + Hold + ACW + Avail) × 100',
    seedRef: 'S003 L175; DyC L7712',
    inputs: { ...totals },
    arithmetic: `(${totals.talkMs} + ${totals.holdMs} + ${totals.afterContactWorkMs}) / (${busy} + ${totals.availableMs})`,
  });
}

/**
 * Chat occupancy (tiempo productivo chat) =
 * (Talk + AutoHold + ACW) / (Talk + AutoHold + ACW + Avail × n) × 100 (DyC L7702–L7706, L7886),
 * n = concurrent sessions authorised for the agent ("número natural mayor a cero"). Talk, hold
 * and ACW are summed per session (they can overlap on the wall clock); Avail is wall-clock time
 * and is multiplied by n because an available agent offers n free slots.
 */
export function chatOccupancy(totals: AgentStateTotals, authorisedSessions: number): KpiResult {
  assertNonNegative({ ...totals });
  if (!Number.isInteger(authorisedSessions) || authorisedSessions < 1) {
    throw new RangeError(`authorisedSessions (n) must be an integer ≥ 1, got ${authorisedSessions}`);
  }
  const busy = totals.talkMs + totals.holdMs + totals.afterContactWorkMs;
  return ratioResult({
    kpi: 'occupancy_chat',
    unit: 'percent',
    numerator: busy,
    denominator: busy + totals.availableMs * authorisedSessions,
    scale: 100,
    formula: '(Talk + AutoHold + ACW) / (Talk + AutoHold + ACW + Avail × n) × 100',
    seedRef: 'S003 DyC L7702–L7706, L7886',
    inputs: { ...totals, authorisedSessions },
    arithmetic: `(${totals.talkMs} + ${totals.holdMs} + ${totals.afterContactWorkMs}) / (${busy} + ${totals.availableMs} × ${authorisedSessions})`,
  });
}

/**
 * Consolidates agent-days into one figure. `pooled` (default) sums the state times first, as the
 * contract reads: "la suma de los tiempos registrados para cada auxiliar por agente y por día …
 * durante el periodo de facturación … determinarán los valores" (L169). `meanOfAgentDays` is the
 * simple mean of the per-agent-day percentages, for campaigns that read L7698 that way.
 */
export function consolidateOccupancy(days: readonly KpiResult[], method: 'pooled' | 'meanOfAgentDays' = 'pooled'): KpiResult {
  const kpi = days[0]?.kpi ?? 'occupancy_phone';
  if (method === 'pooled') {
    const numerator = days.reduce((sum, day) => sum + day.numerator, 0);
    const denominator = days.reduce((sum, day) => sum + day.denominator, 0);
    return ratioResult({
      kpi,
      unit: 'percent',
      numerator,
      denominator,
      scale: 100,
      formula: 'Σ tiempo ocupado / Σ (tiempo ocupado + disponible [× n]) × 100, sobre todos los agentes-día',
      seedRef: 'S003 L169, L7698',
      inputs: { agentDays: days.length },
      arithmetic: `${numerator} / ${denominator}`,
    });
  }
  const measured = days.flatMap((day) => (day.value === null ? [] : [day.value]));
  const sum = measured.reduce((total, value) => total + value, 0);
  return ratioResult({
    kpi,
    unit: 'percent',
    numerator: sum,
    denominator: measured.length,
    scale: 1,
    formula: 'promedio simple de la ocupación por agente y por día',
    seedRef: 'S003 L7698',
    inputs: { agentDays: days.length, agentDaysWithTime: measured.length },
    arithmetic: `${sum.toFixed(4)} / ${measured.length}`,
  });
}

/** Tariff tiers for PS-I by daily occupancy; defaults are the contract's (L165, DyC L7692). */
export interface OccupancyTier {
  /** Lower bound, inclusive, in percent. */
  readonly fromPercent: number;
  readonly tariffPercent: number;
}

export const CONTRACT_OCCUPANCY_TIERS: readonly OccupancyTier[] = [
  { fromPercent: 70, tariffPercent: 100 },
  { fromPercent: 60, tariffPercent: 90 }, // T&C L10585 prints 80 %; the contract prevails (I.9, L59)
  { fromPercent: 50, tariffPercent: 80 },
  { fromPercent: 0, tariffPercent: 70 },
];

/** Percent of the tariff payable for an agent-day; null occupancy (no time) pays nothing extra → null. */
export function occupancyTariffPercent(occupancyPercent: number | null, tiers: readonly OccupancyTier[] = CONTRACT_OCCUPANCY_TIERS): number | null {
  if (occupancyPercent === null) return null;
  const sorted = [...tiers].sort((a, b) => b.fromPercent - a.fromPercent);
  const tier = sorted.find((candidate) => occupancyPercent >= candidate.fromPercent);
  return tier?.tariffPercent ?? sorted[sorted.length - 1]?.tariffPercent ?? null;
}
