import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../../hub/src/appointments/booking/book-appointment.usecase.js';
import { changeAppointmentStatus } from '../../../hub/src/appointments/booking/change-status.usecase.js';
import { mirrorCampaign } from '../../../hub/src/appointments/external/mirror-outbox.js';
import { reconcile } from '../../../hub/src/appointments/external/reconcile.usecase.js';
import { reconcileDue } from '../../../hub/src/appointments/external/external-scheduling.worker.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { NOW, booking, local, rejection } from '../booking/booking-fixtures.js';
import { eventKinds, externalCampaign } from './external-fixtures.js';
import { startSchedulingHarness, type SchedulingHarness } from './scheduling-harness.js';

/** Reconciliation: each kind of difference made by hand, and what each mode does about it. */
let hub: TestHub;
let harness: SchedulingHarness;
const db = () => hub.ctx.db.kysely;
const window = { from: new Date('2026-11-27T00:00:00Z'), to: new Date('2026-12-12T00:00:00Z') };

beforeAll(async () => {
  hub = await createTestHub();
});
// One institution per test: its list holds only that campaign's bookings.
beforeEach(async () => {
  harness = await startSchedulingHarness();
});
afterEach(async () => {
  await harness.close();
});
afterAll(async () => {
  await hub.cleanup();
});

async function externalRefOf(appointmentId: string): Promise<string> {
  const row = await db().selectFrom('appointments').select('external_ref').where('id', '=', appointmentId).executeTakeFirstOrThrow();
  if (row.external_ref === null) throw new Error('not mirrored');
  return row.external_ref;
}

function remote(ref: string) {
  const found = harness.bookings.get(ref);
  if (!found) throw new Error(`the harness has no ${ref}`);
  return found;
}

describe('reconcile in mirror mode (the hub is the truth)', () => {
  it('finds the four kinds, pushes what the institution lacks or missed, lists the rest for a person', async () => {
    const { campaignId, adminId } = await externalCampaign(db(), harness, 'mirror');
    const confirmed = await bookAppointment(db(), booking(campaignId, 'c1', local('2026-11-30', '08:00'), 'fam-a', 1), { kind: 'bot' }, { now: NOW });
    const moved = await bookAppointment(db(), booking(campaignId, 'c1', local('2026-11-30', '08:20'), 'fam-b', 2), { kind: 'bot' }, { now: NOW });
    const same = await bookAppointment(db(), booking(campaignId, 'c2', local('2026-11-30', '08:00'), 'fam-c', 3), { kind: 'bot' }, { now: NOW });
    await mirrorCampaign(db(), campaignId, { now: NOW, gapGraceMs: 0 });
    // Hand-made differences: a booking the mirror never pushed (made while the pass is not run),
    // a confirmation not pushed yet, a booking the institution moved, one only the institution has.
    const unpushed = await bookAppointment(db(), booking(campaignId, 'c2', local('2026-12-01', '09:00'), 'fam-d', 4), { kind: 'bot' }, { now: NOW });
    await changeAppointmentStatus(db(), { campaignId, appointmentId: confirmed.id, to: 'confirmed', channel: 'agent' }, { kind: 'system' }, { now: NOW });
    remote(await externalRefOf(moved.id)).startsAt = local('2026-11-30', '09:00');
    const theirs = harness.seed({ folio: null, roomId: 'c2', startsAt: local('2026-12-02', '08:00'), endsAt: local('2026-12-02', '08:20'), status: 'booked', officialId: null });

    const run = await reconcile(db(), campaignId, window, { kind: 'manual', userId: adminId, ip: '127.0.0.1', userAgent: 'vitest' }, { now: NOW });
    expect(run.status).toBe('completed');
    expect(run.counts).toEqual({ missing_remote: 1, missing_local: 1, status_differs: 1, time_differs: 1, fixed: 2, to_review: 2 });
    const byKind = Object.fromEntries(run.differences.map((d) => [d.kind, d]));
    expect(byKind['missing_remote']).toMatchObject({ appointmentId: unpushed.id, folio: unpushed.folio, action: 'pushed' });
    expect(byKind['status_differs']).toMatchObject({ appointmentId: confirmed.id, local: { status: 'confirmed' }, remote: { status: 'booked' }, action: 'pushed' });
    expect(byKind['time_differs']).toMatchObject({ appointmentId: moved.id, local: { startsAt: local('2026-11-30', '08:20') }, remote: { startsAt: local('2026-11-30', '09:00') }, action: 'review' });
    expect(byKind['missing_local']).toMatchObject({ appointmentId: null, externalRef: theirs.externalRef, action: 'review' });
    expect(run.differences.some((d) => d.appointmentId === same.id)).toBe(false);

    // Fixed at the institution: the unpushed booking exists there now, the confirmation too.
    expect(remote(await externalRefOf(unpushed.id))).toMatchObject({ idempotencyKey: unpushed.id, status: 'booked' });
    expect(remote(await externalRefOf(confirmed.id)).status).toBe('confirmed');
    expect(theirs.status).toBe('booked');
    expect(await eventKinds(db(), unpushed.id)).toEqual(['appointment.booked', 'appointment.reconciled']);

    // Stored and audited.
    const stored = await db().selectFrom('appointment_reconciliation_runs').select(['status', 'counts', 'trigger', 'actor_user_id']).where('id', '=', run.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'completed', trigger: 'manual', actor_user_id: adminId, counts: run.counts });
    const audit = await db().selectFrom('audit_log').select(['actor_user_id', 'target_id', 'details']).where('action', '=', 'appointment.reconciled').where('campaign_id', '=', campaignId).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: adminId, target_id: run.id });

    // The mirror does not push the booking again (the reconciliation already did); a second run only finds what a person must see.
    const requests = harness.requests.length;
    await mirrorCampaign(db(), campaignId, { now: NOW, gapGraceMs: 0 });
    expect(harness.accepted('POST', '/api/bookings').filter((r) => r.idempotencyKey === unpushed.id)).toHaveLength(1);
    expect(harness.requests.slice(requests).filter((r) => r.method === 'POST' && r.path === '/api/bookings')).toHaveLength(0);
    const again = await reconcile(db(), campaignId, window, { kind: 'scheduled' }, { now: NOW });
    expect(again.counts).toMatchObject({ missing_remote: 0, missing_local: 1, status_differs: 0, time_differs: 1, fixed: 0 });
  });
});

describe('reconcile in source_of_truth mode (the institution is the truth)', () => {
  it('cancels here what the institution no longer has, releases our orphans, and never invents citizens', async () => {
    const { campaignId, adminId } = await externalCampaign(db(), harness, 'source_of_truth');
    const dropped = await bookAppointment(db(), booking(campaignId, 'c1', local('2026-12-07', '08:00'), 'fam-a', 11), { kind: 'bot' }, { now: NOW });
    const cancelledThere = await bookAppointment(db(), booking(campaignId, 'c1', local('2026-12-07', '08:20'), 'fam-b', 12), { kind: 'bot' }, { now: NOW });
    const attendedThere = await bookAppointment(db(), booking(campaignId, 'c2', local('2026-12-07', '08:00'), 'fam-c', 13), { kind: 'bot' }, { now: NOW });
    const movedThere = await bookAppointment(db(), booking(campaignId, 'c2', local('2026-12-07', '08:20'), 'fam-d', 14), { kind: 'bot' }, { now: NOW });
    harness.bookings.delete(await externalRefOf(dropped.id));
    remote(await externalRefOf(cancelledThere.id)).status = 'cancelled';
    remote(await externalRefOf(attendedThere.id)).status = 'attended';
    remote(await externalRefOf(movedThere.id)).roomId = 'c1';
    const walkIn = harness.seed({ folio: null, roomId: 'c2', startsAt: local('2026-12-08', '08:00'), endsAt: local('2026-12-08', '08:20'), status: 'booked', officialId: null });
    // Reserved by us, but the booking's commit never happened (a crash between the two).
    const orphan = harness.seed({ folio: 'CITA-20261208-999998', roomId: 'c1', startsAt: local('2026-12-08', '08:00'), endsAt: local('2026-12-08', '08:20'), status: 'booked', officialId: null });

    const run = await reconcile(db(), campaignId, window, { kind: 'manual', userId: adminId, ip: null, userAgent: null }, { now: NOW });
    expect(run.counts).toEqual({ missing_remote: 2, missing_local: 2, status_differs: 1, time_differs: 1, fixed: 3, to_review: 3 });
    const actionOf = (predicate: (d: (typeof run.differences)[number]) => boolean) => run.differences.filter(predicate).map((d) => `${d.kind}:${d.action}`);
    expect(actionOf((d) => d.appointmentId === dropped.id)).toEqual(['missing_remote:cancelled_locally']);
    expect(actionOf((d) => d.appointmentId === cancelledThere.id)).toEqual(['missing_remote:cancelled_locally']);
    expect(actionOf((d) => d.appointmentId === attendedThere.id)).toEqual(['status_differs:review']);
    expect(actionOf((d) => d.appointmentId === movedThere.id)).toEqual(['time_differs:review']);
    expect(actionOf((d) => d.externalRef === walkIn.externalRef)).toEqual(['missing_local:review']);
    expect(actionOf((d) => d.externalRef === orphan.externalRef)).toEqual(['missing_local:released_orphan']);

    for (const id of [dropped.id, cancelledThere.id]) {
      const row = await db().selectFrom('appointments').select(['status', 'cancel_reason']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.status).toBe('cancelled');
      expect(row.cancel_reason).toMatch(/^Ya no está en el sistema de citas de la institución \/ /);
      const events = await db().selectFrom('appointment_events').select(['kind', 'actor_kind']).where('appointment_id', '=', id).orderBy('id').execute();
      expect(events).toEqual([
        { kind: 'appointment.booked', actor_kind: 'bot' },
        { kind: 'appointment.reconciled', actor_kind: 'external' },
      ]);
    }
    // Untouched: what a person must look at, and the walk-in the institution booked itself.
    expect((await db().selectFrom('appointments').select('status').where('id', '=', attendedThere.id).executeTakeFirstOrThrow()).status).toBe('booked');
    expect(walkIn.status).toBe('booked');
    expect(orphan.status).toBe('cancelled');
    const ours = await db().selectFrom('appointments').select('id').where('campaign_id', '=', campaignId).execute();
    expect(ours).toHaveLength(4);
  });

  it('the institution not answering: the run is stored as failed, nothing changes, and the error says so', async () => {
    const { campaignId, adminId } = await externalCampaign(db(), harness, 'source_of_truth');
    const booked = await bookAppointment(db(), booking(campaignId, 'c1', local('2026-12-09', '08:00'), 'fam-a', 21), { kind: 'bot' }, { now: NOW });
    harness.behaviour = 'down';
    try {
      const error = await rejection(reconcile(db(), campaignId, window, { kind: 'manual', userId: adminId, ip: null, userAgent: null }, { now: NOW }));
      expect(error.code).toBe('HUB_ERR_APPOINTMENT_EXTERNAL_UNAVAILABLE');
    } finally {
      harness.behaviour = 'normal';
    }
    const runs = await db().selectFrom('appointment_reconciliation_runs').select(['status', 'error']).where('campaign_id', '=', campaignId).execute();
    expect(runs).toEqual([{ status: 'failed', error: 'HUB_ERR_APPOINTMENT_EXTERNAL_UNAVAILABLE' }]);
    expect((await db().selectFrom('appointments').select('status').where('id', '=', booked.id).executeTakeFirstOrThrow()).status).toBe('booked');

    // The scheduled job retries it (a failed run does not count as done) and then skips it within the interval.
    const scheduled = await reconcileDue(db(), NOW, 86_400_000);
    expect(scheduled.filter((r) => r.campaignId === campaignId)).toHaveLength(1);
    expect((await reconcileDue(db(), NOW, 86_400_000)).filter((r) => r.campaignId === campaignId)).toHaveLength(0);
  });

  it('one run at a time per campaign: a second one is refused while the first is running; an abandoned one (> 1 h) is closed', async () => {
    const { campaignId, adminId } = await externalCampaign(db(), harness, 'mirror');
    await db().insertInto('appointment_reconciliation_runs').values({ campaign_id: campaignId, mode: 'mirror', trigger: 'scheduled', range_from: window.from, range_to: window.to, started_at: new Date(NOW.getTime() - 60_000) }).execute();
    const trigger = { kind: 'manual' as const, userId: adminId, ip: null, userAgent: null };
    const refused = await rejection(reconcile(db(), campaignId, window, trigger, { now: NOW }));
    expect(refused.code).toBe('HUB_ERR_APPOINTMENT_RECONCILIATION_RUNNING');
    expect(refused.statusCode).toBe(409);

    const twoHoursLater = new Date(NOW.getTime() + 2 * 3_600_000);
    const run = await reconcile(db(), campaignId, window, trigger, { now: twoHoursLater });
    expect(run.status).toBe('completed');
    const statuses = await db().selectFrom('appointment_reconciliation_runs').select(['status', 'error']).where('campaign_id', '=', campaignId).orderBy('started_at').execute();
    expect(statuses).toEqual([
      { status: 'failed', error: 'abandoned' },
      { status: 'completed', error: null },
    ]);
  });
});

