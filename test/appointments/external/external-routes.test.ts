import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../../hub/src/appointments/booking/book-appointment.usecase.js';
import { bearer, tokenFor } from '../../support/auth.js';
import { createUser } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { NOW, booking, clinicCampaign, local } from '../booking/booking-fixtures.js';
import { startSchedulingHarness, type SchedulingHarness } from './scheduling-harness.js';

/** The admin API: settings (secret written, never read back; audited), health, reconciliation on demand and its history. */
let hub: TestHub;
let harness: SchedulingHarness;
const db = () => hub.ctx.db.kysely;

beforeAll(async () => {
  hub = await createTestHub();
  harness = await startSchedulingHarness();
});
afterAll(async () => {
  await harness.close();
  await hub.cleanup();
});

describe('external scheduling admin routes', () => {
  it('configures a campaign: builtin by default, bilingual problems, the secret never returned, audited without it', async () => {
    const campaignId = await clinicCampaign(db());
    const admin = await createUser(db(), { roles: ['admin'] });
    const auth = bearer(await tokenFor(db(), admin.id));
    const url = `/api/v1/appointments/campaigns/${campaignId}/external`;

    const initial = await hub.app.inject({ method: 'GET', url, headers: auth });
    expect(initial.statusCode).toBe(200);
    expect(initial.json()).toEqual({ settings: { campaignId, mode: 'builtin', baseUrl: null, timeoutMs: 5000, secretSet: false, updatedAt: null }, mirror: null });

    const incomplete = await hub.app.inject({ method: 'PUT', url, headers: auth, payload: { mode: 'mirror', baseUrl: 'http://scheduling.example.mx/api' } });
    expect(incomplete.statusCode).toBe(400);
    const paths = incomplete.json<{ error: { details: { problems: { path: string; message: string }[] } } }>().error.details.problems;
    expect(paths.map((p) => p.path)).toEqual(['baseUrl']);
    expect(paths[0]?.message).toBe('la URL debe usar https (http solo en la misma máquina) / the URL must use https (http only on the same machine)');
    const noSecret = await hub.app.inject({ method: 'PUT', url, headers: auth, payload: { mode: 'mirror', baseUrl: harness.baseUrl } });
    expect(noSecret.statusCode).toBe(400);
    expect(noSecret.json<{ error: { message: string } }>().error.message).toBe('indique el secreto compartido para firmar / give the shared signing secret');

    const saved = await hub.app.inject({ method: 'PUT', url, headers: auth, payload: { mode: 'mirror', baseUrl: harness.baseUrl, secret: harness.secret, timeoutMs: 3000 } });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).not.toContain(harness.secret);
    expect(saved.json()).toMatchObject({ settings: { mode: 'mirror', baseUrl: harness.baseUrl, timeoutMs: 3000, secretSet: true }, mirror: { failingEventId: null, attempts: 0 } });

    // Changing the mode keeps the stored secret.
    const sot = await hub.app.inject({ method: 'PUT', url, headers: auth, payload: { mode: 'source_of_truth' } });
    expect(sot.json()).toMatchObject({ settings: { mode: 'source_of_truth', baseUrl: harness.baseUrl, secretSet: true } });
    const reread = await hub.app.inject({ method: 'GET', url, headers: auth });
    expect(reread.body).not.toContain(harness.secret);

    const audit = await db().selectFrom('audit_log').select(['actor_user_id', 'details']).where('action', '=', 'appointment.external_configured').where('campaign_id', '=', campaignId).orderBy('id').execute();
    expect(audit.map((a) => a.details)).toEqual([
      { from: 'builtin', to: 'mirror', baseUrl: harness.baseUrl, timeoutMs: 3000, secretChanged: true },
      { from: 'mirror', to: 'source_of_truth', baseUrl: harness.baseUrl, timeoutMs: 3000, secretChanged: false },
    ]);
    expect(JSON.stringify(audit)).not.toContain(harness.secret);

    const health = await hub.app.inject({ method: 'GET', url: `${url}/health`, headers: auth });
    expect(health.json()).toEqual({ ok: true, detail: 'ok' });
    expect(harness.accepted('GET', '/api/health')).toHaveLength(1);
  });

  it('only admins: a supervisor of the campaign gets 403 on every route', async () => {
    const campaignId = await clinicCampaign(db());
    const supervisor = await createUser(db(), { roles: ['supervisor'], campaignIds: [campaignId] });
    const auth = bearer(await tokenFor(db(), supervisor.id));
    const url = `/api/v1/appointments/campaigns/${campaignId}/external`;
    const answers = await Promise.all([
      hub.app.inject({ method: 'GET', url, headers: auth }),
      hub.app.inject({ method: 'PUT', url, headers: auth, payload: { mode: 'builtin' } }),
      hub.app.inject({ method: 'POST', url: `${url}/reconcile`, headers: auth, payload: { from: '2026-11-27T00:00:00Z', to: '2026-12-27T00:00:00Z' } }),
      hub.app.inject({ method: 'GET', url: `${url}/reconciliations`, headers: auth }),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([403, 403, 403, 403]);
    expect(await db().selectFrom('appointment_external_settings').select('campaign_id').where('campaign_id', '=', campaignId).execute()).toEqual([]);
  });

  it('reconciles on demand and lists the runs; a campaign on the built-in calendar has nothing to reconcile', async () => {
    const campaignId = await clinicCampaign(db());
    const admin = await createUser(db(), { roles: ['admin'] });
    const auth = bearer(await tokenFor(db(), admin.id));
    const url = `/api/v1/appointments/campaigns/${campaignId}/external`;
    const range = { from: '2026-11-27T00:00:00Z', to: '2026-12-27T00:00:00Z' };

    const builtin = await hub.app.inject({ method: 'POST', url: `${url}/reconcile`, headers: auth, payload: range });
    expect(builtin.statusCode).toBe(409);
    expect(builtin.json<{ error: { message: string } }>().error.message).toMatch(/^la campaña usa el calendario del hub/);

    await hub.app.inject({ method: 'PUT', url, headers: auth, payload: { mode: 'mirror', baseUrl: harness.baseUrl, secret: harness.secret } });
    const booked = await bookAppointment(db(), booking(campaignId, 'c1', local('2026-12-14', '08:00'), 'fam-a', 31), { kind: 'bot' }, { now: NOW });
    const run = await hub.app.inject({ method: 'POST', url: `${url}/reconcile`, headers: auth, payload: { from: '2026-12-14T00:00:00Z', to: '2026-12-15T00:00:00Z' } });
    expect(run.statusCode).toBe(200);
    const body = run.json<{ run: { id: string; counts: Record<string, number>; differences: { folio: string; action: string }[] } }>();
    expect(body.run.counts).toMatchObject({ missing_remote: 1, fixed: 1 });
    expect(body.run.differences).toEqual([expect.objectContaining({ kind: 'missing_remote', folio: booked.folio, action: 'pushed' })]);

    const list = await hub.app.inject({ method: 'GET', url: `${url}/reconciliations`, headers: auth });
    expect(list.json<{ runs: { id: string; status: string; trigger: string }[] }>().runs).toEqual([expect.objectContaining({ id: body.run.id, status: 'completed', trigger: 'manual' })]);

    const bad = await hub.app.inject({ method: 'POST', url: `${url}/reconcile`, headers: auth, payload: { from: '2026-12-15T00:00:00Z', to: '2026-12-14T00:00:00Z' } });
    expect(bad.statusCode).toBe(400);
    const tooLong = await hub.app.inject({ method: 'POST', url: `${url}/reconcile`, headers: auth, payload: { from: '2026-12-01T00:00:00Z', to: '2027-06-01T00:00:00Z' } });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json<{ error: { message: string } }>().error.message).toBe('concilie a lo más 120 días a la vez / reconcile at most 120 days at a time');
  });
});
