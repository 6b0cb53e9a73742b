/**
 * The slot grid of an appointment calendar, in its IANA time zone, and the facts both `slots.ts`
 * and `validate.ts` need (which shift an instant falls in, how full each shift is, which room
 * intervals are taken) — one module so that what `freeSlots` offers is exactly what
 * `checkBooking` accepts.
 *
 * Wall-clock maths reuses the hub's single time module (`router/calendar/local-time.ts`): a slot
 * is a local wall time converted with the offset in force that day, so it stays at 08:45 local
 * across a DST change. A wall time skipped by a spring-forward gap has no slot; a wall time
 * repeated by a fall-back is its first occurrence. A slot lasts the service's length in elapsed
 * minutes.
 */
import { DAY_MS, MINUTE_MS, instantsAtWall, wallAt, weekdayOf } from '../../router/calendar/local-time.js';
import {
  ACTIVE_STATUSES,
  type AppointmentCalendar,
  type BookingRules,
  type ExistingAppointment,
  type LocalTime,
  type Room,
  type Service,
  type Shift,
} from './appointment-rules.types.js';

/** Minutes after local midnight of `HH:MM`. */
export function minutesOf(time: LocalTime): number {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) throw new RangeError(`time must be HH:MM, got "${time}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Where an instant falls on the calendar's wall clock. */
export interface LocalPosition {
  readonly localDay: number;
  /** Minutes after local midnight (fractional when the instant is not on a whole minute). */
  readonly minute: number;
}

export function positionOf(timeZone: string, instantMs: number): LocalPosition {
  const wall = wallAt(timeZone, instantMs);
  const localDay = Math.floor(wall / DAY_MS);
  return { localDay, minute: (wall - localDay * DAY_MS) / MINUTE_MS };
}

/** The instant a slot starting at `minute` of `localDay` begins, or undefined inside a DST gap. */
export function slotInstant(timeZone: string, localDay: number, minute: number): number | undefined {
  return instantsAtWall(timeZone, localDay * DAY_MS + minute * MINUTE_MS)[0];
}

export function shiftsOfRoomOn(calendar: AppointmentCalendar, roomId: string, localDay: number): Shift[] {
  const weekday = weekdayOf(localDay);
  return calendar.shifts.filter((shift) => shift.roomId === roomId && shift.weekdays.includes(weekday));
}

/** The room's shift whose local window holds `minute` that day. */
export function shiftAt(calendar: AppointmentCalendar, roomId: string, position: LocalPosition): Shift | undefined {
  return shiftsOfRoomOn(calendar, roomId, position.localDay).find(
    (shift) => position.minute >= minutesOf(shift.start) && position.minute < minutesOf(shift.end),
  );
}

export function capacityOf(shift: Shift, rules: BookingRules): number {
  return shift.capacity ?? rules.capacityPerShift;
}

export function isHoliday(calendar: AppointmentCalendar, officeId: string, localDate: string): boolean {
  return calendar.holidays.some((h) => h.date === localDate && (h.officeId === undefined || h.officeId === officeId));
}

export function isBlocked(calendar: AppointmentCalendar, room: Room, startMs: number, endMs: number): boolean {
  return calendar.blocked.some(
    (b) =>
      (b.roomId === undefined || b.roomId === room.id) &&
      (b.officeId === undefined || b.officeId === room.officeId) &&
      Date.parse(b.startsAt) < endMs &&
      Date.parse(b.endsAt) > startMs,
  );
}

/** True when the local minutes [startMinute, startMinute + slotMinutes) touch an excluded window. */
export function inExcludedTime(service: Service, startMinute: number): boolean {
  const endMinute = startMinute + service.slotMinutes;
  return service.excludedTimes.some((w) => startMinute < minutesOf(w.to) && endMinute > minutesOf(w.from));
}

/** Start minutes of the service's slots inside a shift: from its start, every slot length, ending by its end. */
export function gridMinutes(shift: Shift, service: Service): number[] {
  const minutes: number[] = [];
  const end = minutesOf(shift.end);
  for (let m = minutesOf(shift.start); m + service.slotMinutes <= end; m += service.slotMinutes) minutes.push(m);
  return minutes;
}

interface Interval {
  readonly startMs: number;
  readonly endMs: number;
}

/** Shift load and taken intervals of the active (booked or confirmed) appointments. */
export interface Occupancy {
  /** Appointments per `room|shift|localDay`. */
  readonly shiftLoad: ReadonlyMap<string, number>;
  readonly takenByRoom: ReadonlyMap<string, readonly Interval[]>;
}

export function shiftKey(roomId: string, shiftId: string, localDay: number): string {
  return `${roomId}|${shiftId}|${localDay}`;
}

export function occupancyOf(calendar: AppointmentCalendar, existing: readonly ExistingAppointment[]): Occupancy {
  const shiftLoad = new Map<string, number>();
  const takenByRoom = new Map<string, Interval[]>();
  for (const appointment of existing) {
    if (!ACTIVE_STATUSES.includes(appointment.status)) continue;
    const startMs = Date.parse(appointment.startsAt);
    const interval = { startMs, endMs: Date.parse(appointment.endsAt) };
    const taken = takenByRoom.get(appointment.roomId) ?? [];
    taken.push(interval);
    takenByRoom.set(appointment.roomId, taken);
    const position = positionOf(calendar.timeZone, startMs);
    const shift = shiftAt(calendar, appointment.roomId, position);
    if (!shift) continue;
    const key = shiftKey(appointment.roomId, shift.id, position.localDay);
    shiftLoad.set(key, (shiftLoad.get(key) ?? 0) + 1);
  }
  return { shiftLoad, takenByRoom };
}

export function isTaken(occupancy: Occupancy, roomId: string, startMs: number, endMs: number): boolean {
  return (occupancy.takenByRoom.get(roomId) ?? []).some((t) => t.startMs < endMs && t.endMs > startMs);
}

export function isShiftFull(occupancy: Occupancy, rules: BookingRules, roomId: string, shift: Shift, localDay: number): boolean {
  return (occupancy.shiftLoad.get(shiftKey(roomId, shift.id, localDay)) ?? 0) >= capacityOf(shift, rules);
}

/** [earliest, latest] start instants allowed at `nowMs`: now + min lead … now + max lead (days of 24 h). */
export function leadWindow(rules: BookingRules, nowMs: number): { earliestMs: number; latestMs: number } {
  return { earliestMs: nowMs + rules.minLeadHours * 3_600_000, latestMs: nowMs + rules.maxLeadDays * DAY_MS };
}
