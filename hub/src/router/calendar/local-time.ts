/**
 * Wall-clock arithmetic in an IANA time zone, built only on `Intl` (Node ships full ICU).
 *
 * Why not fixed offsets: America/Mexico_City dropped DST in Oct 2022, but campaigns may be
 * configured in zones that still change (America/Tijuana, border municipalities, other countries),
 * and historical instants in Mexico City itself had DST. Every conversion asks ICU for the offset
 * in force at that instant.
 *
 * Vocabulary: an *instant* is epoch milliseconds (UTC). A *wall* value is the local date-time
 * encoded as if it were UTC (`Date.UTC(y, m - 1, d, hh, mm)`), which makes calendar maths plain
 * integer maths. A *local day* is `floor(wall / DAY_MS)` (days since 1970-01-01 on the wall clock).
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // h23 avoids the "24:00" hour some ICU versions print for midnight with hour12: false.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when ICU knows the zone (IANA names and their links, e.g. `US/Pacific`). */
export function isKnownTimeZone(timeZone: string): boolean {
  // ICU also accepts things like "EST"; require the Area/Location shape or a plain name like UTC.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function floorToSecond(instant: number): number {
  return instant - (((instant % 1000) + 1000) % 1000);
}

/** UTC offset (wall − instant, in ms) in force at `instant`. */
export function offsetAt(timeZone: string, instant: number): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    const value = Number(part.value);
    if (part.type === 'year') year = value;
    else if (part.type === 'month') month = value;
    else if (part.type === 'day') day = value;
    else if (part.type === 'hour') hour = value;
    else if (part.type === 'minute') minute = value;
    else if (part.type === 'second') second = value;
  }
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear keeps the real year (2000 is a leap
  // year, so 29 February survives the detour).
  const wall = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  wall.setUTCFullYear(year);
  return wall.getTime() - floorToSecond(instant);
}

/** The wall value shown by a clock in `timeZone` at `instant`. */
export function wallAt(timeZone: string, instant: number): number {
  return instant + offsetAt(timeZone, instant);
}

/**
 * Every instant whose wall clock reads `wall`: none inside a spring-forward gap, two inside a
 * fall-back overlap, one otherwise. Assumes at most one offset change within ±1 day, which holds
 * for every zone in the tz database.
 */
export function instantsAtWall(timeZone: string, wall: number): number[] {
  const before = offsetAt(timeZone, wall - DAY_MS);
  const after = offsetAt(timeZone, wall + DAY_MS);
  const candidates = before === after ? [wall - before] : [wall - before, wall - after];
  return candidates.filter((instant) => wallAt(timeZone, instant) === wall).sort((a, b) => a - b);
}

/**
 * Instants in (from, to] where the zone's offset changes (DST starts or ends). Samples every
 * 12 hours and bisects to the exact second, because ICU exposes no transition list.
 */
export function offsetChangesBetween(timeZone: string, from: number, to: number): number[] {
  const changes: number[] = [];
  const step = DAY_MS / 2;
  let left = from;
  let leftOffset = offsetAt(timeZone, left);
  while (left < to) {
    const right = Math.min(left + step, to);
    const rightOffset = offsetAt(timeZone, right);
    if (rightOffset !== leftOffset) {
      // Invariant: offset(lo) is the old one, offset(hi) the new one.
      let lo = left;
      let hi = right;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(timeZone, mid) === leftOffset) lo = mid;
        else hi = mid;
      }
      changes.push(hi);
    }
    left = right;
    leftOffset = rightOffset;
  }
  return changes;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

const WEEKDAYS_FROM_SUNDAY: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Weekday of a local day number (1970-01-01 was a Thursday). */
export function weekdayOf(localDay: number): Weekday {
  return WEEKDAYS_FROM_SUNDAY[(((localDay + 4) % 7) + 7) % 7] ?? 'sun';
}

/** `YYYY-MM-DD` of a local day number. */
export function isoDateOf(localDay: number): string {
  return new Date(localDay * DAY_MS).toISOString().slice(0, 10);
}

/** Local day number of a `YYYY-MM-DD` string (callers validate the format). */
export function localDayOf(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
}
