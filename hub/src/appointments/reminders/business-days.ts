/**
 * "5 business days ahead" (seed-digest §9.3, Confirmación de Citas 2º Nivel): Monday to Friday,
 * not a campaign-wide holiday of the calendar. Pure: local dates in, local date out.
 */
import { isoDateOf, localDayOf, weekdayOf } from '../../router/calendar/local-time.js';
import type { AppointmentCalendar } from '../rules/appointment-rules.types.js';

export function isBusinessDay(calendar: Pick<AppointmentCalendar, 'holidays'>, isoDate: string): boolean {
  const weekday = weekdayOf(localDayOf(isoDate));
  if (weekday === 'sat' || weekday === 'sun') return false;
  // An office's own holiday closes that office only; the campaign's business days go on.
  return !calendar.holidays.some((h) => h.date === isoDate && h.officeId === undefined);
}

/** The local date `days` business days after `today` (today itself never counts). */
export function addBusinessDays(calendar: Pick<AppointmentCalendar, 'holidays'>, today: string, days: number): string {
  let day = localDayOf(today);
  let counted = 0;
  while (counted < days) {
    day += 1;
    if (isBusinessDay(calendar, isoDateOf(day))) counted += 1;
  }
  return isoDateOf(day);
}
