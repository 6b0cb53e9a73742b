import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppointmentStatus, BlockedPeriod } from '../../../hub/src/appointments/rules/appointment-rules.types.js';
import { freeSlots } from '../../../hub/src/appointments/rules/slots.js';
import { checkBooking } from '../../../hub/src/appointments/rules/validate.js';
import { RULES, appointment, imssCalendar, request } from './calendar-fixtures.js';

/**
 * Whatever the calendar state, what `freeSlots` offers is bookable (`checkBooking` says ok) and
 * never double-books a room. Instants span Mexico City (no DST) and Tijuana across its 2027
 * spring-forward (14 Mar) so DST days are exercised.
 */
const START_MS = Date.parse('2026-11-26T00:00:00Z');
const SPAN_MS = 130 * 86_400_000; // to early April 2027
const FIVE_MIN = 5 * 60_000;
const ROOMS = ['c1', 'c2', 'd1', 'r1'] as const;
const STATUSES: readonly AppointmentStatus[] = ['booked', 'confirmed', 'cancelled', 'attended', 'no_show'];

const instant = fc.integer({ min: 0, max: Math.floor(SPAN_MS / FIVE_MIN) }).map((k) => START_MS + k * FIVE_MIN);

const existingArb = fc.array(
  fc.record({
    room: fc.constantFrom(...ROOMS),
    startMs: instant,
    status: fc.constantFrom(...STATUSES),
    family: fc.constantFrom('familia-a', 'familia-b', 'familia-c'),
  }),
  { maxLength: 40 },
);

const blockedArb = fc.array(
  fc.record({
    room: fc.option(fc.constantFrom(...ROOMS), { nil: undefined }),
    startMs: instant,
    minutes: fc.integer({ min: 5, max: 24 * 60 }),
  }),
  { maxLength: 4 },
);

function buildCalendar(timeZone: string, blockedSpec: readonly { room: string | undefined; startMs: number; minutes: number }[]) {
  const blocked: BlockedPeriod[] = blockedSpec.map((b) => ({
    ...(b.room === undefined ? {} : { roomId: b.room }),
    startsAt: new Date(b.startMs).toISOString(),
    endsAt: new Date(b.startMs + b.minutes * 60_000).toISOString(),
    reason: 'Mantenimiento',
  }));
  return { ...imssCalendar(timeZone), blocked };
}

function buildExisting(spec: readonly { room: string; startMs: number; status: AppointmentStatus; family: string }[]) {
  return spec.map((e) =>
    appointment(e.room, new Date(e.startMs).toISOString(), {
      status: e.status,
      familyGroupId: e.family,
      serviceId: e.room === 'd1' ? 'estomatologia' : 'medicina_familiar',
      minutes: e.room === 'd1' ? 20 : 15,
    }),
  );
}

const zoneArb = fc.constantFrom('America/Mexico_City', 'America/Tijuana');

describe('freeSlots ↔ checkBooking', () => {
  it('every offered slot passes checkBooking, in time order, and no two overlap in one room', () => {
    let runsWithSlots = 0;
    fc.assert(
      fc.property(
        zoneArb,
        fc.constantFrom('medicina_familiar', 'estomatologia'),
        fc.constantFrom<string | undefined>(undefined, 'umf-20', 'umf-33'),
        instant,
        fc.integer({ min: 0, max: 20 * 86_400_000 }),
        fc.integer({ min: 1, max: 60 }),
        existingArb,
        blockedArb,
        (timeZone, serviceId, officeId, nowMs, fromOffset, limit, existingSpec, blockedSpec) => {
          const calendar = buildCalendar(timeZone, blockedSpec);
          const existing = buildExisting(existingSpec);
          const now = new Date(nowMs);
          const slots = freeSlots(calendar, RULES, existing, { serviceId, officeId, from: new Date(nowMs + fromOffset), now, limit });
          expect(slots.length).toBeLessThanOrEqual(limit);
          if (slots.length > 0) runsWithSlots += 1;
          for (const slot of slots) {
            const verdict = checkBooking(calendar, RULES, existing, request(slot.roomId, slot.startsAt, { serviceId, familyGroupId: 'familia-nueva' }), now);
            expect(verdict).toEqual({ ok: true });
            expect(Date.parse(slot.startsAt)).toBeGreaterThanOrEqual(nowMs + fromOffset);
          }
          for (let i = 1; i < slots.length; i += 1) {
            expect(Date.parse(slots[i]?.startsAt ?? '')).toBeGreaterThanOrEqual(Date.parse(slots[i - 1]?.startsAt ?? ''));
          }
          slots.forEach((a, i) => {
            slots.slice(i + 1).forEach((b) => {
              const overlap = a.roomId === b.roomId && Date.parse(a.startsAt) < Date.parse(b.endsAt) && Date.parse(b.startsAt) < Date.parse(a.endsAt);
              expect(overlap).toBe(false);
            });
          });
        },
      ),
      { numRuns: 200 },
    );
    // Not vacuous: most runs offer slots (a run offers none only when `from` lies past the 90 days).
    expect(runsWithSlots).toBeGreaterThan(100);
  });

  it('checkBooking accepts an instant exactly when freeSlots from that instant offers it first', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        zoneArb,
        fc.constantFrom(...ROOMS),
        instant,
        fc.integer({ min: 0, max: 100 * 86_400_000 }),
        existingArb,
        blockedArb,
        (timeZone, roomId, nowMs, aheadMs, existingSpec, blockedSpec) => {
          const calendar = buildCalendar(timeZone, blockedSpec);
          const existing = buildExisting(existingSpec);
          const serviceId = roomId === 'd1' ? 'estomatologia' : 'medicina_familiar';
          // Candidate start on the 5-minute grid, 0–100 days after now.
          const startMs = nowMs + Math.floor(aheadMs / FIVE_MIN) * FIVE_MIN;
          const startsAt = new Date(startMs).toISOString();
          const now = new Date(nowMs);
          const verdict = checkBooking(calendar, RULES, existing, request(roomId, startsAt, { serviceId, familyGroupId: 'familia-nueva' }), now);
          const first = freeSlots(calendar, RULES, existing, { serviceId, roomId, from: new Date(startMs), now, limit: 1 })[0];
          expect(verdict.ok).toBe(first?.startsAt === startsAt);
          if (verdict.ok) accepted += 1;
        },
      ),
      { numRuns: 600 },
    );
    // Both sides are exercised: ~1 in 3 candidates is on a 15-min grid, ~44 % of a day is inside
    // shifts, 5 of 7 days have shifts, and random blocks and bookings take some; measured ≈ 5 % of
    // runs bookable (13–20 of 300), so ≈ 30 of 600 — far above 5.
    expect(accepted).toBeGreaterThan(5);
  });
});
