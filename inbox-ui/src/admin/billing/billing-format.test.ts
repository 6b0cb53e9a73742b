import { describe, expect, it } from 'vitest';
import { formatCents, formatCount, formatFactAmount, formatLocalTime, formatMmSs, formatQuantity, monthLabel, timeDetail } from './billing-format.js';

describe('billing section formatting', () => {
  it('writes integer centavos as pesos with thousands, credits with a minus sign', () => {
    // 123,456,789 centavos = 1,234,567 pesos and 89 centavos.
    expect(formatCents(123_456_789)).toBe('$1,234,567.89');
    expect(formatCents(5)).toBe('$0.05');
    expect(formatCents(0)).toBe('$0.00');
    // A deduction shown against the subtotal: −(1,500 pesos).
    expect(formatCents(-150_000)).toBe('-$1,500.00');
  });

  it('writes summed seconds as mm:ss with unbounded minutes, milliseconds only when present', () => {
    // 4,325 s = 72 × 60 + 5.
    expect(formatMmSs(4325)).toBe('72:05');
    // 4 min 20 s call: 260 s = 4 × 60 + 20.
    expect(formatMmSs(260)).toBe('4:20');
    // 59.25 s = 0 min 59 s 250 ms.
    expect(formatMmSs(59.25)).toBe('0:59.250');
    expect(formatMmSs(0)).toBe('0:00');
  });

  it('shows a minute line as whole minutes with the exact time and the remainder not billed', () => {
    // Three calls of 4:20, 2:50 and 1:15 = 260 + 170 + 75 = 505 s = 8 × 60 + 25 → 8 minutes billed, 0:25 not billed.
    const line = { unit: 'minute' as const, quantity: 8, exactSeconds: 505, remainderSeconds: 25 };
    expect(formatQuantity(line)).toBe('8 min');
    expect(timeDetail(line)).toEqual({ exact: '8:25', remainder: '0:25' });
  });

  it('shows minute-with-seconds as mm:ss and counts with their weighted decimals', () => {
    // Chat: 505 s billed as 505/60 minutes; shown as 8:25, no remainder.
    const chat = { unit: 'minute_seconds' as const, quantity: 505 / 60, exactSeconds: 505, remainderSeconds: null };
    expect(formatQuantity(chat)).toBe('8:25');
    expect(timeDetail(chat)).toEqual({ exact: '8:25', remainder: null });
    // Bot events: 3 resolved (100 %) + 1 transferred (30 %) = 3.3 units.
    expect(formatQuantity({ unit: 'event', quantity: 3.3, exactSeconds: null })).toBe('3.3');
    expect(formatCount(1_225_819)).toBe('1,225,819');
    expect(timeDetail({ unit: 'message', exactSeconds: null, remainderSeconds: null })).toBeNull();
  });

  it('reads a fact as time for time units and as a weighted unit for counts', () => {
    expect(formatFactAmount({ seconds: 130.5, weightPct: 100 }, 'minute')).toBe('2:10.500');
    expect(formatFactAmount({ seconds: 0, weightPct: 50 }, 'message')).toBe('1 × 50 %');
    expect(formatFactAmount({ seconds: 0, weightPct: 100 }, 'message')).toBe('1');
  });

  it('names the month in the console language', () => {
    expect(monthLabel('2026-10', 'es-MX')).toBe('octubre de 2026');
    expect(monthLabel('2026-10', 'en')).toBe('October 2026');
  });

  it('shows a fact’s instants on the campaign’s clock, not the browser’s', () => {
    // 16:01 UTC = 10:01 in Mexico City (UTC−06:00 since 2022).
    expect(formatLocalTime('2026-10-05T16:01:00.000Z', 'America/Mexico_City', 'es-MX')).toBe('05/10/2026, 10:01:00');
    // The same instant in Tijuana (UTC−07:00 in October, daylight time).
    expect(formatLocalTime('2026-10-05T16:01:00.000Z', 'America/Tijuana', 'es-MX')).toBe('05/10/2026, 09:01:00');
  });
});
