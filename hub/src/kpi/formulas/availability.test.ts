import { describe, expect, it } from 'vitest';
import { availability, availabilityBlockMs, mergeSpans, overlapMs } from './availability.js';

const MIN = 60_000;
const H = 60 * MIN;
const DAY1 = Date.UTC(2026, 10, 2, 6, 0); // 2026-11-02 00:00 in Mexico City (UTC−6)
const at = (day: number, hours: number): number => DAY1 + day * 24 * H + hours * H;
const windowSpans = [
  { startMs: at(0, 8), endMs: at(0, 20) }, // 12 h
  { startMs: at(1, 8), endMs: at(1, 20) }, // 12 h → 1,440 min in all
];

describe('availability (T&C L10244)', () => {
  it('counts only outage time inside the window, overlaps once', () => {
    const outages = [
      { startMs: at(0, 7), endMs: at(0, 8.5) }, // 30 min inside (08:00–08:30)
      { startMs: at(0, 10), endMs: at(0, 10) + 20 * MIN }, // 10:00–10:20
      { startMs: at(0, 10) + 10 * MIN, endMs: at(0, 10) + 40 * MIN }, // 10:10–10:40 overlaps → 40 min together
      { startMs: at(0, 21), endMs: at(0, 22) }, // after closing: 0
    ];
    // (1,440 − 70) / 1,440 × 100 = 95.1389 %
    const result = availability(windowSpans, outages);
    expect(result.inputs).toEqual({ windowMs: 1_440 * MIN, unavailableMs: 70 * MIN });
    expect(result.value).toBeCloseTo(95.138_89, 4);
  });

  it('is 100 % without outages and sin tráfico without a window', () => {
    expect(availability(windowSpans, []).value).toBe(100);
    expect(availability([], [{ startMs: 0, endMs: 1 }]).status).toBe('sin_trafico');
  });

  it('sizes the 18.72-minute block as 0.1 % of the window (L10244)', () => {
    // 22 business days × 12 h + 8 weekend days × 6 h = 18,720 min → block 18.72 min
    expect(availabilityBlockMs((22 * 12 + 8 * 6) * H)).toBe(18.72 * MIN);
  });
});

describe('span helpers', () => {
  it('merges touching and overlapping spans and drops empty ones', () => {
    expect(mergeSpans([{ startMs: 5, endMs: 8 }, { startMs: 0, endMs: 5 }, { startMs: 9, endMs: 9 }, { startMs: 7, endMs: 10 }])).toEqual([{ startMs: 0, endMs: 10 }]);
  });

  it('intersects two span sets', () => {
    expect(overlapMs([{ startMs: 0, endMs: 10 }, { startMs: 20, endMs: 30 }], [{ startMs: 5, endMs: 25 }])).toBe(10);
  });
});
