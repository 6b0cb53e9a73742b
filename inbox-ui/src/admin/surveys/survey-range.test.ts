import { describe, expect, it } from 'vitest';
import { currentMonthRange, formatDay, isIsoDate, rangeProblems } from './survey-range.js';

describe('results period', () => {
  it('defaults to the current month on the campaign’s clock, not the browser’s', () => {
    // 03:00 UTC on 1 March is still 28 February in Mexico City (UTC−6).
    const now = new Date('2026-03-01T03:00:00Z');
    expect(currentMonthRange(now, 'America/Mexico_City')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(currentMonthRange(now, 'UTC')).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(currentMonthRange(new Date('2028-02-10T12:00:00Z'), 'America/Tijuana')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(currentMonthRange(new Date('2026-12-31T12:00:00Z'), 'America/Cancun')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('falls back to the browser’s clock for a zone it does not know', () => {
    const range = currentMonthRange(new Date(2026, 4, 15, 12), 'Marte/Olympus_Mons');
    expect(range).toEqual({ from: '2026-05-01', to: '2026-05-31' });
  });

  it('accepts only real dates and a start not after the end', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2026-2-3')).toBe(false);
    expect(isIsoDate('')).toBe(false);
    expect(rangeProblems({ from: '2026-05-01', to: '2026-05-01' })).toEqual({});
    expect(rangeProblems({ from: '2026-05-02', to: '2026-05-01' })).toEqual({ to: 'order' });
    expect(rangeProblems({ from: '', to: '2026-13-01' })).toEqual({ from: 'date', to: 'date' });
  });

  it('shows a date as that calendar day in either language', () => {
    expect(formatDay('2026-05-01', 'es-MX')).toBe('1 de mayo de 2026');
    expect(formatDay('2026-05-31', 'en')).toBe('May 31, 2026');
  });
});
