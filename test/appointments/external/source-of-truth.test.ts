import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../../hub/src/appointments/booking/book-appointment.usecase.js';
import { cancelAppointment } from '../../../hub/src/appointments/booking/cancel-appointment.usecase.js';
import { mirrorAll } from '../../../hub/src/appointments/external/mirror-outbox.js';
import { reserveWithInstitution, settleExternalFollowUps } from '../../../hub/src/appointments/external/source-of-truth.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { NOW, booking, counts, local, nss, offered, rejection } from '../booking/booking-fixtures.js';
import { eventKinds, externalCampaign } from './external-fixtures.js';
import { startSchedulingHarness, type SchedulingHarness } from './scheduling-harness.js';

/** source_of_truth: the institution's calendar (a real HTTP harness) accepts every booking and cancellation first. */
let hub: TestHub;
let harness: SchedulingHarness;
const db = () => hub.ctx.db.kysely;

beforeAll(async () => {
  hub = await createTestHub();
  harness = await startSchedulingHarness();
});
afterEach(() => {
  harness.behaviour = 'normal';
});
afterAll(async () => {
  await harness.close();
  await hub.cleanup();
});

describe('source_of_truth mode', () => {
  it('books only once the institution reserved: signed request, idempotency key = our id, its ref stored', async () => {
    const { campaignId } = await externalCampaign(db(), harness, 'source_of_truth');
    const start = local('2026-11-30', '08:00');
    const booked = await bookAppointment(db(), booking(campaignId, 'c1', start, 'fam-a', 1), { kind: 'bot' }, { now: NOW });

    const reserve = harness.accepted('POST', '/api/bookings').filter((r) => r.idempotencyKey === booked.id);
    expect(reserve).toHaveLength(1);
    expect(reserve[0]?.status).toBe(201);
    const remote = [...harness.bookings.values()].find((b) => b.idempotencyKey === booked.id);
    expect(remote).toMatchObject({ folio: booked.folio, roomId: 'c1', startsAt: start, status: 'booked', officialId: nss(1) });
    // Only what the institution needs: no birth date, contact or conversation.
    expect(Object.keys(reserve[0]?.body ?? {}).sort()).toEqual(['appointmentId', 'endsAt', 'folio', 'officeId', 'officialId', 'officialIdKind', 'roomId', 'serviceId', 'startsAt']);
    const row = await db().selectFrom('appointments').select(['external_ref', 'status']).where('id', '=', booked.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ external_ref: remote?.externalRef, status: 'booked' });

    // The commit succeeded: the follow-up that guards against a failed commit releases nothing.
    await settleExternalFollowUps();
    expect(remote?.status).toBe('booked');
  });

  it('a slot the institution already gave away → SLOT_TAKEN with other free slots, and no local row', async () => {
    const { campaignId } = await externalCampaign(db(), harness, 'source_of_truth');
    const start = local('2026-11-30', '08:20');
    harness.seed({ folio: null, roomId: 'c1', startsAt: start, endsAt: local('2026-11-30', '08:40'), status: 'booked', officialId: null });

    const error = await rejection(bookAppointment(db(), booking(campaignId, 'c1', start, 'fam-a', 2), { kind: 'bot' }, { now: NOW }));
    expect(error.code).toBe('HUB_ERR_APPOINTMENT_SLOT_TAKEN');
    expect(error.statusCode).toBe(409);
    const slots = offered(error);
    expect(slots.length).toBeGreaterThan(0);
    expect(slots).not.toContainEqual({ roomId: 'c1', startsAt: start });
    expect(await counts(db(), campaignId)).toEqual({ appointments: 0, events: 0 });
  });

  it('the institution down or silent → a clear 503 that says so, and nothing written', async () => {
    const { campaignId } = await externalCampaign(db(), harness, 'source_of_truth', { timeoutMs: 500 });
    harness.behaviour = 'down';
    const down = await rejection(bookAppointment(db(), booking(campaignId, 'c2', local('2026-11-30', '09:00'), 'fam-a', 3), { kind: 'bot' }, { now: NOW }));
    expect(down.code).toBe('HUB_ERR_APPOINTMENT_EXTERNAL_UNAVAILABLE');
    expect(down.statusCode).toBe(503);
    expect(down.message).toMatch(/^El sistema de citas de la institución no responde.* \/ the institution’s scheduling system is not answering/);

    harness.behaviour = 'hang';
    const silent = await rejection(bookAppointment(db(), booking(campaignId, 'c2', local('2026-11-30', '09:20'), 'fam-a', 3), { kind: 'bot' }, { now: NOW }));
    expect(silent.code).toBe('HUB_ERR_APPOINTMENT_EXTERNAL_UNAVAILABLE');
    expect(silent.details).toEqual({ reason: 'no answer within 500 ms' });
    expect(await counts(db(), campaignId)).toEqual({ appointments: 0, events: 0 });
  });

  it('a wrong shared secret: the institution answers 401, the hub refuses with REJECTED and writes nothing', async () => {
    const { campaignId } = await externalCampaign(db(), harness, 'source_of_truth', { secret: 'not-the-institution-secret-0123456789' });
    const before = harness.requests.length;
    const error = await rejection(bookAppointment(db(), booking(campaignId, 'c1', local('2026-12-01', '08:00'), 'fam-a', 4), { kind: 'bot' }, { now: NOW }));
    expect(error.code).toBe('HUB_ERR_APPOINTMENT_EXTERNAL_REJECTED');
    expect(harness.requests.slice(before).map((r) => r.status)).toEqual([401]);
    expect(await counts(db(), campaignId)).toEqual({ appointments: 0, events: 0 });
  });

  it('cancelling releases the slot in the institution first; when it is down the appointment stays booked', async () => {
    const { campaignId } = await externalCampaign(db(), harness, 'source_of_truth');
    const booked = await bookAppointment(db(), booking(campaignId, 'c2', local('2026-12-01', '09:00'), 'fam-b', 5), { kind: 'bot' }, { now: NOW });
    const remote = [...harness.bookings.values()].find((b) => b.idempotencyKey === booked.id);
    const cancel = { campaignId, folio: booked.folio, officialId: nss(5), reason: 'Ya no puedo asistir', channel: 'sms' as const };

    harness.behaviour = 'down';
    const refused = await rejection(cancelAppointment(db(), cancel, { kind: 'bot' }, { now: NOW }));
    expect(refused.code).toBe('HUB_ERR_APPOINTMENT_EXTERNAL_UNAVAILABLE');
    expect((await db().selectFrom('appointments').select('status').where('id', '=', booked.id).executeTakeFirstOrThrow()).status).toBe('booked');
    expect(await eventKinds(db(), booked.id)).toEqual(['appointment.booked']);
    expect(remote?.status).toBe('booked');

    harness.behaviour = 'normal';
    await cancelAppointment(db(), cancel, { kind: 'bot' }, { now: NOW });
    expect(remote?.status).toBe('cancelled');
    const release = harness.accepted('POST', `/api/bookings/${remote?.externalRef ?? ''}/cancel`);
    expect(release).toHaveLength(1);
    expect(release[0]?.body).toEqual({ reason: 'Ya no puedo asistir' });
    expect(await eventKinds(db(), booked.id)).toEqual(['appointment.booked', 'appointment.cancelled']);
  });

  it('a reservation whose local transaction did not commit is released by the follow-up', async () => {
    const { campaignId } = await externalCampaign(db(), harness, 'source_of_truth');
    const appointmentId = randomUUID();
    const startsAt = local('2026-12-02', '08:00');
    const failedCommit = db()
      .transaction()
      .execute(async (trx) => {
        await reserveWithInstitution(db(), trx, {
          campaignId,
          appointmentId,
          folio: 'CITA-20261202-999999',
          officeId: 'umf-20',
          roomId: 'c1',
          serviceId: 'mf',
          startsAt,
          endsAt: local('2026-12-02', '08:20'),
          officialIdKind: 'nss',
          officialId: nss(6),
          now: NOW,
        });
        throw new Error('the commit failed');
      });
    await expect(failedCommit).rejects.toThrow('the commit failed');
    await settleExternalFollowUps();
    const remote = [...harness.bookings.values()].find((b) => b.idempotencyKey === appointmentId);
    expect(remote?.status).toBe('cancelled');
  });
});

describe('builtin mode (the default)', () => {
  it('never calls out: booking, cancelling and a mirror pass leave the harness untouched', async () => {
    const { campaignId } = await externalCampaign(db(), harness, 'builtin');
    const before = harness.requests.length;
    const booked = await bookAppointment(db(), booking(campaignId, 'c1', local('2026-12-03', '08:00'), 'fam-c', 7), { kind: 'bot' }, { now: NOW });
    await cancelAppointment(db(), { campaignId, folio: booked.folio, officialId: nss(7), channel: 'whatsapp' }, { kind: 'bot' }, { now: NOW });
    await mirrorAll(db(), { now: NOW, gapGraceMs: 0 });
    await settleExternalFollowUps();
    expect(harness.requests.length).toBe(before);
    const row = await db().selectFrom('appointments').select(['external_ref', 'status']).where('id', '=', booked.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ external_ref: null, status: 'cancelled' });
  });
});
