import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../../hub/src/appointments/booking/book-appointment.usecase.js';
import { HubError } from '../../../hub/src/errors/error-registry.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { NOW, booking, clinicCampaign, counts, local, offered } from './booking-fixtures.js';

/**
 * Races through separate transactions on the real PostgreSQL (pool of 8 connections): the
 * advisory lock per room/day and the partial UNIQUE index let exactly the right number win.
 */
let hub: TestHub;
const db = () => hub.ctx.db.kysely;

beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => {
  await hub.cleanup();
});

function failures(results: readonly PromiseSettledResult<unknown>[]): HubError[] {
  return results.flatMap((r) => (r.status === 'rejected' && r.reason instanceof HubError ? [r.reason] : []));
}

describe('concurrent booking', () => {
  it('50 clients on one slot: exactly one wins, 49 get SLOT_TAKEN with the next slots, which are really free', async () => {
    const campaignId = await clinicCampaign(db());
    const slot = local('2026-11-27', '08:00'); // Friday 08:00 local = 14:00Z, room c1
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => bookAppointment(db(), booking(campaignId, 'c1', slot, `fam-${i}`, i + 1), { kind: 'bot' }, { now: NOW })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = failures(results);
    expect(lost).toHaveLength(49); // 50 − 1
    expect(new Set(lost.map((e) => e.code))).toEqual(new Set(['HUB_ERR_APPOINTMENT_SLOT_TAKEN']));
    expect(lost.every((e) => e.statusCode === 409)).toBe(true);
    expect(await counts(db(), campaignId)).toEqual({ appointments: 1, events: 1 });

    // The 10 nearest after the won c1 08:00: c2 08:00, then both rooms at 08:20 … 09:20, then c1 09:40.
    const expected = [
      { roomId: 'c2', startsAt: local('2026-11-27', '08:00') },
      ...['08:20', '08:40', '09:00', '09:20'].flatMap((t) => [
        { roomId: 'c1', startsAt: local('2026-11-27', t) },
        { roomId: 'c2', startsAt: local('2026-11-27', t) },
      ]),
      { roomId: 'c1', startsAt: local('2026-11-27', '09:40') },
    ];
    for (const error of lost) expect(offered(error)).toEqual(expected);

    // Really free: nothing active at any offered (room, start), and the first one books.
    const active = await db().selectFrom('appointments').select(['room_id', 'starts_at']).where('campaign_id', '=', campaignId).where('status', 'in', ['booked', 'confirmed']).execute();
    const taken = new Set(active.map((a) => `${a.room_id}|${a.starts_at.toISOString()}`));
    expect(expected.filter((s) => taken.has(`${s.roomId}|${s.startsAt}`))).toEqual([]);
    const first = expected[0];
    if (!first) throw new Error('no slot offered');
    const rebooked = await bookAppointment(db(), booking(campaignId, first.roomId, first.startsAt, 'fam-late', 99), { kind: 'bot' }, { now: NOW });
    expect(rebooked.startsAt).toBe('2026-11-27T14:00:00.000Z');
    expect(rebooked.roomId).toBe('c2');
  });

  it('10 clients on different slots for the last place of a shift: exactly the remaining capacity wins', async () => {
    // Shift 08:00–12:00 → 12 slots of 20 min; capacity 3.
    const campaignId = await clinicCampaign(db(), { capacity: 3, shiftEnd: '12:00' });
    await bookAppointment(db(), booking(campaignId, 'c1', local('2026-11-27', '08:00'), 'fam-p1', 1), { kind: 'bot' }, { now: NOW });
    await bookAppointment(db(), booking(campaignId, 'c1', local('2026-11-27', '08:20'), 'fam-p2', 2), { kind: 'bot' }, { now: NOW });
    // Remaining capacity 3 − 2 = 1. Ten clients on 08:40 + k × 20 min, k = 0 … 9 (08:40 … 11:40).
    const starts = Array.from({ length: 10 }, (_, k) => new Date(Date.parse(local('2026-11-27', '08:40')) + k * 20 * 60_000).toISOString());
    expect(starts[9]).toBe(local('2026-11-27', '11:40'));
    const results = await Promise.allSettled(
      starts.map((start, k) => bookAppointment(db(), booking(campaignId, 'c1', start, `fam-r${k}`, 10 + k), { kind: 'portal' }, { now: NOW })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = failures(results);
    expect(lost).toHaveLength(9); // 10 − 1
    expect(new Set(lost.map((e) => e.code))).toEqual(new Set(['HUB_ERR_APPOINTMENT_SHIFT_FULL']));
    // c1 is full that day, so every offer is in c2: 08:00 … 11:00 (10 slots, 20 min apart).
    for (const error of lost) {
      expect(offered(error).map((s) => s.roomId)).toEqual(Array.from({ length: 10 }, () => 'c2'));
      expect(offered(error)[9]?.startsAt).toBe(local('2026-11-27', '11:00'));
    }
    const active = await db().selectFrom('appointments').select('id').where('campaign_id', '=', campaignId).where('room_id', '=', 'c1').where('status', '=', 'booked').execute();
    expect(active).toHaveLength(3); // 2 earlier + 1 winner = capacity
  });

  it('the database itself refuses a second active appointment in the same room and start', async () => {
    const campaignId = await clinicCampaign(db());
    const row = {
      campaign_id: campaignId,
      calendar_version: 1,
      office_id: 'umf-20',
      room_id: 'c1',
      service_id: 'mf',
      shift_id: 'c1-mat',
      local_date: '2026-11-27',
      starts_at: local('2026-11-27', '08:00'),
      ends_at: local('2026-11-27', '08:20'),
      official_id_kind: 'nss' as const,
      family_group_id: 'fam-a',
      channel: 'api' as const,
      booked_by_kind: 'bot' as const,
    };
    await db().insertInto('appointments').values({ ...row, folio: 'CITA-20261127-900001', official_id: '12345000001' }).execute();
    const error = await db()
      .insertInto('appointments')
      .values({ ...row, folio: 'CITA-20261127-900002', official_id: '12345000002' })
      .execute()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ code: '23505', constraint: 'appointments_active_slot_idx' });
    // A cancelled row does not hold the slot.
    await db()
      .insertInto('appointments')
      .values({ ...row, folio: 'CITA-20261127-900003', official_id: '12345000003', status: 'cancelled', cancelled_at: NOW, cancel_reason: 'prueba' })
      .execute();
    expect(await counts(db(), campaignId)).toEqual({ appointments: 2, events: 0 });
  });
});
