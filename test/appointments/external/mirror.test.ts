import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../../hub/src/appointments/booking/book-appointment.usecase.js';
import { cancelAppointment } from '../../../hub/src/appointments/booking/cancel-appointment.usecase.js';
import { changeAppointmentStatus } from '../../../hub/src/appointments/booking/change-status.usecase.js';
import { mirrorCampaign, retryDelayMs, type MirrorPassResult } from '../../../hub/src/appointments/external/mirror-outbox.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { NOW, booking, local, nss } from '../booking/booking-fixtures.js';
import { eventKinds, externalCampaign } from './external-fixtures.js';
import { startSchedulingHarness, type SchedulingHarness } from './scheduling-harness.js';

/** mirror: the hub is the source; its history reaches the institution after commit, once, in order, retried while it is down. */
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

/** Two passes at once, as two worker processes would run them. */
async function concurrentPasses(campaignId: string, now: Date): Promise<MirrorPassResult[]> {
  return Promise.all([mirrorCampaign(db(), campaignId, { now, gapGraceMs: 0 }), mirrorCampaign(db(), campaignId, { now, gapGraceMs: 0 })]);
}

describe('mirror mode', () => {
  it('pushes bookings, a confirmation and a cancellation to the institution exactly once, even with two concurrent passes', async () => {
    const { campaignId } = await externalCampaign(db(), harness, 'mirror');
    const before = harness.requests.length;
    const a = await bookAppointment(db(), booking(campaignId, 'c1', local('2026-11-30', '08:00'), 'fam-a', 1), { kind: 'bot' }, { now: NOW });
    const b = await bookAppointment(db(), booking(campaignId, 'c2', local('2026-11-30', '08:00'), 'fam-b', 2), { kind: 'bot' }, { now: NOW });
    // Nothing is pushed inside the booking: the institution hears of it after commit.
    expect(harness.requests.length).toBe(before);
    await changeAppointmentStatus(db(), { campaignId, appointmentId: b.id, to: 'confirmed', channel: 'agent' }, { kind: 'system' }, { now: NOW });
    await cancelAppointment(db(), { campaignId, folio: a.folio, officialId: nss(1), reason: 'Cambio de planes', channel: 'sms' }, { kind: 'bot' }, { now: NOW });

    const results = [...(await concurrentPasses(campaignId, NOW)), ...(await concurrentPasses(campaignId, NOW)), ...(await concurrentPasses(campaignId, NOW))];
    expect(results.reduce((sum, r) => sum + r.pushed, 0)).toBe(4);

    const sent = harness.requests.slice(before);
    expect(sent.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    const refA = (await db().selectFrom('appointments').select('external_ref').where('id', '=', a.id).executeTakeFirstOrThrow()).external_ref;
    const refB = (await db().selectFrom('appointments').select('external_ref').where('id', '=', b.id).executeTakeFirstOrThrow()).external_ref;
    expect(refA).toMatch(/^EXT-/);
    expect(refB).toMatch(/^EXT-/);
    // In history order: both bookings, then the confirmation, then the cancellation — each once.
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/bookings',
      'POST /api/bookings',
      `POST /api/bookings/${refB ?? ''}/status`,
      `POST /api/bookings/${refA ?? ''}/cancel`,
    ]);
    expect(sent.map((r) => r.idempotencyKey)).toEqual([a.id, b.id, `${refB ?? ''}:confirmed`, `${refA ?? ''}:cancel`]);
    expect(harness.bookings.get(refA ?? '')?.status).toBe('cancelled');
    expect(harness.bookings.get(refB ?? '')?.status).toBe('confirmed');
    expect(await eventKinds(db(), a.id)).toEqual(['appointment.booked', 'appointment.cancelled', 'appointment.mirrored', 'appointment.mirrored']);
    expect(await eventKinds(db(), b.id)).toEqual(['appointment.booked', 'appointment.confirmed', 'appointment.mirrored', 'appointment.mirrored']);

    // Caught up: a later pass sends nothing.
    await mirrorCampaign(db(), campaignId, { now: NOW, gapGraceMs: 0 });
    expect(harness.requests.length).toBe(before + 4);
  });

  it('the institution down for a while: mirror_failed recorded, retried after a growing wait, delivered once it is back', async () => {
    const { campaignId } = await externalCampaign(db(), harness, 'mirror');
    const a = await bookAppointment(db(), booking(campaignId, 'c1', local('2026-12-01', '08:00'), 'fam-a', 3), { kind: 'portal' }, { now: NOW });
    harness.behaviour = 'down';

    const first = await mirrorCampaign(db(), campaignId, { now: NOW, gapGraceMs: 0 });
    expect(first).toMatchObject({ pushed: 0, failed: 1 });
    const failed = await db().selectFrom('appointment_events').select(['kind', 'actor_kind', 'details']).where('appointment_id', '=', a.id).where('kind', '=', 'appointment.mirror_failed').execute();
    expect(failed).toHaveLength(1);
    expect(failed[0]?.actor_kind).toBe('system');
    // Ids and the error only: no NSS, no name, no birth date.
    expect(JSON.stringify(failed[0]?.details)).not.toContain(nss(3));
    expect(failed[0]?.details).toMatchObject({ kind: 'appointment.booked', attempt: 1, error: 'HUB_ERR_APPOINTMENT_EXTERNAL_UNAVAILABLE', final: false });

    // Before the wait is over nothing is tried; after it, a second failure doubles the wait.
    const early = await mirrorCampaign(db(), campaignId, { now: new Date(NOW.getTime() + retryDelayMs(1) - 1), gapGraceMs: 0 });
    expect(early.skipped).toBe(true);
    const second = await mirrorCampaign(db(), campaignId, { now: new Date(NOW.getTime() + retryDelayMs(1)), gapGraceMs: 0 });
    expect(second.failed).toBe(1);
    const cursor = await db().selectFrom('appointment_mirror_cursors').selectAll().where('campaign_id', '=', campaignId).executeTakeFirstOrThrow();
    expect(cursor.attempts).toBe(2);
    expect(cursor.next_attempt_at?.toISOString()).toBe(new Date(NOW.getTime() + retryDelayMs(1) + retryDelayMs(2)).toISOString());
    expect(retryDelayMs(2)).toBe(2 * retryDelayMs(1));

    harness.behaviour = 'normal';
    const later = new Date(NOW.getTime() + 60_000);
    const delivered = await mirrorCampaign(db(), campaignId, { now: later, gapGraceMs: 0 });
    expect(delivered).toMatchObject({ pushed: 1, failed: 0 });
    const reserves = harness.accepted('POST', '/api/bookings').filter((r) => r.idempotencyKey === a.id);
    expect(reserves).toHaveLength(1);
    expect(await eventKinds(db(), a.id)).toEqual(['appointment.booked', 'appointment.mirror_failed', 'appointment.mirror_failed', 'appointment.mirrored']);
    const after = await db().selectFrom('appointment_mirror_cursors').select(['attempts', 'failing_event_id', 'next_attempt_at']).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow();
    expect(after).toEqual({ attempts: 0, failing_event_id: null, next_attempt_at: null });
  });

  it('a booking the institution refuses is recorded as a final failure and does not block the ones after it', async () => {
    const { campaignId } = await externalCampaign(db(), harness, 'mirror');
    const start = local('2026-12-02', '08:00');
    harness.seed({ folio: null, roomId: 'c1', startsAt: start, endsAt: local('2026-12-02', '08:20'), status: 'booked', officialId: null });
    const refused = await bookAppointment(db(), booking(campaignId, 'c1', start, 'fam-a', 4), { kind: 'bot' }, { now: NOW });
    const next = await bookAppointment(db(), booking(campaignId, 'c1', local('2026-12-02', '08:20'), 'fam-b', 5), { kind: 'bot' }, { now: NOW });

    const pass = await mirrorCampaign(db(), campaignId, { now: NOW, gapGraceMs: 0 });
    expect(pass).toMatchObject({ pushed: 1, failed: 0 });
    expect(await eventKinds(db(), refused.id)).toEqual(['appointment.booked', 'appointment.mirror_failed']);
    expect(await eventKinds(db(), next.id)).toEqual(['appointment.booked', 'appointment.mirrored']);
  });

  it('a pass pushes at most maxPushes events and says more is due; the next pass goes on from there', async () => {
    const { campaignId } = await externalCampaign(db(), harness, 'mirror');
    const ids: string[] = [];
    for (const [n, time] of [[6, '08:00'], [7, '08:20'], [8, '08:40']] as const) {
      ids.push((await bookAppointment(db(), booking(campaignId, 'c2', local('2026-12-03', time), `fam-${n}`, n), { kind: 'bot' }, { now: NOW })).id);
    }
    const first = await mirrorCampaign(db(), campaignId, { now: NOW, gapGraceMs: 0, maxPushes: 2 });
    expect(first).toMatchObject({ pushed: 2, more: true });
    const second = await mirrorCampaign(db(), campaignId, { now: NOW, gapGraceMs: 0, maxPushes: 2 });
    expect(second).toMatchObject({ pushed: 1, more: false });
    for (const id of ids) expect(harness.accepted('POST', '/api/bookings').filter((r) => r.idempotencyKey === id)).toHaveLength(1);
  });
});

describe('source_of_truth mode and the outbox', () => {
  it('pushes confirmations only: the booking went synchronously and is not sent again', async () => {
    const { campaignId } = await externalCampaign(db(), harness, 'source_of_truth');
    const a = await bookAppointment(db(), booking(campaignId, 'c1', local('2026-12-04', '08:00'), 'fam-a', 9), { kind: 'bot' }, { now: NOW });
    await changeAppointmentStatus(db(), { campaignId, appointmentId: a.id, to: 'confirmed', channel: 'agent' }, { kind: 'system' }, { now: NOW });
    const before = harness.requests.length;
    const pass = await mirrorCampaign(db(), campaignId, { now: NOW, gapGraceMs: 0 });
    expect(pass).toMatchObject({ pushed: 1, failed: 0 });
    const ref = (await db().selectFrom('appointments').select('external_ref').where('id', '=', a.id).executeTakeFirstOrThrow()).external_ref ?? '';
    expect(harness.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([`POST /api/bookings/${ref}/status`]);
    expect(harness.bookings.get(ref)?.status).toBe('confirmed');
  });
});
