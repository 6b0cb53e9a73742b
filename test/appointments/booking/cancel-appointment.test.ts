import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../../hub/src/appointments/booking/book-appointment.usecase.js';
import { cancelAppointment } from '../../../hub/src/appointments/booking/cancel-appointment.usecase.js';
import { nearestSlots } from '../../../hub/src/appointments/booking/nearest-slots.query.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { NOW, booking, clinicCampaign, counts, local, nss, problemCodes, rejection } from './booking-fixtures.js';

/** cancelAppointment: ≥ 12 h before frees the slot (offered and bookable again); < 12 h refused. */
let hub: TestHub;
const db = () => hub.ctx.db.kysely;

beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => {
  await hub.cleanup();
});

describe('cancelAppointment', () => {
  it('cancels exactly 12 h before: the slot is offered and bookable again', async () => {
    const campaignId = await clinicCampaign(db());
    const start = local('2026-11-30', '08:00'); // Monday 14:00Z
    const booked = await bookAppointment(db(), booking(campaignId, 'c1', start, 'fam-a', 1), { kind: 'bot' }, { now: NOW });
    const query = { serviceId: 'mf', roomId: 'c1', from: new Date(start), limit: 1, now: NOW };
    // While booked, c1's first free slot from Monday 08:00 is 08:20 (14:20Z).
    expect((await nearestSlots(db(), campaignId, query)).map((s) => s.startsAt)).toEqual(['2026-11-30T14:20:00.000Z']);

    const twelveHoursBefore = new Date('2026-11-30T02:00:00Z'); // 14:00Z − 12 h
    const cancelled = await cancelAppointment(
      db(),
      { campaignId, folio: booked.folio, officialId: nss(1), reason: 'Ya no puedo asistir', channel: 'sms' },
      { kind: 'bot' },
      { now: twelveHoursBefore },
    );
    expect(cancelled).toEqual({ id: booked.id, folio: booked.folio, cancelledAt: '2026-11-30T02:00:00.000Z' });
    const row = await db().selectFrom('appointments').select(['status', 'cancel_reason', 'cancelled_at']).where('id', '=', booked.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'cancelled', cancel_reason: 'Ya no puedo asistir', cancelled_at: twelveHoursBefore });
    expect((await db().selectFrom('appointment_events').select('kind').where('appointment_id', '=', booked.id).orderBy('id').execute()).map((e) => e.kind)).toEqual([
      'appointment.booked',
      'appointment.cancelled',
    ]);

    // Offered again, and another citizen books it (the partial UNIQUE index ignores cancelled rows).
    expect((await nearestSlots(db(), campaignId, query)).map((s) => s.startsAt)).toEqual(['2026-11-30T14:00:00.000Z']);
    const again = await bookAppointment(db(), booking(campaignId, 'c1', start, 'fam-b', 2), { kind: 'bot' }, { now: NOW });
    expect(again.startsAt).toBe('2026-11-30T14:00:00.000Z');
  });

  it('refuses to cancel less than 12 h before, and with a wrong NSS, changing nothing', async () => {
    const campaignId = await clinicCampaign(db());
    const booked = await bookAppointment(db(), booking(campaignId, 'c2', local('2026-11-30', '09:00'), 'fam-a', 1), { kind: 'bot' }, { now: NOW });
    // Start 15:00Z; 03:00:01Z is 11 h 59 min 59 s before.
    const late = await rejection(
      cancelAppointment(db(), { campaignId, appointmentId: booked.id, officialId: nss(1), channel: 'whatsapp' }, { kind: 'bot' }, { now: new Date('2026-11-30T03:00:01Z') }),
    );
    expect(late.code).toBe('HUB_ERR_APPOINTMENT_CANCEL_REFUSED');
    expect(problemCodes(late)).toEqual(['too_late_to_cancel']);
    const wrongId = await rejection(
      cancelAppointment(db(), { campaignId, folio: booked.folio, officialId: nss(2), channel: 'whatsapp' }, { kind: 'bot' }, { now: NOW }),
    );
    expect(wrongId.code).toBe('HUB_ERR_APPOINTMENT_NOT_FOUND');
    const row = await db().selectFrom('appointments').select(['status', 'cancelled_at']).where('id', '=', booked.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'booked', cancelled_at: null });
    expect(await counts(db(), campaignId)).toEqual({ appointments: 1, events: 1 });
  });
});
