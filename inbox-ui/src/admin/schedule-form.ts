import { HH_MM } from './admin-limits.js';
import type { ClientProblems } from './form-problems.js';
import type { DayKey, OpeningInterval, WeeklySchedule } from './admin-types.js';

/**
 * The weekly hours editor's model and its conversion to the hub's WeeklySchedule
 * (router/calendar/weekly-schedule.schema.ts). Intervals are half-open [open, close) in the
 * schedule's time zone; an empty day is closed; 24:00 closes at midnight.
 */

export const DAY_KEYS: readonly DayKey[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const WEEKDAYS: readonly DayKey[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

export interface ScheduleForm {
  timeZone: string;
  days: Record<DayKey, OpeningInterval[]>;
  /** Holidays of the calendar: closed, or their own hours. */
  holidaysClosed: boolean;
  holidayIntervals: OpeningInterval[];
  /** Hours of a holiday that follows a working day running until 24:00 (night shift); null = not set. */
  afterOvernight: OpeningInterval[] | null;
}

const copy = (list: readonly OpeningInterval[]): OpeningInterval[] => list.map(({ open, close }) => ({ open, close }));

export function scheduleToForm(schedule: WeeklySchedule): ScheduleForm {
  return {
    timeZone: schedule.timeZone,
    days: Object.fromEntries(DAY_KEYS.map((d) => [d, copy(schedule.days[d] ?? [])])) as Record<DayKey, OpeningInterval[]>,
    holidaysClosed: schedule.holidays === 'closed',
    holidayIntervals: schedule.holidays === 'closed' ? [] : copy(schedule.holidays),
    afterOvernight: schedule.holidaysAfterOvernightShift ? copy(schedule.holidaysAfterOvernightShift) : null,
  };
}

const sorted = (list: readonly OpeningInterval[]) => copy(list).sort((a, b) => minutesOf(a.open) - minutesOf(b.open));

/** The API shape; intervals in time order (the hub accepts any order, people read them sorted). */
export function formToSchedule(form: ScheduleForm): WeeklySchedule {
  return {
    timeZone: form.timeZone.trim(),
    days: Object.fromEntries(DAY_KEYS.map((d) => [d, sorted(form.days[d])])) as Record<DayKey, OpeningInterval[]>,
    holidays: form.holidaysClosed ? 'closed' : sorted(form.holidayIntervals),
    ...(form.afterOvernight ? { holidaysAfterOvernightShift: sorted(form.afterOvernight) } : {}),
  };
}

/** Minutes after midnight of `HH:MM` (24:00 → 1440), NaN when it is not one. */
export function minutesOf(hhmm: string): number {
  return HH_MM.test(hhmm) ? Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5)) : Number.NaN;
}

/** "8:00" or "0800" typed by hand → "08:00"; anything else is left for validation to flag. */
export function normalizeTime(text: string): string {
  const t = text.trim();
  const m = /^(\d{1,2}):?(\d{2})$/.exec(t);
  if (!m) return t;
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
}

function checkIntervals(list: readonly OpeningInterval[], path: string, problems: ClientProblems): void {
  list.forEach((interval, i) => {
    const open = minutesOf(interval.open);
    const close = minutesOf(interval.close);
    if (Number.isNaN(open)) problems[`${path}.${i}.open`] = { key: 'v.time' };
    if (Number.isNaN(close)) problems[`${path}.${i}.close`] = { key: 'v.time' };
    if (!Number.isNaN(open) && !Number.isNaN(close) && open >= close) problems[`${path}.${i}.close`] = { key: 'v.closeAfterOpen' };
  });
  const order = list.map((interval, index) => ({ ...interval, index })).filter((x) => !Number.isNaN(minutesOf(x.open)) && !Number.isNaN(minutesOf(x.close)));
  order.sort((a, b) => minutesOf(a.open) - minutesOf(b.open));
  for (let i = 1; i < order.length; i += 1) {
    const previous = order[i - 1]!;
    const current = order[i]!;
    // Touching intervals (08:00–14:00, 14:00–20:00) are fine: close is exclusive.
    if (minutesOf(current.open) < minutesOf(previous.close)) {
      problems[`${path}.${current.index}.open`] = { key: 'v.overlap', values: { a: `${previous.open}–${previous.close}`, b: `${current.open}–${current.close}` } };
    }
  }
}

/** Problems keyed as the hub keys them inside the routing body (`schedule.days.mon.0.close`). */
export function validateSchedule(form: ScheduleForm, isTimeZone: (zone: string) => boolean, prefix = 'schedule'): ClientProblems {
  const problems: ClientProblems = {};
  if (form.timeZone.trim() === '') problems[`${prefix}.timeZone`] = { key: 'v.required' };
  else if (!isTimeZone(form.timeZone.trim())) problems[`${prefix}.timeZone`] = { key: 'v.timeZone' };
  for (const day of DAY_KEYS) checkIntervals(form.days[day], `${prefix}.days.${day}`, problems);
  if (!form.holidaysClosed) checkIntervals(form.holidayIntervals, `${prefix}.holidays`, problems);
  if (form.afterOvernight) checkIntervals(form.afterOvernight, `${prefix}.holidaysAfterOvernightShift`, problems);
  return problems;
}

/** The same hours on other days (e.g. Monday's on Tuesday–Friday). */
export function copyDay(form: ScheduleForm, from: DayKey, to: readonly DayKey[]): ScheduleForm {
  const days = { ...form.days };
  for (const day of to) if (day !== from) days[day] = copy(form.days[from]);
  return { ...form, days };
}

/** "08:00–14:00, 15:00–20:00", or null for a closed day. */
export function describeIntervals(list: readonly OpeningInterval[]): string | null {
  if (list.length === 0) return null;
  return sorted(list)
    .map((i) => `${i.open}–${i.close}`)
    .join(', ');
}

/** Open hours per week (for a sanity glance: "74 h/semana"); invalid intervals count 0. */
export function weeklyHours(form: ScheduleForm): number {
  let minutes = 0;
  for (const day of DAY_KEYS) {
    for (const { open, close } of form.days[day]) {
      const a = minutesOf(open);
      const b = minutesOf(close);
      if (!Number.isNaN(a) && !Number.isNaN(b) && b > a) minutes += b - a;
    }
  }
  return Math.round((minutes / 60) * 10) / 10;
}

/** A new interval after the last one of the day (or a typical office window on an empty day). */
export function nextInterval(list: readonly OpeningInterval[]): OpeningInterval {
  const last = sorted(list).at(-1);
  if (!last) return { open: '09:00', close: '18:00' };
  const start = minutesOf(last.close);
  if (Number.isNaN(start) || start >= 23 * 60) return { open: '', close: '' };
  const end = Math.min(start + 60, 24 * 60);
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return { open: hhmm(start), close: hhmm(end) };
}
