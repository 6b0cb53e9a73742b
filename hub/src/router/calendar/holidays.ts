import { z } from 'zod';
import { DAY_MS } from './local-time.js';

/** One official rest day of Ley Federal del Trabajo art. 74 (names in es-MX). */
export type LftHoliday = { date: string; name: string; rule: string };

/**
 * The current LFT was enacted in 1970; earlier years had other rules, so we refuse them rather
 * than answer wrongly. 9999 keeps dates at four digits.
 */
export const LFT74_FIRST_YEAR = 1970;
export const LFT74_LAST_YEAR = 9999;

/** Decree DOF 17-01-2006 moved fr. II, III and VI from fixed dates to Mondays, from 2006 on. */
const MONDAY_RULES_SINCE = 2006;
/**
 * Decree DOF 30-09-2024 (in force 1 Oct 2024) rewrote fr. VII: the rest day for the change of
 * federal executive moved from 1 December to 1 October, following constitutional art. 83 (the
 * 2014 political reform made the term that started in 2024 begin on 1 October). Terms are six
 * years and 2018 and 2024 were change years, so change years are those with year % 6 === 2.
 */
const OCTOBER_HANDOVER_SINCE = 2024;

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Day of month of the n-th Monday. */
function nthMonday(year: number, month: number, n: number): number {
  const firstDay = Math.floor(Date.UTC(year, month - 1, 1) / DAY_MS);
  const sundayBased = (((firstDay + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday (4)
  const daysToMonday = (8 - sundayBased) % 7;
  return 1 + daysToMonday + (n - 1) * 7;
}

/**
 * The rest days of LFT art. 74 for `year`, in date order.
 *
 * Fr. IX (federal and local ordinary election days) is not computable: electoral laws set the
 * date and only some states vote in a given year. Campaigns add those days as `extra` dates.
 */
export function lftArticle74Holidays(year: number): LftHoliday[] {
  if (!Number.isInteger(year) || year < LFT74_FIRST_YEAR || year > LFT74_LAST_YEAR) {
    throw new RangeError(`Año fuera de rango (${LFT74_FIRST_YEAR}–${LFT74_LAST_YEAR}) / year out of range: ${year}`);
  }
  const mondays = year >= MONDAY_RULES_SINCE;
  const before2006 = '(texto anterior a la reforma DOF 17-01-2006)';
  const list: LftHoliday[] = [
    { date: iso(year, 1, 1), name: 'Año Nuevo', rule: 'LFT art. 74 fr. I: 1 de enero' },
    mondays
      ? { date: iso(year, 2, nthMonday(year, 2, 1)), name: 'Día de la Constitución', rule: 'LFT art. 74 fr. II: primer lunes de febrero, en conmemoración del 5 de febrero' }
      : { date: iso(year, 2, 5), name: 'Día de la Constitución', rule: `LFT art. 74 fr. II ${before2006}: 5 de febrero` },
    mondays
      ? { date: iso(year, 3, nthMonday(year, 3, 3)), name: 'Natalicio de Benito Juárez', rule: 'LFT art. 74 fr. III: tercer lunes de marzo, en conmemoración del 21 de marzo' }
      : { date: iso(year, 3, 21), name: 'Natalicio de Benito Juárez', rule: `LFT art. 74 fr. III ${before2006}: 21 de marzo` },
    { date: iso(year, 5, 1), name: 'Día del Trabajo', rule: 'LFT art. 74 fr. IV: 1 de mayo' },
    { date: iso(year, 9, 16), name: 'Día de la Independencia', rule: 'LFT art. 74 fr. V: 16 de septiembre' },
    mondays
      ? { date: iso(year, 11, nthMonday(year, 11, 3)), name: 'Día de la Revolución', rule: 'LFT art. 74 fr. VI: tercer lunes de noviembre, en conmemoración del 20 de noviembre' }
      : { date: iso(year, 11, 20), name: 'Día de la Revolución', rule: `LFT art. 74 fr. VI ${before2006}: 20 de noviembre` },
    { date: iso(year, 12, 25), name: 'Navidad', rule: 'LFT art. 74 fr. VIII: 25 de diciembre' },
  ];
  if (year % 6 === 2) {
    list.push(
      year >= OCTOBER_HANDOVER_SINCE
        ? { date: iso(year, 10, 1), name: 'Transmisión del Poder Ejecutivo Federal', rule: 'LFT art. 74 fr. VII (reforma DOF 30-09-2024): 1 de octubre de cada seis años' }
        : { date: iso(year, 12, 1), name: 'Transmisión del Poder Ejecutivo Federal', rule: 'LFT art. 74 fr. VII (texto anterior a la reforma DOF 30-09-2024): 1 de diciembre de cada seis años' },
    );
  }
  return list.sort((a, b) => a.date.localeCompare(b.date));
}

const lft74ByYear = new Map<number, ReadonlyMap<string, string>>();

/** date → name, memoised: schedule scans ask about the same year hundreds of times. */
function lft74Index(year: number): ReadonlyMap<string, string> {
  let index = lft74ByYear.get(year);
  if (!index) {
    index = new Map(lftArticle74Holidays(year).map((h) => [h.date, h.name]));
    lft74ByYear.set(year, index);
  }
  return index;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date: rejects 2026-02-30, which Date.parse would roll over to March. */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

const isoDateSchema = z.string().refine(isIsoDate, { message: 'Fecha inválida, use AAAA-MM-DD / invalid date, use YYYY-MM-DD' });
const monthDaySchema = z
  .string()
  .refine((value) => /^\d{2}-\d{2}$/.test(value) && isIsoDate(`2000-${value}`), { message: 'Día inválido, use MM-DD / invalid day, use MM-DD' });
const holidayNameSchema = z.string().trim().min(1, 'Nombre requerido / name required').max(120);

/**
 * A campaign's holiday calendar. The seed lets each campaign define its own holidays (L5606 OMT:
 * DOF list; L5830 CMT: IMSS calendar; L4473 Centros Vacacionales: art. 74 plus 10 May and 15 Sep),
 * hence a base list, dated additions, dates worked anyway, and optional yearly additions.
 */
export const campaignHolidayCalendarSchema = z.strictObject({
  base: z.enum(['lft74', 'none']),
  /** One-off dates: election days (art. 74 fr. IX), DOF or IMSS decrees. */
  extra: z.array(z.strictObject({ date: isoDateSchema, name: holidayNameSchema })),
  /** Dates the campaign works although a rule above makes them holidays; wins over everything. */
  removed: z.array(isoDateSchema),
  /** Every-year additions such as 10 May ("MM-DD"); absent means none. */
  annual: z.array(z.strictObject({ monthDay: monthDaySchema, name: holidayNameSchema })).optional(),
});

export type CampaignHolidayCalendar = z.infer<typeof campaignHolidayCalendarSchema>;

/** The holiday on `localDate` (YYYY-MM-DD in the campaign's zone), or null on a working day. */
export function holidayOn(calendar: CampaignHolidayCalendar, localDate: string): { date: string; name: string } | null {
  if (!isIsoDate(localDate)) throw new RangeError(`Fecha inválida / invalid date: ${localDate}`);
  if (calendar.removed.includes(localDate)) return null;
  const extra = calendar.extra.find((h) => h.date === localDate);
  if (extra) return { date: localDate, name: extra.name };
  const annual = calendar.annual?.find((h) => h.monthDay === localDate.slice(5));
  if (annual) return { date: localDate, name: annual.name };
  if (calendar.base === 'lft74') {
    const name = lft74Index(Number(localDate.slice(0, 4))).get(localDate);
    if (name !== undefined) return { date: localDate, name };
  }
  return null;
}

export function isHoliday(calendar: CampaignHolidayCalendar, localDate: string): boolean {
  return holidayOn(calendar, localDate) !== null;
}

/** The effective holidays of a campaign in `year`, in date order (for screens and reports). */
export function campaignHolidays(calendar: CampaignHolidayCalendar, year: number): { date: string; name: string }[] {
  const dates = new Set<string>();
  if (calendar.base === 'lft74') for (const h of lftArticle74Holidays(year)) dates.add(h.date);
  for (const h of calendar.extra) if (h.date.startsWith(`${String(year).padStart(4, '0')}-`)) dates.add(h.date);
  for (const h of calendar.annual ?? []) {
    const date = `${String(year).padStart(4, '0')}-${h.monthDay}`;
    if (isIsoDate(date)) dates.add(date); // 02-29 only exists in leap years
  }
  return [...dates]
    .sort()
    .map((date) => holidayOn(calendar, date))
    .filter((h): h is { date: string; name: string } => h !== null);
}

/**
 * The last date a calendar names explicitly. Past it, a calendar only repeats yearly rules, which
 * lets schedule searches stop after one more year instead of scanning forever.
 */
export function lastExplicitDate(calendar: CampaignHolidayCalendar): string | null {
  const dates = [...calendar.extra.map((h) => h.date), ...calendar.removed].sort();
  return dates.at(-1) ?? null;
}
