import { KPI_TIME_ZONE, monthSpan, type Bucket } from '../formulas/intervals.js';

/** The local day `YYYY-MM-DD` as a bucket (23 or 25 hours on a DST change). */
export function localDay(date: string, timeZone: string = KPI_TIME_ZONE): Bucket {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`la fecha debe ser AAAA-MM-DD / date must be YYYY-MM-DD, got "${date}"`);
  const day = monthSpan(date.slice(0, 7), timeZone).days.find((d) => d.key === date);
  if (!day) throw new RangeError(`la fecha no existe / no such local date "${date}"`);
  return day;
}
