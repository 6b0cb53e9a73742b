import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestSchedulingProvider, signRequest } from '../../../hub/src/appointments/external/rest-scheduling.provider.js';
import { compareCalendars, type LocalAppointment } from '../../../hub/src/appointments/external/reconcile-compare.js';
import { HubError } from '../../../hub/src/errors/error-registry.js';
import { startSchedulingHarness, type SchedulingHarness } from './scheduling-harness.js';

/** The REST client against the documented example and the harness; the pure comparison by hand. */
let harness: SchedulingHarness;

beforeAll(async () => {
  harness = await startSchedulingHarness();
});
afterAll(async () => {
  await harness.close();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return error instanceof HubError ? error.code : 'no HubError';
}

const booking = {
  appointmentId: '3f1c5a8e-2b7d-4c1e-9a6f-0d8e7b6c5a41',
  folio: 'CITA-20261130-000001',
  officeId: 'umf-20',
  roomId: 'c1',
  serviceId: 'mf',
  startsAt: '2026-11-30T14:00:00.000Z',
  endsAt: '2026-11-30T14:20:00.000Z',
  officialIdKind: 'nss' as const,
  officialId: '12345000001',
};

describe('RestSchedulingProvider', () => {
  it('signs as the README example says', () => {
    expect(signRequest('s3cr3t-compartido-0123456789-abcdef', '1795795200', 'POST', '/api/bookings/EXT-42/cancel', '{"reason":"Ya no puedo asistir"}')).toBe(
      'sha256=e0c244dd8664f27d32476adc548158c1712242ad733d78a0d4f7f209d20e56dc',
    );
  });

  it('reserve is idempotent on our appointment id; list, status, release and health speak the API', async () => {
    const provider = new RestSchedulingProvider({ baseUrl: harness.baseUrl, secret: harness.secret, timeoutMs: 2000 });
    const first = await provider.reserve(booking);
    const again = await provider.reserve(booking);
    expect(again).toEqual(first);
    expect(harness.bookings.size).toBe(1);
    await provider.setStatus(first.externalRef, 'confirmed');
    const listed = await provider.list({ from: new Date('2026-11-30T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') });
    expect(listed).toEqual([{ externalRef: first.externalRef, roomId: 'c1', startsAt: booking.startsAt, endsAt: booking.endsAt, status: 'confirmed', folio: booking.folio }]);
    // Another appointment on the same slot: the institution refuses it.
    expect(await codeOf(provider.reserve({ ...booking, appointmentId: 'another-id' }))).toBe('HUB_ERR_APPOINTMENT_SLOT_TAKEN');
    await provider.release(first.externalRef, 'Cambio de planes');
    expect(harness.bookings.get(first.externalRef)?.status).toBe('cancelled');
    // Unknown to the institution = already released.
    await provider.release('EXT-unknown', 'Cambio de planes');
    expect(await provider.health()).toEqual({ ok: true, detail: 'ok' });
    expect(harness.requests.every((r) => r.status !== 401)).toBe(true);
  });

  it('a wrong secret is refused with 401 by the institution → REJECTED; a closed port → UNAVAILABLE', async () => {
    const wrong = new RestSchedulingProvider({ baseUrl: harness.baseUrl, secret: 'wrong-secret-wrong-secret-0123456789', timeoutMs: 2000 });
    const before = harness.requests.length;
    expect(await codeOf(wrong.list({ from: new Date('2026-11-30T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') }))).toBe('HUB_ERR_APPOINTMENT_EXTERNAL_REJECTED');
    expect(harness.requests.slice(before).map((r) => r.status)).toEqual([401]);
    expect(await wrong.health()).toMatchObject({ ok: false });

    const closed = await startSchedulingHarness();
    const url = closed.baseUrl;
    await closed.close();
    const nobody = new RestSchedulingProvider({ baseUrl: url, secret: harness.secret, timeoutMs: 2000 });
    expect(await codeOf(nobody.reserve(booking))).toBe('HUB_ERR_APPOINTMENT_EXTERNAL_UNAVAILABLE');
  });
});

describe('compareCalendars', () => {
  const at = (iso: string) => new Date(iso);
  const mine = (id: string, status: LocalAppointment['status'], ref: string | null, startsAt = '2026-11-30T14:00:00.000Z', roomId = 'c1'): LocalAppointment => ({
    id,
    folio: `CITA-20261130-00000${id}`,
    roomId,
    startsAt: at(startsAt),
    status,
    externalRef: ref,
  });
  const theirs = (ref: string, status: 'booked' | 'confirmed' | 'cancelled' | 'attended' | 'no_show', startsAt = '2026-11-30T14:00:00.000Z', roomId = 'c1', folio: string | null = null) => ({
    externalRef: ref,
    roomId,
    startsAt,
    endsAt: startsAt,
    status,
    folio,
  });

  it('classifies each kind, matching by ref or else by folio', () => {
    const differences = compareCalendars(
      [
        mine('1', 'booked', 'E1'), // equal
        mine('2', 'booked', null), // missing remotely
        mine('3', 'confirmed', 'E3'), // cancelled there → missing remotely
        mine('4', 'confirmed', 'E4'), // status differs
        mine('5', 'booked', null, '2026-11-30T14:20:00.000Z'), // matched by folio, moved
        mine('6', 'cancelled', 'E6'), // cancelled here, still active there
        mine('7', 'cancelled', null), // cancelled and absent: nothing to say
      ],
      [
        theirs('E1', 'booked'),
        theirs('E3', 'cancelled'),
        theirs('E4', 'booked'),
        theirs('E5', 'booked', '2026-11-30T14:40:00.000Z', 'c1', 'CITA-20261130-000005'),
        theirs('E6', 'booked'),
        theirs('E9', 'booked', '2026-11-30T15:00:00.000Z', 'c2'), // only theirs
        theirs('E10', 'cancelled'), // only theirs but cancelled: nothing
      ],
    );
    expect(differences.map((d) => `${d.kind}:${d.local?.id ?? '-'}:${d.remote?.externalRef ?? '-'}`)).toEqual([
      'missing_remote:2:-',
      'missing_remote:3:E3',
      'status_differs:4:E4',
      'time_differs:5:E5',
      'status_differs:6:E6',
      'missing_local:-:E9',
    ]);
  });
});
