/**
 * The agent's panoramic view (seed-digest §9.2: the 30-day calendar in the inbox), read through
 * the pool: the calendar in force, the active appointments of the window, then the pure
 * `calendarView` — plus each day's weekday and the name of its holiday, so the agent sees why a
 * day offers nothing.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { DAY_MS, MINUTE_MS, instantsAtWall, isoDateOf, localDayOf, weekdayOf, type Weekday } from '../../router/calendar/local-time.js';
import type { AppointmentCalendar, BookingRules, FreeSlot } from '../rules/appointment-rules.types.js';
import { positionOf } from '../rules/calendar-grid.js';
import { calendarView } from '../rules/slots.js';
import { activeBetween } from './appointment-rows.js';
import { requireCalendar } from './calendar.store.js';

export interface CalendarViewDbQuery {
  readonly serviceId: string;
  readonly officeId?: string;
  readonly roomId?: string;
  /** Local date `YYYY-MM-DD` of the first day; default today in the calendar's zone. */
  readonly from?: string;
  /** Default the campaign's `calendarDays` (30). */
  readonly days?: number;
  /** Default the clock; tests pass a fixed instant. */
  readonly now?: Date;
}

export interface CalendarViewDayOut {
  readonly date: string;
  readonly weekday: Weekday;
  readonly holiday: string | null;
  readonly freeCount: number;
  readonly slots: readonly FreeSlot[];
}

export interface CalendarViewResult {
  readonly timeZone: string;
  readonly calendar: AppointmentCalendar;
  readonly rules: BookingRules;
  readonly days: readonly CalendarViewDayOut[];
}

/**
 * The first instant of a local day. A zone whose spring-forward skips midnight starts that day at
 * 01:00 (or later); the first wall time that exists is the day's start.
 */
export function startOfLocalDay(timeZone: string, localDay: number): number {
  for (let minute = 0; minute < 24 * 60; minute += 30) {
    const instant = instantsAtWall(timeZone, localDay * DAY_MS + minute * MINUTE_MS)[0];
    if (instant !== undefined) return instant;
  }
  return localDay * DAY_MS;
}

/** The holiday that closes the view's offices that day: campaign-wide first, else one of the offices shown. */
function holidayOn(calendar: AppointmentCalendar, date: string, officeIds: ReadonlySet<string>): string | null {
  const holidays = calendar.holidays.filter((h) => h.date === date);
  const general = holidays.find((h) => h.officeId === undefined);
  if (general) return general.name;
  const local = holidays.filter((h) => h.officeId !== undefined && officeIds.has(h.officeId));
  if (local.length === 0) return null;
  if (officeIds.size === 1) return local[0]?.name ?? null;
  return local.map((h) => `${h.name} (${calendar.offices.find((o) => o.id === h.officeId)?.name ?? h.officeId ?? ''})`).join(' · ');
}

export async function calendarViewOf(db: Kysely<Database>, campaignId: string, query: CalendarViewDbQuery): Promise<CalendarViewResult> {
  const { calendar, rules } = await requireCalendar(db, campaignId);
  const now = query.now ?? new Date();
  const firstDay = query.from !== undefined ? localDayOf(query.from) : positionOf(calendar.timeZone, now.getTime()).localDay;
  const days = query.days ?? rules.calendarDays;
  const fromMs = startOfLocalDay(calendar.timeZone, firstDay);
  const toMs = startOfLocalDay(calendar.timeZone, firstDay + days);
  const existing = await activeBetween(db, campaignId, fromMs, toMs);
  const view = calendarView(calendar, rules, existing, {
    serviceId: query.serviceId,
    ...(query.officeId === undefined ? {} : { officeId: query.officeId }),
    ...(query.roomId === undefined ? {} : { roomId: query.roomId }),
    from: new Date(fromMs),
    now,
    days,
  });
  const room = query.roomId === undefined ? undefined : calendar.rooms.find((r) => r.id === query.roomId);
  const officeIds = new Set(
    calendar.rooms
      .filter((r) => r.serviceIds.includes(query.serviceId) && (query.officeId === undefined || r.officeId === query.officeId) && (room === undefined || r.id === room.id))
      .map((r) => r.officeId),
  );
  return {
    timeZone: calendar.timeZone,
    calendar,
    rules,
    days: view.map((day) => {
      const localDay = localDayOf(day.date);
      return { date: isoDateOf(localDay), weekday: weekdayOf(localDay), holiday: holidayOn(calendar, day.date, officeIds), freeCount: day.freeCount, slots: day.slots };
    }),
  };
}
