import { describe, expect, it } from 'vitest';
import { localDateOf } from './intervals.js';
import { responseWithinLimit, tallyResponses, THIRTEEN_HOURS_MS } from './response-time.js';

const H = 3_600_000;
const T = Date.UTC(2026, 10, 26, 15, 0); // Thu 2026-11-26 09:00 Mexico City

describe('responseWithinLimit (T&C HOJA 19: 95 % within 13 natural hours)', () => {
  it('divides the items answered in time by all received', () => {
    // 190 / 200 × 100 = 95 %
    const result = responseWithinLimit({ received: 200, attendedWithinLimit: 190 });
    expect(result.value).toBe(95);
    expect(result.inputs.limitMs).toBe(THIRTEEN_HOURS_MS);
  });

  it('is sin tráfico with nothing received', () => {
    expect(responseWithinLimit({ received: 0, attendedWithinLimit: 0 }).value).toBeNull();
  });
});

describe('tallyResponses', () => {
  const items = [
    { receivedAtMs: T, firstAnsweredAtMs: T + 2 * H }, // in time
    { receivedAtMs: T, firstAnsweredAtMs: T + 13 * H }, // exactly 13 h: in time
    { receivedAtMs: T, firstAnsweredAtMs: T + 14 * H }, // late
    { receivedAtMs: T, firstAnsweredAtMs: null }, // never answered, deadline passed: counts against
    { receivedAtMs: T + 20 * H, firstAnsweredAtMs: null }, // deadline not reached at asOf: pending
  ];

  it('classifies in time, late, unanswered and still pending', () => {
    const tally = tallyResponses(items, T + 24 * H);
    expect(tally).toEqual({ received: 4, attendedWithinLimit: 2, attendedLate: 1, unanswered: 1, pending: 1 });
    // 2 / 4 = 50 %
    expect(responseWithinLimit(tally).value).toBe(50);
  });

  it('supports 19 h on weekends (DyC L7738–L7741) through limitFor', () => {
    const saturday = Date.UTC(2026, 10, 28, 15, 0); // Sat 2026-11-28 09:00 local
    const weekendAware = (receivedAtMs: number): number => {
      const weekday = new Date(`${localDateOf(receivedAtMs)}T12:00:00Z`).getUTCDay();
      return weekday === 0 || weekday === 6 ? 19 * H : 13 * H;
    };
    const tally = tallyResponses([{ receivedAtMs: saturday, firstAnsweredAtMs: saturday + 18 * H }], saturday + 48 * H, weekendAware);
    expect(tally.attendedWithinLimit).toBe(1);
    expect(tallyResponses([{ receivedAtMs: saturday, firstAnsweredAtMs: saturday + 18 * H }], saturday + 48 * H).attendedLate).toBe(1);
  });
});
