import { describe, expect, it } from 'vitest';
import { dailyAbandonment, monthlyAbandonment } from './abandonment.js';

describe('dailyAbandonment (T&C L10211, DyC L7882)', () => {
  it('is (received − attended) / received × 100', () => {
    // (200 − 190) / 200 × 100 = 5 %
    const result = dailyAbandonment({ received: 200, attended: 190 });
    expect(result.value).toBe(5);
    expect(result).toMatchObject({ numerator: 10, denominator: 200 });
    expect(result.explanation).toBe('(200 − 190) / 200 × 100 = 5.00 %');
  });

  it('drops short abandons from received before dividing', () => {
    // 210 received, 10 hung up before the threshold → 200 counted; (200 − 190) / 200 = 5 %
    const result = dailyAbandonment({ received: 210, attended: 190, shortAbandoned: 10, shortAbandonThresholdMs: 5_000 });
    expect(result.value).toBe(5);
    expect(result.inputs).toMatchObject({ received: 210, shortAbandoned: 10, shortAbandonThresholdMs: 5_000 });
  });

  it('is 100 % when everything was abandoned', () => {
    expect(dailyAbandonment({ received: 7, attended: 0 }).value).toBe(100);
  });

  it('is sin tráfico with nothing received, and when every abandon was short', () => {
    expect(dailyAbandonment({ received: 0, attended: 0 }).status).toBe('sin_trafico');
    expect(dailyAbandonment({ received: 3, attended: 0, shortAbandoned: 3 }).value).toBeNull();
  });

  it('refuses more attended than counted received', () => {
    expect(() => dailyAbandonment({ received: 5, attended: 5, shortAbandoned: 1 })).toThrow(RangeError);
  });
});

describe('monthlyAbandonment: simple mean of daily values (L10211)', () => {
  it('averages the daily percentages, not the pooled counts', () => {
    // day 1: (100 − 98) / 100 = 2 %; day 2: (10 − 8) / 10 = 20 % → mean (2 + 20) / 2 = 11 %
    // (pooled would be (110 − 106) / 110 = 3.64 %: the contract asks for 11 %)
    const result = monthlyAbandonment([
      { date: '2026-11-01', result: dailyAbandonment({ received: 100, attended: 98 }) },
      { date: '2026-11-02', result: dailyAbandonment({ received: 10, attended: 8 }) },
    ]);
    expect(result.value).toBe(11);
    expect(result).toMatchObject({ numerator: 22, denominator: 2 });
    expect(result.inputs).toEqual({ '2026-11-01': 2, '2026-11-02': 20 });
  });

  it('leaves days without traffic out of the mean and says so', () => {
    // 4 % and 6 % with a closed Sunday in between → (4 + 6) / 2 = 5 %
    const result = monthlyAbandonment([
      { date: '2026-11-07', result: dailyAbandonment({ received: 50, attended: 48 }) },
      { date: '2026-11-08', result: dailyAbandonment({ received: 0, attended: 0 }) },
      { date: '2026-11-09', result: dailyAbandonment({ received: 50, attended: 47 }) },
    ]);
    expect(result.value).toBe(5);
    expect(result.explanation).toContain('1 día(s) sin tráfico excluidos');
  });

  it('is sin tráfico for a month without traffic', () => {
    expect(monthlyAbandonment([]).value).toBeNull();
    expect(monthlyAbandonment([{ date: '2026-11-01', result: dailyAbandonment({ received: 0, attended: 0 }) }]).status).toBe('sin_trafico');
  });
});
