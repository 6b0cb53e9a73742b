/**
 * Report buckets (30 min, day, week, month) in the campaign's time zone, default
 * America/Mexico_City ("hora del centro", L3108).
 *
 * Mexico City has had no DST since 30 Oct 2022, but a fixed −06:00 would be wrong for historical
 * data (e.g. 2021-04-04 was a 23-hour day) and for campaigns in other zones, so every conversion
 * asks ICU through `Intl.DateTimeFormat` — reusing the router calendar's `local-time.ts`, the
 * hub's single wall-clock module — for the offset in force at that instant.
 *
 * Buckets are half-open [startMs, endMs). Keys: half hour `2026-11-26T08:30-06:00` (the offset
 * keeps a repeated fall-back half hour distinct), day `2026-11-26`, ISO week `2026-W48` (weeks
 * start on Monday), month `2026-11`.
 */
import { DAY_MS, instantsAtWall, isoDateOf, offsetAt, wallAt } from '../../router/calendar/local-time.js';
import { type TimeSpan } from './availability.js';

export const KPI_TIME_ZONE = 'America/Mexico_City';
export const HALF_HOUR_MS = 30 * 60_000;

export type Granularity = 'half_hour' | 'day' | 'week' | 'month';

export interface Bucket {
  readonly granularity: Granularity;
  readonly key: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** Earliest instant showing `wall`; inside a spring-forward gap, the instant the gap ends. */
function instantAtWallStart(timeZone: string, wall: number): number {
  const instants = instantsAtWall(timeZone, wall);
  return instants[0] ?? wall - offsetAt(timeZone, wall - DAY_MS);
}

function offsetLabel(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const minutes = Math.abs(offsetMs) / 60_000;
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Monday-based weekday of a local day number (1970-01-01, day 0, was a Thursday → 3). */
function mondayIndex(localDay: number): number {
  return (((localDay + 3) % 7) + 7) % 7;
}

function isoWeekKey(localDay: number): string {
  const thursday = localDay - mondayIndex(localDay) + 3;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1) / DAY_MS) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

function nextMonthWall(wall: number): number {
  const date = new Date(wall);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/** The bucket of the given granularity that contains `instantMs`. */
export function bucketOf(instantMs: number, granularity: Granularity, timeZone: string = KPI_TIME_ZONE): Bucket {
  const wall = wallAt(timeZone, instantMs);
  const localDay = Math.floor(wall / DAY_MS);
  if (granularity === 'half_hour') {
    // Subtract the wall time elapsed in the half hour so a repeated (fall-back) half hour maps
    // to its own occurrence; offsets change on whole hours in Mexico's history.
    const startMs = instantMs - (wall - Math.floor(wall / HALF_HOUR_MS) * HALF_HOUR_MS);
    const startWall = wallAt(timeZone, startMs);
    const key = `${new Date(startWall).toISOString().slice(0, 16)}${offsetLabel(offsetAt(timeZone, startMs))}`;
    return { granularity, key, startMs, endMs: startMs + HALF_HOUR_MS };
  }
  if (granularity === 'day') {
    const startWall = localDay * DAY_MS;
    return {
      granularity,
      key: isoDateOf(localDay),
      startMs: instantAtWallStart(timeZone, startWall),
      endMs: instantAtWallStart(timeZone, startWall + DAY_MS),
    };
  }
  if (granularity === 'week') {
    const monday = localDay - mondayIndex(localDay);
    return {
      granularity,
      key: isoWeekKey(localDay),
      startMs: instantAtWallStart(timeZone, monday * DAY_MS),
      endMs: instantAtWallStart(timeZone, (monday + 7) * DAY_MS),
    };
  }
  const date = new Date(wall);
  const startWall = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  return {
    granularity,
    key: new Date(startWall).toISOString().slice(0, 7),
    startMs: instantAtWallStart(timeZone, startWall),
    endMs: instantAtWallStart(timeZone, nextMonthWall(startWall)),
  };
}

/** Local calendar date `YYYY-MM-DD` of an instant. */
export function localDateOf(instantMs: number, timeZone: string = KPI_TIME_ZONE): string {
  return bucketOf(instantMs, 'day', timeZone).key;
}

/** Every bucket overlapping [fromMs, toMs), in order. */
export function bucketsBetween(fromMs: number, toMs: number, granularity: Granularity, timeZone: string = KPI_TIME_ZONE): Bucket[] {
  const buckets: Bucket[] = [];
  let cursor = fromMs;
  while (cursor < toMs) {
    const bucket = bucketOf(cursor, granularity, timeZone);
    buckets.push(bucket);
    cursor = bucket.endMs;
  }
  return buckets;
}

export interface BucketPiece {
  readonly bucket: Bucket;
  readonly span: TimeSpan;
  readonly durationMs: number;
}

/**
 * Cuts a span (an agent state interval, an outage) at bucket edges, so time that crosses
 * midnight or a month end is credited to each local day or month it really fell in.
 */
export function splitSpanByBucket(span: TimeSpan, granularity: Granularity, timeZone: string = KPI_TIME_ZONE): BucketPiece[] {
  return bucketsBetween(span.startMs, span.endMs, granularity, timeZone).map((bucket) => {
    const startMs = Math.max(span.startMs, bucket.startMs);
    const endMs = Math.min(span.endMs, bucket.endMs);
    return { bucket, span: { startMs, endMs }, durationMs: endMs - startMs };
  });
}

/** The local month `YYYY-MM` as a span, and its local days. */
export function monthSpan(month: string, timeZone: string = KPI_TIME_ZONE): { span: TimeSpan; days: Bucket[] } {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) throw new RangeError(`month must be YYYY-MM, got "${month}"`);
  const startWall = Date.UTC(Number(match[1]), Number(match[2]) - 1, 1);
  const span = { startMs: instantAtWallStart(timeZone, startWall), endMs: instantAtWallStart(timeZone, nextMonthWall(startWall)) };
  return { span, days: bucketsBetween(span.startMs, span.endMs, 'day', timeZone) };
}
