import { describe, expect, it } from 'vitest';
import { calendarView, freeSlots } from '../../../hub/src/appointments/rules/slots.js';
import { RULES, appointment, imssCalendar } from './calendar-fixtures.js';

const calendar = imssCalendar();
// Thursday 2026-11-26 12:00 local (UTC−6) = 18:00Z; now + 12 h = Fri 00:00 local.
const THU_NOON = new Date('2026-11-26T18:00:00.000Z');
const family = { serviceId: 'medicina_familiar' };

function starts(slots: readonly { roomId: string; startsAt: string }[]): string[] {
  return slots.map((s) => `${s.roomId} ${s.startsAt}`);
}

describe('freeSlots', () => {
  it('offers the first slot after the excluded time: 08:45 local in Mexico City is 14:45Z', () => {
    const slots = freeSlots(calendar, RULES, [], { ...family, roomId: 'c1', from: THU_NOON, now: THU_NOON, limit: 2 });
    // Fri 2026-11-27: 08:00–08:45 excluded, so 08:45 and 09:00 local = 14:45Z and 15:00Z.
    expect(slots).toEqual([
      { roomId: 'c1', officeId: 'umf-20', serviceId: 'medicina_familiar', shiftId: 'c1-matutino', startsAt: '2026-11-27T14:45:00.000Z', endsAt: '2026-11-27T15:00:00.000Z' },
      { roomId: 'c1', officeId: 'umf-20', serviceId: 'medicina_familiar', shiftId: 'c1-matutino', startsAt: '2026-11-27T15:00:00.000Z', endsAt: '2026-11-27T15:15:00.000Z' },
    ]);
  });

  it('gives the 10 nearest slots across days and rooms, skipping the weekend', () => {
    // From Fri 19:15 local = Sat 01:15Z, office umf-20 (family medicine rooms c1, c2; d1 is dental):
    // Fri 19:15, 19:30, 19:45 × 2 rooms = 6 (the vespertino ends at 20:00), Sat and Sun have no
    // shifts, Mon 30 Nov 08:45, 09:00 × 2 rooms = 4 → 10, in time order then room order.
    const slots = freeSlots(calendar, RULES, [], { ...family, officeId: 'umf-20', from: new Date('2026-11-28T01:15:00.000Z'), now: THU_NOON });
    expect(starts(slots)).toEqual([
      'c1 2026-11-28T01:15:00.000Z',
      'c2 2026-11-28T01:15:00.000Z',
      'c1 2026-11-28T01:30:00.000Z',
      'c2 2026-11-28T01:30:00.000Z',
      'c1 2026-11-28T01:45:00.000Z',
      'c2 2026-11-28T01:45:00.000Z',
      'c1 2026-11-30T14:45:00.000Z',
      'c2 2026-11-30T14:45:00.000Z',
      'c1 2026-11-30T15:00:00.000Z',
      'c2 2026-11-30T15:00:00.000Z',
    ]);
    expect(slots.map((s) => s.shiftId).slice(5, 7)).toEqual(['c2-vespertino', 'c1-matutino']);
  });

  it('starts exactly 12 hours after now, never at 12 h − 1 ms', () => {
    // now = Fri 2026-11-27T02:45Z: now + 12 h = 14:45Z = 08:45 local, the first slot.
    const exact = freeSlots(calendar, RULES, [], { ...family, roomId: 'c1', from: THU_NOON, now: new Date('2026-11-27T02:45:00.000Z'), limit: 1 });
    expect(starts(exact)).toEqual(['c1 2026-11-27T14:45:00.000Z']);
    // 1 ms later, 08:45 local is 12 h − 1 ms away: the first slot is 09:00 local = 15:00Z.
    const later = freeSlots(calendar, RULES, [], { ...family, roomId: 'c1', from: THU_NOON, now: new Date('2026-11-27T02:45:00.001Z'), limit: 1 });
    expect(starts(later)).toEqual(['c1 2026-11-27T15:00:00.000Z']);
  });

  it('ends exactly 90 days after now', () => {
    // now = Fri 2026-11-27T14:45Z; + 90 × 24 h = Thu 2027-02-25T14:45Z (08:45 local), the last
    // allowed instant: that day only the 08:45 slot of each room is offered, nothing after.
    const slots = freeSlots(calendar, RULES, [], { ...family, officeId: 'umf-20', from: new Date('2027-02-25T06:00:00.000Z'), now: new Date('2026-11-27T14:45:00.000Z'), limit: 50 });
    expect(starts(slots)).toEqual(['c1 2027-02-25T14:45:00.000Z', 'c2 2027-02-25T14:45:00.000Z']);
  });

  it('skips a holiday of the office', () => {
    // From Mon 30 Nov 19:45 local = Tue 01:45Z: Mon 19:45; Tue 1 Dec is a holiday at umf-20; Wed 08:45 = 14:45Z.
    const slots = freeSlots(calendar, RULES, [], { ...family, roomId: 'c1', from: new Date('2026-12-01T01:45:00.000Z'), now: THU_NOON, limit: 2 });
    expect(starts(slots)).toEqual(['c1 2026-12-01T01:45:00.000Z', 'c1 2026-12-02T14:45:00.000Z']);
    // At umf-33 (r1) Tuesday is a working day: Tue 08:45 local = 14:45Z follows Mon 19:45.
    const other = freeSlots(calendar, RULES, [], { ...family, officeId: 'umf-33', from: new Date('2026-12-01T01:45:00.000Z'), now: THU_NOON, limit: 2 });
    expect(starts(other)).toEqual(['r1 2026-12-01T01:45:00.000Z', 'r1 2026-12-01T14:45:00.000Z']);
  });

  it('skips a blocked period and taken slots', () => {
    // c1 blocked Fri 08:45–09:15 local (14:45Z–15:15Z); c2 09:00 local (15:00Z) already booked.
    const blocked = { ...calendar, blocked: [{ roomId: 'c1', startsAt: '2026-11-27T14:45:00Z', endsAt: '2026-11-27T15:15:00Z', reason: 'Fumigación' }] };
    const existing = [appointment('c2', '2026-11-27T15:00:00.000Z')];
    const slots = freeSlots(blocked, RULES, existing, { ...family, officeId: 'umf-20', from: THU_NOON, now: THU_NOON, limit: 4 });
    // Left: c2 08:45 (14:45Z), c1 09:15 and c2 09:15 (15:15Z), c1 09:30 (15:30Z).
    expect(starts(slots)).toEqual([
      'c2 2026-11-27T14:45:00.000Z',
      'c1 2026-11-27T15:15:00.000Z',
      'c2 2026-11-27T15:15:00.000Z',
      'c1 2026-11-27T15:30:00.000Z',
    ]);
  });

  it('skips a full shift but offers the other shift of the same room and day', () => {
    // c1 matutino Fri holds 3 (10:00, 10:15, 10:30 local): full. Next is the vespertino after its
    // excluded 14:00–14:45: 14:45 local = 20:45Z.
    const existing = ['16:00', '16:15', '16:30'].map((t) => appointment('c1', `2026-11-27T${t}:00.000Z`));
    const slots = freeSlots(calendar, RULES, existing, { ...family, roomId: 'c1', from: THU_NOON, now: THU_NOON, limit: 1 });
    expect(slots).toEqual([
      { roomId: 'c1', officeId: 'umf-20', serviceId: 'medicina_familiar', shiftId: 'c1-vespertino', startsAt: '2026-11-27T20:45:00.000Z', endsAt: '2026-11-27T21:00:00.000Z' },
    ]);
  });

  it('offers dental on its own 20-minute grid', () => {
    // Dental excludes 08:00–08:40: 08:40, 09:00, 09:20 local = 14:40Z, 15:00Z, 15:20Z, 20 minutes each.
    const slots = freeSlots(calendar, RULES, [], { serviceId: 'estomatologia', from: THU_NOON, now: THU_NOON, limit: 3 });
    expect(slots.map((s) => `${s.roomId} ${s.startsAt}–${s.endsAt}`)).toEqual([
      'd1 2026-11-27T14:40:00.000Z–2026-11-27T15:00:00.000Z',
      'd1 2026-11-27T15:00:00.000Z–2026-11-27T15:20:00.000Z',
      'd1 2026-11-27T15:20:00.000Z–2026-11-27T15:40:00.000Z',
    ]);
  });

  it('keeps local wall times across a DST change (America/Tijuana, spring forward on Sun 14 Mar 2027)', () => {
    const tijuana = imssCalendar('America/Tijuana');
    // Fri 12 Mar 2027 19:45 PST (UTC−8) = Sat 03:45Z; Mon 15 Mar 08:45 PDT (UTC−7) = 15:45Z, not 16:45Z.
    const slots = freeSlots(tijuana, RULES, [], { ...family, roomId: 'c1', from: new Date('2027-03-13T03:45:00.000Z'), now: new Date('2027-03-01T00:00:00.000Z'), limit: 2 });
    expect(starts(slots)).toEqual(['c1 2027-03-13T03:45:00.000Z', 'c1 2027-03-15T15:45:00.000Z']);
  });

  it('returns nothing for an unknown service', () => {
    expect(freeSlots(calendar, RULES, [], { serviceId: 'rayos_x', from: THU_NOON, now: THU_NOON })).toEqual([]);
  });
});

describe('calendarView', () => {
  it('counts the free slots of each of 30 local days', () => {
    // From Fri 2026-11-27 00:00 local = 06:00Z, room c1, one appointment Fri 10:00 local (16:00Z).
    const existing = [appointment('c1', '2026-11-27T16:00:00.000Z')];
    const view = calendarView(calendar, RULES, existing, { ...family, roomId: 'c1', from: new Date('2026-11-27T06:00:00.000Z'), now: THU_NOON });
    expect(view).toHaveLength(30);
    expect(view[0]?.date).toBe('2026-11-27');
    expect(view[29]?.date).toBe('2026-12-26');
    // A working day: each shift 6 h / 15 min = 24 grid slots − 3 excluded (x:00, x:15, x:30) = 21; 2 shifts = 42.
    // Fri 27 Nov: 42 − 1 booked = 41. Weekends, Tue 1 Dec (umf-20 holiday) and Fri 25 Dec: 0.
    const counts = Object.fromEntries(view.map((d) => [d.date, d.freeCount]));
    expect(counts['2026-11-27']).toBe(41);
    expect(counts['2026-11-28']).toBe(0);
    expect(counts['2026-11-29']).toBe(0);
    expect(counts['2026-11-30']).toBe(42);
    expect(counts['2026-12-01']).toBe(0);
    expect(counts['2026-12-25']).toBe(0);
    // Weekdays 27 Nov – 26 Dec: 1 (Fri 27) + 4 weeks × 5 = 21; minus 2 holidays = 19 working days.
    // 18 × 42 + 41 = 797 free slots.
    expect(view.filter((d) => d.freeCount > 0)).toHaveLength(19);
    expect(view.reduce((sum, d) => sum + d.freeCount, 0)).toBe(797);
    expect(view.every((d) => d.slots.length === d.freeCount)).toBe(true);
  });

  it('defaults to the rules’ calendarDays', () => {
    const rules = { ...RULES, calendarDays: 7 };
    const view = calendarView(calendar, rules, [], { ...family, roomId: 'c1', from: new Date('2026-11-27T06:00:00.000Z'), now: THU_NOON });
    // 27 Nov + 6 days = 3 Dec.
    expect(view.map((d) => d.date)).toEqual(['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03']);
  });
});
