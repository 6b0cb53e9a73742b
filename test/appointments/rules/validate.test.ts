import { describe, expect, it } from 'vitest';
import { checkBooking, checkCancellation } from '../../../hub/src/appointments/rules/validate.js';
import { RULES, appointment, codesOf, imssCalendar, request } from './calendar-fixtures.js';

const calendar = imssCalendar();
// Thursday 2026-11-26 12:00 local (UTC−6) = 18:00Z.
const THU_NOON = new Date('2026-11-26T18:00:00.000Z');

describe('checkBooking: lead time', () => {
  // Friday 2026-11-27 08:45 local + 6 h = 14:45Z; 12 h before it is 2026-11-27T02:45Z.
  const slot = '2026-11-27T14:45:00.000Z';

  it('accepts a booking exactly 12 hours ahead and refuses one at 12 h − 1 ms', () => {
    expect(checkBooking(calendar, RULES, [], request('c1', slot), new Date('2026-11-27T02:45:00.000Z'))).toEqual({ ok: true });
    const late = checkBooking(calendar, RULES, [], request('c1', slot), new Date('2026-11-27T02:45:00.001Z'));
    expect(codesOf(late)).toEqual(['too_soon']);
    expect(late.ok ? '' : late.problems[0]?.es).toBe('La cita debe reservarse con al menos 12 horas de anticipación');
    expect(late.ok ? '' : late.problems[0]?.message).toBe(
      'La cita debe reservarse con al menos 12 horas de anticipación / Appointments must be booked at least 12 hours ahead',
    );
  });

  it('accepts exactly 90 days ahead and refuses the next slot', () => {
    // now = Fri 2026-11-27 08:45 local = 14:45Z; + 90 × 24 h = 2027-02-25T14:45Z, a Thursday,
    // 08:45 local (UTC−6). The next slot, 09:00 local = 15:00Z, is 90 days + 15 min ahead.
    const now = new Date('2026-11-27T14:45:00.000Z');
    expect(checkBooking(calendar, RULES, [], request('c1', '2027-02-25T14:45:00.000Z'), now)).toEqual({ ok: true });
    expect(codesOf(checkBooking(calendar, RULES, [], request('c1', '2027-02-25T15:00:00.000Z'), now))).toEqual(['too_far']);
  });

  it('uses the campaign’s configured lead in the message', () => {
    const rules = { ...RULES, minLeadHours: 24 };
    // Fri 08:45 local (14:45Z) is 20 h 45 min after Thu 12:00 local (18:00Z): < 24 h.
    const result = checkBooking(calendar, rules, [], request('c1', '2026-11-27T14:45:00.000Z'), THU_NOON);
    expect(result.ok ? '' : result.problems[0]?.es).toBe('La cita debe reservarse con al menos 24 horas de anticipación');
  });
});

describe('checkBooking: the calendar', () => {
  it('refuses a holiday, campaign-wide and per office', () => {
    // Navidad, Fri 2026-12-25 10:00 local = 16:00Z, for everyone.
    expect(codesOf(checkBooking(calendar, RULES, [], request('r1', '2026-12-25T16:00:00.000Z'), THU_NOON))).toEqual(['holiday']);
    // Tue 2026-12-01 10:00 local = 16:00Z is a holiday only at umf-20 (c1), not at umf-33 (r1).
    expect(codesOf(checkBooking(calendar, RULES, [], request('c1', '2026-12-01T16:00:00.000Z'), THU_NOON))).toEqual(['holiday']);
    expect(checkBooking(calendar, RULES, [], request('r1', '2026-12-01T16:00:00.000Z'), THU_NOON)).toEqual({ ok: true });
  });

  it('refuses a blocked period of the room or of the office, and nothing else', () => {
    // Fumigation of c1, Fri 08:45–09:15 local = 14:45Z–15:15Z: 08:45 and 09:00 are blocked; 09:15 is not.
    const blocked = { ...calendar, blocked: [{ roomId: 'c1', startsAt: '2026-11-27T14:45:00Z', endsAt: '2026-11-27T15:15:00Z', reason: 'Fumigación' }] };
    expect(codesOf(checkBooking(blocked, RULES, [], request('c1', '2026-11-27T15:00:00.000Z'), THU_NOON))).toEqual(['blocked']);
    expect(checkBooking(blocked, RULES, [], request('c1', '2026-11-27T15:15:00.000Z'), THU_NOON)).toEqual({ ok: true });
    expect(checkBooking(blocked, RULES, [], request('c2', '2026-11-27T15:00:00.000Z'), THU_NOON)).toEqual({ ok: true });
    // The whole office umf-20, Fri 10:00–11:00 local = 16:00Z–17:00Z: c2 is blocked, r1 (umf-33) is not.
    const office = { ...calendar, blocked: [{ officeId: 'umf-20', startsAt: '2026-11-27T16:00:00Z', endsAt: '2026-11-27T17:00:00Z', reason: 'Simulacro' }] };
    expect(codesOf(checkBooking(office, RULES, [], request('c2', '2026-11-27T16:30:00.000Z'), THU_NOON))).toEqual(['blocked']);
    expect(checkBooking(office, RULES, [], request('r1', '2026-11-27T16:30:00.000Z'), THU_NOON)).toEqual({ ok: true });
  });

  it('refuses the excluded times 08:00–08:45 and 14:00–14:45 of family medicine, and 08:00–08:40 of dental', () => {
    // Fri 08:30 local = 14:30Z (excluded); 08:45 = 14:45Z (first slot); 14:30 local = 20:30Z (excluded); 14:45 = 20:45Z.
    expect(codesOf(checkBooking(calendar, RULES, [], request('c1', '2026-11-27T14:30:00.000Z'), THU_NOON))).toEqual(['excluded_time']);
    expect(checkBooking(calendar, RULES, [], request('c1', '2026-11-27T14:45:00.000Z'), THU_NOON)).toEqual({ ok: true });
    expect(codesOf(checkBooking(calendar, RULES, [], request('c1', '2026-11-27T20:30:00.000Z'), THU_NOON))).toEqual(['excluded_time']);
    expect(checkBooking(calendar, RULES, [], request('c1', '2026-11-27T20:45:00.000Z'), THU_NOON)).toEqual({ ok: true });
    // Dental, 20-minute grid from 08:00: 08:20 local = 14:20Z excluded, 08:40 = 14:40Z allowed.
    const dental = { serviceId: 'estomatologia' };
    expect(codesOf(checkBooking(calendar, RULES, [], request('d1', '2026-11-27T14:20:00.000Z', dental), THU_NOON))).toEqual(['excluded_time']);
    expect(checkBooking(calendar, RULES, [], request('d1', '2026-11-27T14:40:00.000Z', dental), THU_NOON)).toEqual({ ok: true });
  });

  it('refuses a slot that only partly overlaps an excluded window', () => {
    // A 30-minute service with a 10:15–10:45 break in c1: grid 08:00, 08:30, … 10:00, 10:30, 11:00.
    // 10:00–10:30 and 10:30–11:00 each overlap the break by 15 min; 09:30–10:00 and 11:00–11:30 do not.
    const tramite = { id: 'tramite_vehicular', name: 'Trámite vehicular', slotMinutes: 30, excludedTimes: [{ from: '10:15', to: '10:45' }] };
    const taxes = {
      ...calendar,
      services: [...calendar.services, tramite],
      rooms: calendar.rooms.map((r) => (r.id === 'c1' ? { ...r, serviceIds: ['tramite_vehicular'] } : r)),
    };
    const at = (utc: string) => checkBooking(taxes, RULES, [], request('c1', utc, { serviceId: 'tramite_vehicular' }), THU_NOON);
    // Local + 6 h = UTC: 09:30 → 15:30Z, 10:00 → 16:00Z, 10:30 → 16:30Z, 11:00 → 17:00Z.
    expect(at('2026-11-27T15:30:00.000Z')).toEqual({ ok: true });
    expect(codesOf(at('2026-11-27T16:00:00.000Z'))).toEqual(['excluded_time']);
    expect(codesOf(at('2026-11-27T16:30:00.000Z'))).toEqual(['excluded_time']);
    expect(at('2026-11-27T17:00:00.000Z')).toEqual({ ok: true });
  });

  it('refuses times off the slot grid or outside the shifts', () => {
    // Fri 08:50 local = 14:50Z is inside matutino but not on the 15-minute grid (08:45, 09:00).
    expect(codesOf(checkBooking(calendar, RULES, [], request('c1', '2026-11-27T14:50:00.000Z'), THU_NOON))).toEqual(['not_a_slot']);
    // Sat 2026-11-28 10:00 local = 16:00Z: no shift at weekends; Fri 20:00 local = Sat 02:00Z: after vespertino.
    expect(codesOf(checkBooking(calendar, RULES, [], request('c1', '2026-11-28T16:00:00.000Z'), THU_NOON))).toEqual(['outside_shift']);
    expect(codesOf(checkBooking(calendar, RULES, [], request('c1', '2026-11-28T02:00:00.000Z'), THU_NOON))).toEqual(['outside_shift']);
  });

  it('reads shifts in the calendar’s zone across a DST change (America/Tijuana)', () => {
    const tijuana = imssCalendar('America/Tijuana');
    const now = new Date('2027-03-01T00:00:00.000Z');
    // Mon 15 Mar 2027, the day after spring-forward, is UTC−7: 08:45 local = 15:45Z (a slot),
    // while 14:45Z is 07:45 local, before the matutino (08:00).
    expect(checkBooking(tijuana, RULES, [], request('c1', '2027-03-15T15:45:00.000Z'), now)).toEqual({ ok: true });
    expect(codesOf(checkBooking(tijuana, RULES, [], request('c1', '2027-03-15T14:45:00.000Z'), now))).toEqual(['outside_shift']);
    // Fri 12 Mar 2027 is still UTC−8: 08:45 local = 16:45Z.
    expect(checkBooking(tijuana, RULES, [], request('c1', '2027-03-12T16:45:00.000Z'), now)).toEqual({ ok: true });
  });

  it('refuses unknown rooms and services and a service the room does not offer', () => {
    const slot = '2026-11-27T15:00:00.000Z';
    expect(codesOf(checkBooking(calendar, RULES, [], request('c9', slot), THU_NOON))).toEqual(['unknown_room']);
    expect(codesOf(checkBooking(calendar, RULES, [], request('c1', slot, { serviceId: 'rayos_x' }), THU_NOON))).toEqual(['unknown_service']);
    // Dental in c1 (family medicine only); 09:00 local is also on the dental 20-minute grid (08:00 + 3 × 20).
    expect(codesOf(checkBooking(calendar, RULES, [], request('c1', slot, { serviceId: 'estomatologia' }), THU_NOON))).toEqual(['service_not_in_room']);
  });
});

describe('checkBooking: what is already booked', () => {
  it('refuses a slot already taken in that room, not the same time in another room', () => {
    // Fri 09:00 local = 15:00Z, booked in c1.
    const existing = [appointment('c1', '2026-11-27T15:00:00.000Z')];
    expect(codesOf(checkBooking(calendar, RULES, existing, request('c1', '2026-11-27T15:00:00.000Z'), THU_NOON))).toEqual(['slot_taken']);
    expect(checkBooking(calendar, RULES, existing, request('c2', '2026-11-27T15:00:00.000Z'), THU_NOON)).toEqual({ ok: true });
    // A cancelled appointment frees its slot.
    const cancelled = [appointment('c1', '2026-11-27T15:00:00.000Z', { status: 'cancelled' })];
    expect(checkBooking(calendar, RULES, cancelled, request('c1', '2026-11-27T15:00:00.000Z'), THU_NOON)).toEqual({ ok: true });
  });

  it('refuses the 4th appointment of a room’s shift on one day (capacity 3); cancelled ones do not count', () => {
    // c1 matutino Fri: 10:00, 10:15 (confirmed), 10:30 local = 16:00Z, 16:15Z, 16:30Z → 3 of 3.
    const first = appointment('c1', '2026-11-27T16:00:00.000Z');
    const second = appointment('c1', '2026-11-27T16:15:00.000Z', { status: 'confirmed' });
    const third = appointment('c1', '2026-11-27T16:30:00.000Z');
    const three = [first, second, third];
    // The 4th, 11:00 local = 17:00Z, same room, shift and day.
    expect(codesOf(checkBooking(calendar, RULES, three, request('c1', '2026-11-27T17:00:00.000Z'), THU_NOON))).toEqual(['shift_full']);
    // The vespertino of c1 (15:00 local = 21:00Z), c2's matutino and Monday's matutino still have room.
    expect(checkBooking(calendar, RULES, three, request('c1', '2026-11-27T21:00:00.000Z'), THU_NOON)).toEqual({ ok: true });
    expect(checkBooking(calendar, RULES, three, request('c2', '2026-11-27T17:00:00.000Z'), THU_NOON)).toEqual({ ok: true });
    expect(checkBooking(calendar, RULES, three, request('c1', '2026-11-30T17:00:00.000Z'), THU_NOON)).toEqual({ ok: true });
    // With one of the three cancelled, 2 of 3 are used: the booking fits.
    const two = [first, second, { ...third, status: 'cancelled' as const }];
    expect(checkBooking(calendar, RULES, two, request('c1', '2026-11-27T17:00:00.000Z'), THU_NOON)).toEqual({ ok: true });
    // A shift capacity of 4 set on the shift itself overrides the default 3.
    const roomy = { ...calendar, shifts: calendar.shifts.map((s) => (s.id === 'c1-matutino' ? { ...s, capacity: 4 } : s)) };
    expect(checkBooking(roomy, RULES, three, request('c1', '2026-11-27T17:00:00.000Z'), THU_NOON)).toEqual({ ok: true });
  });

  it('refuses a 4th active future appointment of a family group; cancelled and past ones do not count', () => {
    const family = { familyGroupId: 'familia-perez' };
    // Three active future ones: Mon 30 Nov, Wed 2 Dec (confirmed), Thu 3 Dec, 10:00 local = 16:00Z.
    const monday = appointment('c1', '2026-11-30T16:00:00.000Z', family);
    const wednesday = appointment('c2', '2026-12-02T16:00:00.000Z', { ...family, status: 'confirmed' });
    const active = [monday, wednesday, appointment('c1', '2026-12-03T16:00:00.000Z', family)];
    const slot = '2026-12-04T16:00:00.000Z';
    const refused = checkBooking(calendar, RULES, active, request('c1', slot), THU_NOON);
    expect(codesOf(refused)).toEqual(['family_limit']);
    expect(refused.ok ? '' : refused.problems[0]?.es).toBe('Su grupo familiar ya tiene 3 citas activas; es el máximo permitido');
    // Two active + one cancelled + one in the past (Fri 20 Nov, booked, never closed) + one attended = 2 of 3.
    const mixed = [
      monday,
      wednesday,
      appointment('c1', '2026-12-03T16:00:00.000Z', { ...family, status: 'cancelled' }),
      appointment('c1', '2026-11-20T16:00:00.000Z', family),
      appointment('c2', '2026-11-23T16:00:00.000Z', { ...family, status: 'attended' }),
    ];
    expect(checkBooking(calendar, RULES, mixed, request('c1', slot), THU_NOON)).toEqual({ ok: true });
    // Another family is not limited by the Pérez family's three.
    expect(checkBooking(calendar, RULES, active, request('c1', slot, { familyGroupId: 'familia-lopez' }), THU_NOON)).toEqual({ ok: true });
  });

  it('reports every problem at once', () => {
    // Fri 2026-12-25 (Navidad) 08:30 local = 14:30Z in c1, for a family already at 3: holiday, excluded time, family limit.
    const family = { familyGroupId: 'familia-perez' };
    const three = ['2026-11-30', '2026-12-02', '2026-12-03'].map((d) => appointment('c2', `${d}T16:00:00.000Z`, family));
    expect(codesOf(checkBooking(calendar, RULES, three, request('c1', '2026-12-25T14:30:00.000Z'), THU_NOON))).toEqual([
      'holiday',
      'excluded_time',
      'family_limit',
    ]);
  });
});

describe('checkCancellation', () => {
  // Fri 2026-11-27 08:45 local = 14:45Z; 12 h before = 02:45Z.
  const booked = appointment('c1', '2026-11-27T14:45:00.000Z');

  it('allows cancelling exactly 12 h before and refuses at 12 h − 1 ms', () => {
    expect(checkCancellation(RULES, booked, new Date('2026-11-27T02:45:00.000Z'))).toEqual({ ok: true });
    const late = checkCancellation(RULES, booked, new Date('2026-11-27T02:45:00.001Z'));
    expect(codesOf(late)).toEqual(['too_late_to_cancel']);
    expect(late.ok ? '' : late.problems[0]?.es).toBe('La cita solo puede cancelarse con al menos 12 horas de anticipación');
  });

  it('refuses cancelling an appointment already cancelled', () => {
    const cancelled = { ...booked, status: 'cancelled' as const };
    expect(codesOf(checkCancellation(RULES, cancelled, THU_NOON))).toEqual(['already_cancelled']);
  });
});
