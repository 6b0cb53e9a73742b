import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../../hub/src/appointments/booking/book-appointment.usecase.js';
import { bookingProblem } from '../../../hub/src/appointments/rules/rule-messages.js';
import { DEFAULT_BOOKING_RULES } from '../../../hub/src/appointments/rules/appointment-rules.types.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { NOW, booking, clinicCampaign, counts, local, offered, problemCodes, rejection } from './booking-fixtures.js';

/** bookAppointment against the real PostgreSQL: the stored row, and refusals that write nothing. */
let hub: TestHub;
const db = () => hub.ctx.db.kysely;

beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => {
  await hub.cleanup();
});

describe('bookAppointment', () => {
  it('books a free slot: folio CITA-YYYYMMDD-NNNNNN, the row and its history event', async () => {
    const campaignId = await clinicCampaign(db());
    // Friday 27 Nov 08:00 local = 14:00Z (UTC−6); 20-minute slot → ends 14:20Z.
    const booked = await bookAppointment(db(), booking(campaignId, 'c1', local('2026-11-27', '08:00'), 'fam-a', 1), { kind: 'bot' }, { now: NOW });
    expect(booked.folio).toMatch(/^CITA-20261127-\d{6}$/);
    expect(booked).toMatchObject({ officeId: 'umf-20', roomId: 'c1', shiftId: 'c1-mat', localDate: '2026-11-27', startsAt: '2026-11-27T14:00:00.000Z', endsAt: '2026-11-27T14:20:00.000Z' });

    const row = await db()
      .selectFrom('appointments')
      .select(['folio', 'status', 'room_id', 'office_id', 'shift_id', 'starts_at', 'ends_at', 'official_id_kind', 'official_id', 'family_group_id', 'channel', 'booked_by_kind', 'booked_by_user_id', 'cancelled_at', sql<string>`local_date::text`.as('local_date')])
      .where('id', '=', booked.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      folio: booked.folio,
      status: 'booked',
      room_id: 'c1',
      office_id: 'umf-20',
      shift_id: 'c1-mat',
      starts_at: new Date('2026-11-27T14:00:00Z'),
      ends_at: new Date('2026-11-27T14:20:00Z'),
      official_id_kind: 'nss',
      official_id: '12345000001', // 12 345 000 000 + 1
      family_group_id: 'fam-a',
      channel: 'whatsapp',
      booked_by_kind: 'bot',
      booked_by_user_id: null,
      cancelled_at: null,
      local_date: '2026-11-27',
    });
    const events = await db().selectFrom('appointment_events').select(['kind', 'actor_kind']).where('appointment_id', '=', booked.id).execute();
    expect(events).toEqual([{ kind: 'appointment.booked', actor_kind: 'bot' }]);

    // A second booking gets another folio.
    const second = await bookAppointment(db(), booking(campaignId, 'c2', local('2026-11-27', '08:00'), 'fam-b', 2), { kind: 'portal' }, { now: NOW });
    expect(second.folio).toMatch(/^CITA-20261127-\d{6}$/);
    expect(second.folio).not.toBe(booked.folio);
  });

  it('refuses a holiday with the rule’s Spanish message and writes nothing', async () => {
    const campaignId = await clinicCampaign(db());
    // Friday 25 Dec 2026 (Navidad) 08:00 local = 14:00Z; 29 days ahead, inside the 90-day window.
    const error = await rejection(bookAppointment(db(), booking(campaignId, 'c1', local('2026-12-25', '08:00'), 'fam-a', 1), { kind: 'bot' }, { now: NOW }));
    expect(error.code).toBe('HUB_ERR_APPOINTMENT_RULES');
    expect(error.statusCode).toBe(422);
    expect(problemCodes(error)).toEqual(['holiday']);
    expect(error.message).toContain(bookingProblem('holiday', DEFAULT_BOOKING_RULES).es);
    expect(await counts(db(), campaignId)).toEqual({ appointments: 0, events: 0 });
  });

  it('refuses a start less than 12 h ahead and writes nothing', async () => {
    const campaignId = await clinicCampaign(db());
    // Start 2026-11-27T14:00Z; now 03:00:01Z → 10 h 59 min 59 s ahead < 12 h.
    const now = new Date('2026-11-27T03:00:01Z');
    const error = await rejection(bookAppointment(db(), booking(campaignId, 'c1', local('2026-11-27', '08:00'), 'fam-a', 1), { kind: 'bot' }, { now }));
    expect(error.code).toBe('HUB_ERR_APPOINTMENT_RULES');
    expect(problemCodes(error)).toEqual(['too_soon']);
    expect(error.message).toContain(bookingProblem('too_soon', DEFAULT_BOOKING_RULES).es);
    expect(await counts(db(), campaignId)).toEqual({ appointments: 0, events: 0 });
  });

  it('refuses the 4th active appointment of a family group and writes nothing', async () => {
    const campaignId = await clinicCampaign(db());
    // Three members of fam-a book c1 08:00, 08:20, 08:40 (3 = maxActivePerFamily).
    for (const [i, time] of ['08:00', '08:20', '08:40'].entries()) {
      await bookAppointment(db(), booking(campaignId, 'c1', local('2026-11-27', time), 'fam-a', i + 1), { kind: 'bot' }, { now: NOW });
    }
    const before = await counts(db(), campaignId);
    expect(before).toEqual({ appointments: 3, events: 3 });
    // The 4th, in the other room (free, its shift empty): only the family limit stops it.
    const error = await rejection(bookAppointment(db(), booking(campaignId, 'c2', local('2026-11-27', '08:00'), 'fam-a', 4), { kind: 'bot' }, { now: NOW }));
    expect(error.code).toBe('HUB_ERR_APPOINTMENT_RULES');
    expect(problemCodes(error)).toEqual(['family_limit']);
    expect(await counts(db(), campaignId)).toEqual(before);
  });

  it('refuses a full shift (409) with the nearest free slots, and writes nothing', async () => {
    const campaignId = await clinicCampaign(db());
    // Monday 30 Nov, c1: capacity 3 taken by 08:00, 08:20, 08:40 (three families).
    for (const [i, time] of ['08:00', '08:20', '08:40'].entries()) {
      await bookAppointment(db(), booking(campaignId, 'c1', local('2026-11-30', time), `fam-${i}`, i + 1), { kind: 'bot' }, { now: NOW });
    }
    const error = await rejection(bookAppointment(db(), booking(campaignId, 'c1', local('2026-11-30', '09:00'), 'fam-x', 9), { kind: 'bot' }, { now: NOW }));
    expect(error.code).toBe('HUB_ERR_APPOINTMENT_SHIFT_FULL');
    expect(error.statusCode).toBe(409);
    expect(problemCodes(error)).toEqual(['shift_full']);
    // Nearest 10 from Friday 27 08:00 local: both rooms are free that day, c1 before c2 at each start.
    const friday = ['08:00', '08:20', '08:40', '09:00', '09:20'].flatMap((t) => [
      { roomId: 'c1', startsAt: local('2026-11-27', t) },
      { roomId: 'c2', startsAt: local('2026-11-27', t) },
    ]);
    expect(offered(error)).toEqual(friday);
    expect(await counts(db(), campaignId)).toEqual({ appointments: 3, events: 3 });
  });

  it('refuses a malformed NSS before touching the database', async () => {
    const campaignId = await clinicCampaign(db());
    const input = { ...booking(campaignId, 'c1', local('2026-11-27', '08:00'), 'fam-a', 1), officialId: { kind: 'nss', value: '123' } };
    const error = await rejection(bookAppointment(db(), input, { kind: 'bot' }, { now: NOW }));
    expect(error.code).toBe('HUB_ERR_VALIDATION');
    expect(JSON.stringify(error.details)).toContain('el NSS tiene 11 dígitos');
    expect(await counts(db(), campaignId)).toEqual({ appointments: 0, events: 0 });
  });
});
