import type { ClientProblems } from './form-problems.js';
import type { HolidayCalendar } from './admin-types.js';

/**
 * The holiday calendar editor (router/calendar/holidays.ts): a base list (Ley Federal del
 * Trabajo art. 74, or none), dated additions, dates worked anyway, and yearly additions.
 * The LFT list is computed here too for the preview; holidays-form.test.ts checks it against
 * the hub's for a range of years.
 */

export interface HolidaysForm {
  base: 'lft74' | 'none';
  extra: { date: string; name: string }[];
  removed: string[];
  annual: { monthDay: string; name: string }[];
  /** The stored calendar had `annual`; keep the key when it is emptied. */
  hadAnnual: boolean;
}

export function holidaysToForm(calendar: HolidayCalendar): HolidaysForm {
  return {
    base: calendar.base,
    extra: calendar.extra.map((h) => ({ ...h })),
    removed: [...calendar.removed],
    annual: (calendar.annual ?? []).map((h) => ({ ...h })),
    hadAnnual: calendar.annual !== undefined,
  };
}

export function formToHolidays(form: HolidaysForm): HolidayCalendar {
  const extra = form.extra.map((h) => ({ date: h.date.trim(), name: h.name.trim() })).sort((a, b) => a.date.localeCompare(b.date));
  const removed = [...new Set(form.removed.map((d) => d.trim()))].sort();
  const annual = form.annual.map((h) => ({ monthDay: h.monthDay.trim(), name: h.name.trim() })).sort((a, b) => a.monthDay.localeCompare(b.monthDay));
  return { base: form.base, extra, removed, ...(annual.length > 0 || form.hadAnnual ? { annual } : {}) };
}

/** A real calendar date YYYY-MM-DD (2026-02-30 is not). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** MM-DD that exists in some year (02-29 does). */
export function isMonthDay(value: string): boolean {
  return /^\d{2}-\d{2}$/.test(value) && isIsoDate(`2000-${value}`);
}

export function validateHolidays(form: HolidaysForm, prefix = 'holidays'): ClientProblems {
  const problems: ClientProblems = {};
  const seen = new Map<string, number>();
  form.extra.forEach((h, i) => {
    const date = h.date.trim();
    if (!isIsoDate(date)) problems[`${prefix}.extra.${i}.date`] = { key: 'v.date' };
    else if (seen.has(date)) problems[`${prefix}.extra.${i}.date`] = { key: 'v.duplicate' };
    seen.set(date, i);
    if (h.name.trim() === '') problems[`${prefix}.extra.${i}.name`] = { key: 'v.required' };
    else if (h.name.trim().length > 120) problems[`${prefix}.extra.${i}.name`] = { key: 'v.maxLength', values: { max: 120 } };
  });
  const removedSeen = new Set<string>();
  form.removed.forEach((d, i) => {
    if (!isIsoDate(d.trim())) problems[`${prefix}.removed.${i}`] = { key: 'v.date' };
    else if (removedSeen.has(d.trim())) problems[`${prefix}.removed.${i}`] = { key: 'v.duplicate' };
    removedSeen.add(d.trim());
  });
  const annualSeen = new Set<string>();
  form.annual.forEach((h, i) => {
    const md = h.monthDay.trim();
    if (!isMonthDay(md)) problems[`${prefix}.annual.${i}.monthDay`] = { key: 'v.monthDay' };
    else if (annualSeen.has(md)) problems[`${prefix}.annual.${i}.monthDay`] = { key: 'v.duplicate' };
    annualSeen.add(md);
    if (h.name.trim() === '') problems[`${prefix}.annual.${i}.name`] = { key: 'v.required' };
    else if (h.name.trim().length > 120) problems[`${prefix}.annual.${i}.name`] = { key: 'v.maxLength', values: { max: 120 } };
  });
  return problems;
}

const iso = (year: number, month: number, day: number) => `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

function nthMonday(year: number, month: number, n: number): number {
  const weekday = new Date(Date.UTC(year, month - 1, 1)).getUTCDay(); // 0 = Sunday
  const daysToMonday = (8 - weekday) % 7;
  return 1 + daysToMonday + (n - 1) * 7;
}

/** LFT art. 74 rest days of `year` (1970–9999), in date order, as the hub computes them. */
export function lft74Holidays(year: number): { date: string; name: string }[] {
  if (!Number.isInteger(year) || year < 1970 || year > 9999) return [];
  const mondays = year >= 2006;
  const list = [
    { date: iso(year, 1, 1), name: 'Año Nuevo' },
    { date: iso(year, 2, mondays ? nthMonday(year, 2, 1) : 5), name: 'Día de la Constitución' },
    { date: iso(year, 3, mondays ? nthMonday(year, 3, 3) : 21), name: 'Natalicio de Benito Juárez' },
    { date: iso(year, 5, 1), name: 'Día del Trabajo' },
    { date: iso(year, 9, 16), name: 'Día de la Independencia' },
    { date: iso(year, 11, mondays ? nthMonday(year, 11, 3) : 20), name: 'Día de la Revolución' },
    { date: iso(year, 12, 25), name: 'Navidad' },
  ];
  if (year % 6 === 2) list.push({ date: year >= 2024 ? iso(year, 10, 1) : iso(year, 12, 1), name: 'Transmisión del Poder Ejecutivo Federal' });
  return list.sort((a, b) => a.date.localeCompare(b.date));
}

export interface EffectiveHoliday {
  date: string;
  name: string;
  source: 'lft74' | 'extra' | 'annual';
}

/** The days the campaign is on holiday in `year`: removed dates win, then extra, annual, LFT. */
export function effectiveHolidays(calendar: HolidayCalendar, year: number): EffectiveHoliday[] {
  const y = String(year).padStart(4, '0');
  const byDate = new Map<string, EffectiveHoliday>();
  if (calendar.base === 'lft74') for (const h of lft74Holidays(year)) byDate.set(h.date, { ...h, source: 'lft74' });
  for (const h of calendar.annual ?? []) {
    const date = `${y}-${h.monthDay}`;
    if (isIsoDate(date)) byDate.set(date, { date, name: h.name, source: 'annual' });
  }
  for (const h of calendar.extra) if (h.date.startsWith(`${y}-`)) byDate.set(h.date, { date: h.date, name: h.name, source: 'extra' });
  for (const d of calendar.removed) byDate.delete(d);
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** Removed dates that do not fall on any holiday of their year: probably a typo. */
export function uselessRemovals(calendar: HolidayCalendar): string[] {
  return calendar.removed.filter((d) => {
    if (!isIsoDate(d)) return false;
    const withoutRemoval = effectiveHolidays({ ...calendar, removed: calendar.removed.filter((r) => r !== d) }, Number(d.slice(0, 4)));
    return !withoutRemoval.some((h) => h.date === d);
  });
}
