/**
 * Free slots (IMSS `ConsultaDisponibilidad`, seed-digest §9.2): the nearest free slots from a date
 * and the agent's 30-day panoramic view. Pure: the caller passes the calendar, the rules, the
 * existing appointments and `now`.
 */
import { isoDateOf } from '../../router/calendar/local-time.js';
import type { AppointmentCalendar, BookingRules, ExistingAppointment, FreeSlot, LocalDate, Room, Service } from './appointment-rules.types.js';
import {
  gridMinutes,
  inExcludedTime,
  isBlocked,
  isHoliday,
  isShiftFull,
  isTaken,
  leadWindow,
  occupancyOf,
  positionOf,
  shiftsOfRoomOn,
  slotInstant,
  type Occupancy,
} from './calendar-grid.js';

export interface FreeSlotQuery {
  readonly serviceId: string;
  readonly officeId?: string;
  readonly roomId?: string;
  readonly from: Date;
  readonly now: Date;
  /** Default `rules.nearestSlots` (10). */
  readonly limit?: number;
}

export interface CalendarViewQuery {
  readonly serviceId: string;
  readonly officeId?: string;
  readonly roomId?: string;
  readonly from: Date;
  readonly now: Date;
  /** Default `rules.calendarDays` (30). */
  readonly days?: number;
}

export interface CalendarDay {
  readonly date: LocalDate;
  readonly freeCount: number;
  readonly slots: readonly FreeSlot[];
}

interface Search {
  readonly calendar: AppointmentCalendar;
  readonly rules: BookingRules;
  readonly occupancy: Occupancy;
  readonly service: Service;
  readonly rooms: readonly Room[];
  readonly earliestMs: number;
  readonly latestMs: number;
}

function searchOf(
  calendar: AppointmentCalendar,
  rules: BookingRules,
  existing: readonly ExistingAppointment[],
  query: { serviceId: string; officeId?: string; roomId?: string; from: Date; now: Date },
): Search | undefined {
  const service = calendar.services.find((s) => s.id === query.serviceId);
  if (!service) return undefined;
  const rooms = calendar.rooms.filter(
    (room) =>
      room.serviceIds.includes(service.id) &&
      (query.officeId === undefined || room.officeId === query.officeId) &&
      (query.roomId === undefined || room.id === query.roomId),
  );
  const lead = leadWindow(rules, query.now.getTime());
  return {
    calendar,
    rules,
    occupancy: occupancyOf(calendar, existing),
    service,
    rooms,
    earliestMs: Math.max(lead.earliestMs, query.from.getTime()),
    latestMs: lead.latestMs,
  };
}

/** Free slots of one local day, by start time, then room order, then shift id. */
function freeSlotsOfDay(search: Search, localDay: number): FreeSlot[] {
  const { calendar, rules, occupancy, service } = search;
  const date = isoDateOf(localDay);
  const found: { slot: FreeSlot; startMs: number; roomIndex: number }[] = [];
  search.rooms.forEach((room, roomIndex) => {
    if (isHoliday(calendar, room.officeId, date)) return;
    for (const shift of shiftsOfRoomOn(calendar, room.id, localDay)) {
      if (isShiftFull(occupancy, rules, room.id, shift, localDay)) continue;
      for (const minute of gridMinutes(shift, service)) {
        if (inExcludedTime(service, minute)) continue;
        const startMs = slotInstant(calendar.timeZone, localDay, minute);
        if (startMs === undefined || startMs < search.earliestMs || startMs > search.latestMs) continue;
        const endMs = startMs + service.slotMinutes * 60_000;
        if (isBlocked(calendar, room, startMs, endMs) || isTaken(occupancy, room.id, startMs, endMs)) continue;
        const slot: FreeSlot = {
          roomId: room.id,
          officeId: room.officeId,
          serviceId: service.id,
          shiftId: shift.id,
          startsAt: new Date(startMs).toISOString(),
          endsAt: new Date(endMs).toISOString(),
        };
        found.push({ slot, startMs, roomIndex });
      }
    }
  });
  found.sort((a, b) => a.startMs - b.startMs || a.roomIndex - b.roomIndex || a.slot.shiftId.localeCompare(b.slot.shiftId));
  return found.map((f) => f.slot);
}

/**
 * The nearest free slots from `query.from` (never before now + min lead, never after now + max
 * lead), in time order then room order. Skips holidays, blocked periods, excluded times, full
 * shifts and taken slots. An unknown service has no slots.
 */
export function freeSlots(
  calendar: AppointmentCalendar,
  rules: BookingRules,
  existing: readonly ExistingAppointment[],
  query: FreeSlotQuery,
): FreeSlot[] {
  const search = searchOf(calendar, rules, existing, query);
  const limit = query.limit ?? rules.nearestSlots;
  if (!search || limit <= 0 || search.earliestMs > search.latestMs) return [];
  const firstDay = positionOf(calendar.timeZone, search.earliestMs).localDay;
  const lastDay = positionOf(calendar.timeZone, search.latestMs).localDay;
  const slots: FreeSlot[] = [];
  for (let day = firstDay; day <= lastDay && slots.length < limit; day += 1) {
    slots.push(...freeSlotsOfDay(search, day).slice(0, limit - slots.length));
  }
  return slots;
}

/** Per local day from `query.from`'s day, `days` days long: the free slots and how many. */
export function calendarView(
  calendar: AppointmentCalendar,
  rules: BookingRules,
  existing: readonly ExistingAppointment[],
  query: CalendarViewQuery,
): CalendarDay[] {
  const days = query.days ?? rules.calendarDays;
  const firstDay = positionOf(calendar.timeZone, query.from.getTime()).localDay;
  const search = searchOf(calendar, rules, existing, query);
  const view: CalendarDay[] = [];
  for (let day = firstDay; day < firstDay + days; day += 1) {
    const slots = search ? freeSlotsOfDay(search, day) : [];
    view.push({ date: isoDateOf(day), freeCount: slots.length, slots });
  }
  return view;
}
