import { describe, expect, it } from 'vitest';
import type { MeasuringRules } from '../kpi/measuring-rules.js';
import { dayFiguresFit, parseDayFigures, type DayFigures } from './wallboard-day-figures.js';

const rules: MeasuringRules = {
  campaignId: 'c1',
  campaignName: 'C',
  timeZone: 'America/Mexico_City',
  serviceLevelThresholdMs: 20_000,
  serviceLevelDenominator: 'attended',
  shortAbandonThresholdMs: 0,
  ahtDefinition: 'talk',
  responseLimitMs: 13 * 3_600_000,
};
const kpi = { value: 75, unit: 'percent' as const, explanation: '(4 − 1) / 4 × 100 = 75.00 %' };
const group = { received: 4, attended: 4, abandoned: 0, serviceLevel: kpi, asa: { ...kpi, unit: 'ms' as const, value: 16_000 }, abandonment: { ...kpi, value: 0 } };
const day: DayFigures = {
  date: '2026-03-10',
  rules: { denominator: 'attended', serviceLevelThresholdMs: 20_000, shortAbandonThresholdMs: 0 },
  readAtMs: 1_773_165_600_000,
  total: group,
  byQueue: { q1: group },
  agents: {
    a1: {
      attended: 4,
      occupancy: {
        kpi: 'occupancy_phone',
        label: 'Ocupación / tiempo productivo telefonía',
        unit: 'percent',
        value: 50,
        status: 'ok',
        numerator: 1,
        denominator: 2,
        formula: 'f',
        seedRef: 'L1',
        inputs: { talk: 1 },
        explanation: '1 / 2 × 100 = 50.00 %',
      },
    },
  },
};

describe('wallboard day figures (the shared copy)', () => {
  it('fit only the same local day and the same measuring rules', () => {
    expect(dayFiguresFit(day, '2026-03-10', rules)).toBe(true);
    // Midnight in the campaign's zone: a new day is read, never yesterday's shown.
    expect(dayFiguresFit(day, '2026-03-11', rules)).toBe(false);
    expect(dayFiguresFit(day, '2026-03-10', { ...rules, serviceLevelDenominator: 'received' })).toBe(false);
    expect(dayFiguresFit(day, '2026-03-10', { ...rules, serviceLevelThresholdMs: 30_000 })).toBe(false);
    expect(dayFiguresFit(day, '2026-03-10', { ...rules, shortAbandonThresholdMs: 5_000 })).toBe(false);
    // AHT and the response limit are not on the board: they change none of its figures.
    expect(dayFiguresFit(day, '2026-03-10', { ...rules, ahtDefinition: 'talk_hold' })).toBe(true);
  });

  it('round-trip through Redis text; anything else is no copy', () => {
    expect(parseDayFigures(JSON.stringify(day))).toEqual(day);
    expect(parseDayFigures(JSON.stringify({ ...day, agents: null }))?.agents).toBeNull();
    expect(parseDayFigures(null)).toBeNull();
    expect(parseDayFigures('{not json')).toBeNull();
    expect(parseDayFigures(JSON.stringify({ ...day, readAtMs: 'yesterday' }))).toBeNull();
    expect(parseDayFigures(JSON.stringify({ ...day, agents: { a1: { attended: 1, occupancy: { ...day.agents!['a1']!.occupancy, kpi: 'happiness' } } } }))).toBeNull();
  });
});
