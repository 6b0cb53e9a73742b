import { describe, expect, it } from 'vitest';
import { bucketOf, bucketsBetween, localDateOf, monthSpan, splitSpanByBucket } from './intervals.js';

const MIN = 60_000;
const H = 60 * MIN;
const utc = (iso: string): number => Date.parse(iso);

describe('buckets in America/Mexico_City (UTC−6 since Oct 2022)', () => {
  it('puts 23:59 local in the previous day even though UTC has moved on', () => {
    expect(localDateOf(utc('2026-11-26T05:59:59Z'))).toBe('2026-11-25');
    expect(localDateOf(utc('2026-11-26T06:00:00Z'))).toBe('2026-11-26');
  });

  it('keys 30-minute intervals by local time with the offset', () => {
    // 14:47Z = 08:47 local → 08:30–09:00
    expect(bucketOf(utc('2026-11-26T14:47:00Z'), 'half_hour')).toEqual({
      granularity: 'half_hour',
      key: '2026-11-26T08:30-06:00',
      startMs: utc('2026-11-26T14:30:00Z'),
      endMs: utc('2026-11-26T15:00:00Z'),
    });
  });

  it('uses ISO weeks starting on Monday, across the year end', () => {
    // Thu 2026-11-26 → Monday 23 Nov 00:00 local = 06:00Z; week 48
    expect(bucketOf(utc('2026-11-26T18:00:00Z'), 'week')).toMatchObject({ key: '2026-W48', startMs: utc('2026-11-23T06:00:00Z'), endMs: utc('2026-11-30T06:00:00Z') });
    // Fri 2027-01-01 belongs to ISO week 53 of 2026 (2026 began on a Thursday)
    expect(bucketOf(utc('2027-01-01T18:00:00Z'), 'week').key).toBe('2026-W53');
  });

  it('gives the local month with its real length', () => {
    const { span, days } = monthSpan('2026-11');
    expect(span).toEqual({ startMs: utc('2026-11-01T06:00:00Z'), endMs: utc('2026-12-01T06:00:00Z') });
    expect(days).toHaveLength(30);
    expect(days[0]?.key).toBe('2026-11-01');
    expect(days[29]?.key).toBe('2026-11-30');
    expect(monthSpan('2028-02').days).toHaveLength(29);
    expect(() => monthSpan('2026-13')).toThrow(RangeError);
  });
});

describe('intervals crossing midnight and month ends', () => {
  it('splits an agent state interval at local midnight', () => {
    // 23:50 local on the 26th → 00:20 local on the 27th: 10 min + 20 min
    const pieces = splitSpanByBucket({ startMs: utc('2026-11-27T05:50:00Z'), endMs: utc('2026-11-27T06:20:00Z') }, 'day');
    expect(pieces.map((piece) => [piece.bucket.key, piece.durationMs / MIN])).toEqual([
      ['2026-11-26', 10],
      ['2026-11-27', 20],
    ]);
  });

  it('splits at the month boundary in local time', () => {
    // 30 Nov 23:45 local → 1 Dec 00:15 local
    const pieces = splitSpanByBucket({ startMs: utc('2026-12-01T05:45:00Z'), endMs: utc('2026-12-01T06:15:00Z') }, 'month');
    expect(pieces.map((piece) => [piece.bucket.key, piece.durationMs / MIN])).toEqual([
      ['2026-11', 15],
      ['2026-12', 15],
    ]);
  });

  it('counts 48 half hours in a day', () => {
    const day = bucketOf(utc('2026-11-26T18:00:00Z'), 'day');
    expect(bucketsBetween(day.startMs, day.endMs, 'half_hour')).toHaveLength(48);
  });
});

describe('a real tz computation, not a fixed offset (historical DST in Mexico City)', () => {
  it('2021-04-04 (DST began at 02:00) lasted 23 hours', () => {
    const day = bucketOf(utc('2021-04-04T18:00:00Z'), 'day');
    expect(day.key).toBe('2021-04-04');
    expect(day.startMs).toBe(utc('2021-04-04T06:00:00Z'));
    expect(day.endMs).toBe(utc('2021-04-05T05:00:00Z'));
    expect((day.endMs - day.startMs) / H).toBe(23);
    expect(bucketsBetween(day.startMs, day.endMs, 'half_hour')).toHaveLength(46);
  });

  it('2021-10-31 (DST ended at 02:00) lasted 25 hours and its repeated 01:00 half hours stay distinct', () => {
    const day = bucketOf(utc('2021-10-31T18:00:00Z'), 'day');
    expect((day.endMs - day.startMs) / H).toBe(25);
    expect(bucketOf(utc('2021-10-31T06:15:00Z'), 'half_hour').key).toBe('2021-10-31T01:00-05:00');
    expect(bucketOf(utc('2021-10-31T07:15:00Z'), 'half_hour').key).toBe('2021-10-31T01:00-06:00');
    expect(bucketsBetween(day.startMs, day.endMs, 'half_hour')).toHaveLength(50);
  });

  it('honours another zone when a campaign sets one', () => {
    // 2026-11-26T07:30Z is still the 25th in Tijuana (UTC−8) but the 26th in Mexico City
    expect(localDateOf(utc('2026-11-26T07:30:00Z'), 'America/Tijuana')).toBe('2026-11-25');
    expect(localDateOf(utc('2026-11-26T07:30:00Z'))).toBe('2026-11-26');
  });
});
