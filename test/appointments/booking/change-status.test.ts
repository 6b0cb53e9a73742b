import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../../hub/src/appointments/booking/book-appointment.usecase.js';
import { cancelAppointment } from '../../../hub/src/appointments/booking/cancel-appointment.usecase.js';
import { changeAppointmentStatus } from '../../../hub/src/appointments/booking/change-status.usecase.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { NOW, booking, clinicCampaign, local, nss, rejection } from './booking-fixtures.js';

/** changeAppointmentStatus: confirm before the start, attended / no-show from the start on, history kept. */
let hub: TestHub;
const db = () => hub.ctx.db.kysely;

beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => {
  await hub.cleanup();
});

async function kinds(appointmentId: string): Promise<string[]> {
  return (await db().selectFrom('appointment_events').select('kind').where('appointment_id', '=', appointmentId).orderBy('id').execute()).map((e) => e.kind);
}

describe('changeAppointmentStatus', () => {
  it('a citizen confirms with the NSS booked with (a second SÍ changes nothing); the visit is then recorded as attended', async () => {
    const campaignId = await clinicCampaign(db());
    const start = local('2026-11-30', '08:00');
    const { id, folio } = await bookAppointment(db(), { ...booking(campaignId, 'c1', start, 'fam-a', 1), birthDate: '1980-02-29' }, { kind: 'bot' }, { now: NOW });
    const confirm = { campaignId, folio, to: 'confirmed', officialId: nss(1), channel: 'sms' };
    expect(await changeAppointmentStatus(db(), confirm, { kind: 'citizen' }, { now: NOW })).toEqual({ id, folio, status: 'confirmed', changed: true });
    expect(await changeAppointmentStatus(db(), confirm, { kind: 'citizen' }, { now: NOW })).toEqual({ id, folio, status: 'confirmed', changed: false });

    const early = await rejection(changeAppointmentStatus(db(), { campaignId, appointmentId: id, to: 'attended', channel: 'agent' }, { kind: 'system' }, { now: NOW }));
    expect(early.code).toBe('HUB_ERR_APPOINTMENT_STATUS_REFUSED');
    expect(early.message).toMatch(/^la asistencia se registra/);

    const atStart = new Date(start);
    expect(await changeAppointmentStatus(db(), { campaignId, appointmentId: id, to: 'attended', channel: 'agent' }, { kind: 'system' }, { now: atStart })).toMatchObject({ status: 'attended', changed: true });
    const row = await db().selectFrom('appointments').select(['status', 'confirmed_at', 'attended_at', 'birth_date']).select((eb) => eb.cast<string>('birth_date', 'text').as('birth')).where('id', '=', id).executeTakeFirstOrThrow();
    expect({ status: row.status, confirmedAt: row.confirmed_at, attendedAt: row.attended_at, birth: row.birth }).toEqual({ status: 'attended', confirmedAt: NOW, attendedAt: atStart, birth: '1980-02-29' });
    expect(await kinds(id)).toEqual(['appointment.booked', 'appointment.confirmed', 'appointment.attended']);

    // Attended is final: neither no-show nor a late confirmation.
    const after = await rejection(changeAppointmentStatus(db(), { campaignId, appointmentId: id, to: 'no_show', channel: 'agent' }, { kind: 'system' }, { now: atStart }));
    expect(after.details).toEqual({ reason: 'not_active' });
  });

  it('a citizen without the right id finds nothing; a cancelled appointment cannot be confirmed; confirming after the start is refused', async () => {
    const campaignId = await clinicCampaign(db());
    const first = await bookAppointment(db(), booking(campaignId, 'c1', local('2026-11-30', '08:00'), 'fam-a', 1), { kind: 'bot' }, { now: NOW });
    const second = await bookAppointment(db(), booking(campaignId, 'c2', local('2026-11-30', '08:00'), 'fam-b', 2), { kind: 'bot' }, { now: NOW });

    const wrongId = await rejection(changeAppointmentStatus(db(), { campaignId, folio: first.folio, to: 'confirmed', officialId: nss(2), channel: 'sms' }, { kind: 'citizen' }, { now: NOW }));
    expect(wrongId.code).toBe('HUB_ERR_APPOINTMENT_NOT_FOUND');
    const noId = await rejection(changeAppointmentStatus(db(), { campaignId, folio: first.folio, to: 'confirmed', channel: 'portal' }, { kind: 'portal' }, { now: NOW }));
    expect(noId.code).toBe('HUB_ERR_APPOINTMENT_NOT_FOUND');

    await cancelAppointment(db(), { campaignId, folio: first.folio, officialId: nss(1), channel: 'sms' }, { kind: 'citizen' }, { now: NOW });
    const cancelled = await rejection(changeAppointmentStatus(db(), { campaignId, folio: first.folio, to: 'confirmed', officialId: nss(1), channel: 'sms' }, { kind: 'citizen' }, { now: NOW }));
    expect(cancelled.details).toEqual({ reason: 'not_booked' });

    const late = await rejection(
      changeAppointmentStatus(db(), { campaignId, folio: second.folio, to: 'confirmed', officialId: nss(2), channel: 'sms' }, { kind: 'citizen' }, { now: new Date(second.startsAt) }),
    );
    expect(late.details).toEqual({ reason: 'started' });
    const noShow = await changeAppointmentStatus(db(), { campaignId, folio: second.folio, to: 'no_show', channel: 'agent' }, { kind: 'system' }, { now: new Date(second.endsAt) });
    expect(noShow).toMatchObject({ status: 'no_show', changed: true });
    expect(await kinds(first.id)).toEqual(['appointment.booked', 'appointment.cancelled']);
    expect(await kinds(second.id)).toEqual(['appointment.booked', 'appointment.no_show']);
  });
});
