import { describe, expect, it } from 'vitest';
import { DAY_MS, instantsAtWall, isKnownTimeZone, isoDateOf, localDayOf, offsetAt, offsetChangesBetween, wallAt, weekdayOf } from './local-time.js';

const HOUR = 3_600_000;
const at = (iso: string): number => Date.parse(iso);
const wall = (y: number, m: number, d: number, hh = 0, mm = 0): number => Date.UTC(y, m - 1, d, hh, mm);

describe('offsets come from the tz database, not a constant', () => {
  it('Mexico City is UTC−6 today but was UTC−5 in the summer of 2022 (DST abolished Oct 2022)', () => {
    expect(offsetAt('America/Mexico_City', at('2026-07-01T12:00:00Z'))).toBe(-6 * HOUR);
    expect(offsetAt('America/Mexico_City', at('2022-07-01T12:00:00Z'))).toBe(-5 * HOUR);
    expect(offsetChangesBetween('America/Mexico_City', at('2025-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'))).toEqual([]);
  });

  it('finds the exact Tijuana DST changes of 2026', () => {
    expect(offsetChangesBetween('America/Tijuana', at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'))).toEqual([
      at('2026-03-08T10:00:00Z'), // 02:00 PST → 03:00 PDT
      at('2026-11-01T09:00:00Z'), // 02:00 PDT → 01:00 PST
    ]);
  });

  it('handles half-hour offsets and sub-second instants', () => {
    expect(offsetAt('Asia/Kolkata', at('2026-01-01T00:00:00.999Z'))).toBe(5.5 * HOUR);
    expect(wallAt('Asia/Kolkata', at('2026-01-01T00:00:00.999Z'))).toBe(wall(2026, 1, 1, 5, 30) + 999);
  });
});

describe('instantsAtWall', () => {
  it('maps an ordinary wall time to one instant', () => {
    expect(instantsAtWall('America/Mexico_City', wall(2026, 2, 2, 8))).toEqual([at('2026-02-02T14:00:00Z')]);
  });

  it('returns nothing for a wall time skipped by spring-forward', () => {
    expect(instantsAtWall('America/Tijuana', wall(2026, 3, 8, 2, 30))).toEqual([]);
  });

  it('returns both instants of a wall time repeated by fall-back', () => {
    expect(instantsAtWall('America/Tijuana', wall(2026, 11, 1, 1, 30))).toEqual([at('2026-11-01T08:30:00Z'), at('2026-11-01T09:30:00Z')]);
  });

  it('handles a zone whose DST starts at midnight (no local 00:00 that day)', () => {
    // Chile moves 24:00 → 01:00 on the first Sunday of September.
    expect(instantsAtWall('America/Santiago', wall(2026, 9, 6, 0, 0))).toEqual([]);
    expect(instantsAtWall('America/Santiago', wall(2026, 9, 6, 1, 0))).toEqual([at('2026-09-06T04:00:00Z')]);
  });
});

describe('local days', () => {
  it('round-trips dates and knows weekdays', () => {
    expect(isoDateOf(localDayOf('2026-02-02'))).toBe('2026-02-02');
    expect(weekdayOf(localDayOf('2026-02-02'))).toBe('mon');
    expect(weekdayOf(localDayOf('2026-02-08'))).toBe('sun');
    expect(weekdayOf(0)).toBe('thu');
    expect(weekdayOf(-1)).toBe('wed');
    expect(localDayOf('1970-01-02')).toBe(1);
    expect(Math.floor(wall(2026, 2, 2, 23, 59) / DAY_MS)).toBe(localDayOf('2026-02-02'));
  });
});

describe('isKnownTimeZone', () => {
  it('accepts IANA names and links, rejects the rest', () => {
    for (const zone of ['America/Mexico_City', 'America/Tijuana', 'America/Cancun', 'UTC', 'US/Pacific']) expect(isKnownTimeZone(zone)).toBe(true);
    for (const zone of ['Mars/Olympus_Mons', '', '+05:00', 'America/', 'hora del centro']) expect(isKnownTimeZone(zone)).toBe(false);
  });
});
