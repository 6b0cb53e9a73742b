import type { ResultsRange } from './survey-api.js';

/**
 * The results period. The hub reads a plain date in the campaign's time zone and includes the
 * whole `to` day, so the default month is the campaign's current month, not the browser's.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Year and month (1–12) of `now` on the campaign's clock; the browser's clock for an unknown zone. */
function yearMonthIn(now: Date, timeZone: string): { year: number; month: number } {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric' }).formatToParts(now);
    const year = Number(parts.find((p) => p.type === 'year')?.value);
    const month = Number(parts.find((p) => p.type === 'month')?.value);
    if (Number.isInteger(year) && Number.isInteger(month)) return { year, month };
  } catch {
    // RangeError: a zone this browser does not know.
  }
  return { year: now.getFullYear(), month: now.getMonth() + 1 };
}

/** First and last day of the current month in the campaign's time zone. */
export function currentMonthRange(now: Date, timeZone: string): ResultsRange {
  const { year, month } = yearMonthIn(now, timeZone);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${pad(lastDay)}` };
}

/** A real calendar date written YYYY-MM-DD (no 2026-02-30). */
export function isIsoDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export type RangeProblems = Partial<Record<'from' | 'to', 'date' | 'order'>>;

export function rangeProblems(range: ResultsRange): RangeProblems {
  const problems: RangeProblems = {};
  if (!isIsoDate(range.from)) problems.from = 'date';
  if (!isIsoDate(range.to)) problems.to = 'date';
  // ISO dates compare as text.
  if (!problems.from && !problems.to && range.from > range.to) problems.to = 'order';
  return problems;
}

/** "1 de mayo de 2026" / "May 1, 2026": a plain date, not shifted by the browser's zone. */
export function formatDay(date: string, lang: string): string {
  if (!isIsoDate(date)) return date;
  return new Date(`${date}T12:00:00Z`).toLocaleDateString(lang, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
}
