/**
 * Booking and cancellation rules of seed-digest §9.2, checked before anything is written. Every
 * problem is returned (not just the first), each with a stable code and a Spanish-first message
 * for the citizen. Pure: the caller passes `now`.
 */
import { MINUTE_MS, isoDateOf } from '../../router/calendar/local-time.js';
import {
  ACTIVE_STATUSES,
  type AppointmentCalendar,
  type BookingProblemCode,
  type BookingRequest,
  type BookingRules,
  type CancellationProblemCode,
  type ExistingAppointment,
  type RuleProblem,
  type RuleResult,
} from './appointment-rules.types.js';
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
  shiftAt,
  slotInstant,
} from './calendar-grid.js';
import { bookingProblem, cancellationProblem } from './rule-messages.js';

function result<C extends string>(problems: RuleProblem<C>[]): RuleResult<C> {
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

/** Active future appointments of the family group (cancelled, attended, no-show and past ones do not count). */
export function activeFamilyAppointments(existing: readonly ExistingAppointment[], familyGroupId: string, nowMs: number): ExistingAppointment[] {
  return existing.filter(
    (a) => a.familyGroupId === familyGroupId && ACTIVE_STATUSES.includes(a.status) && Date.parse(a.startsAt) > nowMs,
  );
}

export function checkBooking(
  calendar: AppointmentCalendar,
  rules: BookingRules,
  existing: readonly ExistingAppointment[],
  request: BookingRequest,
  now: Date,
): RuleResult<BookingProblemCode> {
  const problems: RuleProblem<BookingProblemCode>[] = [];
  const add = (code: BookingProblemCode): void => {
    problems.push(bookingProblem(code, rules));
  };
  const room = calendar.rooms.find((r) => r.id === request.roomId);
  const service = calendar.services.find((s) => s.id === request.serviceId);
  if (!room) add('unknown_room');
  if (!service) add('unknown_service');
  const startMs = Date.parse(request.startsAt);
  if (!room || !service || Number.isNaN(startMs)) {
    if (Number.isNaN(startMs)) add('not_a_slot');
    return result(problems);
  }
  if (!room.serviceIds.includes(service.id)) add('service_not_in_room');

  const nowMs = now.getTime();
  const { earliestMs, latestMs } = leadWindow(rules, nowMs);
  if (startMs < earliestMs) add('too_soon');
  if (startMs > latestMs) add('too_far');

  const endMs = startMs + service.slotMinutes * MINUTE_MS;
  const position = positionOf(calendar.timeZone, startMs);
  if (isHoliday(calendar, room.officeId, isoDateOf(position.localDay))) add('holiday');

  const shift = shiftAt(calendar, room.id, position);
  if (!shift) {
    add('outside_shift');
  } else {
    // On the grid: a grid minute of this shift, and the instant freeSlots would give that wall time.
    const onGrid =
      gridMinutes(shift, service).includes(position.minute) &&
      slotInstant(calendar.timeZone, position.localDay, position.minute) === startMs;
    if (!onGrid) add('not_a_slot');
  }
  if (inExcludedTime(service, position.minute)) add('excluded_time');
  if (isBlocked(calendar, room, startMs, endMs)) add('blocked');

  const occupancy = occupancyOf(calendar, existing);
  if (isTaken(occupancy, room.id, startMs, endMs)) add('slot_taken');
  else if (shift && isShiftFull(occupancy, rules, room.id, shift, position.localDay)) add('shift_full');

  if (activeFamilyAppointments(existing, request.familyGroupId, nowMs).length >= rules.maxActivePerFamily) add('family_limit');
  return result(problems);
}

/** A citizen may cancel an appointment that is not already cancelled, at least `minCancelHours` before it starts. */
export function checkCancellation(
  rules: BookingRules,
  appointment: ExistingAppointment,
  now: Date,
): RuleResult<CancellationProblemCode> {
  if (appointment.status === 'cancelled') return result([cancellationProblem('already_cancelled', rules)]);
  const latestMs = Date.parse(appointment.startsAt) - rules.minCancelHours * 3_600_000;
  if (now.getTime() > latestMs) return result([cancellationProblem('too_late_to_cancel', rules)]);
  return { ok: true };
}
