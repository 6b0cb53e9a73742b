import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, createUser } from '../support/factories.js';
import { createQueue } from '../support/router-factories.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createTestHub, type TestHub } from '../support/test-context.js';

/** REST of the wallboard: roles per campaign, thresholds CRUD (each change audited), the SLA's measuring rules. */
describe('wallboard REST', () => {
  let hub: TestHub;
  let campaignId: string;
  let queueId: string;
  let foreignQueue: string;
  const tokens = { admin: '', supervisor: '', foreign: '', agent: '' };
  let supervisorId: string;
  const db = () => hub.ctx.db.kysely;

  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, token: string, payload?: unknown) => {
    const res = await hub.app.inject({ method, url: `/api/v1${url}`, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
    return { status: res.statusCode, body: res.body.length > 0 ? (res.json() as Record<string, unknown>) : null };
  };

  beforeAll(async () => {
    hub = await createTestHub();
    campaignId = (await createCampaign(db())).id;
    const other = (await createCampaign(db())).id;
    queueId = await createQueue(db(), campaignId, { name: 'General', isDefault: true });
    foreignQueue = await createQueue(db(), other, { name: 'Ajena' });
    const admin = await createUser(db(), { roles: ['admin'] });
    const supervisor = await createUser(db(), { roles: ['supervisor'], campaignIds: [campaignId] });
    supervisorId = supervisor.id;
    const foreign = await createUser(db(), { roles: ['supervisor'], campaignIds: [other] });
    const agent = await createUser(db(), { roles: ['agent'], campaignIds: [campaignId] });
    tokens.admin = await tokenFor(db(), admin.id);
    tokens.supervisor = await tokenFor(db(), supervisor.id);
    tokens.foreign = await tokenFor(db(), foreign.id);
    tokens.agent = await tokenFor(db(), agent.id);
  });
  afterAll(async () => hub?.cleanup());

  it('serves the snapshot to admins and the campaign’s supervisors only', async () => {
    const ok = await call('GET', `/wallboard/${campaignId}`, tokens.supervisor);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ campaignId, cause: 'request', totals: { waiting: 0 }, alerts: [] });
    expect((await call('GET', `/wallboard/${campaignId}`, tokens.admin)).status).toBe(200);
    expect((await call('GET', `/wallboard/${campaignId}`, tokens.agent)).body).toMatchObject({ error: { code: 'HUB_ERR_FORBIDDEN_ROLE' } });
    expect((await call('GET', `/wallboard/${campaignId}`, tokens.foreign)).body).toMatchObject({ error: { code: 'HUB_ERR_FORBIDDEN_CAMPAIGN' } });
    expect((await call('GET', `/wallboard/00000000-0000-4000-8000-000000000000`, tokens.admin)).status).toBe(404);
  });

  it('creates, changes and deletes thresholds with an audit entry each; bad input is refused whole', async () => {
    const created = await call('POST', `/wallboard/${campaignId}/thresholds`, tokens.supervisor, { queueId, metric: 'service_level_percent', value: 80 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ queueId, metric: 'service_level_percent', direction: 'below', value: 80 });
    const id = String(created.body?.['id']);
    expect((await call('POST', `/wallboard/${campaignId}/thresholds`, tokens.supervisor, { queueId, metric: 'service_level_percent', value: 70 })).body).toMatchObject({ error: { code: 'HUB_ERR_CONFLICT' } });
    const bad = await call('POST', `/wallboard/${campaignId}/thresholds`, tokens.supervisor, { queueId: null, metric: 'abandonment_percent', value: 120 });
    expect(bad.status).toBe(400);
    expect((await call('POST', `/wallboard/${campaignId}/thresholds`, tokens.supervisor, { queueId: null, metric: 'colour', value: 1 })).status).toBe(400);
    expect((await call('POST', `/wallboard/${campaignId}/thresholds`, tokens.supervisor, { queueId: foreignQueue, metric: 'waiting', value: 1 })).body).toMatchObject({ error: { code: 'HUB_ERR_QUEUE_NOT_FOUND' } });
    expect((await call('POST', `/wallboard/${campaignId}/thresholds`, tokens.agent, { queueId: null, metric: 'waiting', value: 1 })).status).toBe(403);
    expect((await call('PATCH', `/wallboard/${campaignId}/thresholds/${id}`, tokens.supervisor, { value: 101 })).status).toBe(400);
    expect((await call('PATCH', `/wallboard/${campaignId}/thresholds/${id}`, tokens.supervisor, { value: 85 })).body).toMatchObject({ value: 85 });
    expect((await call('GET', `/wallboard/${campaignId}/thresholds`, tokens.foreign)).status).toBe(403);
    expect((await call('GET', `/wallboard/${campaignId}/thresholds`, tokens.supervisor)).body).toMatchObject({ items: [{ id, value: 85 }] });
    expect((await call('DELETE', `/wallboard/${campaignId}/thresholds/${id}`, tokens.supervisor)).status).toBe(204);
    expect((await call('DELETE', `/wallboard/${campaignId}/thresholds/${id}`, tokens.supervisor)).status).toBe(404);
    const audit = await db().selectFrom('audit_log').select(['action', 'actor_user_id', 'details']).where('campaign_id', '=', campaignId).where('action', 'like', 'wallboard.%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['wallboard.threshold_created', 'wallboard.threshold_updated', 'wallboard.threshold_deleted']);
    expect(audit.every((a) => a.actor_user_id === supervisorId)).toBe(true);
    expect(audit[1]?.details).toMatchObject({ from: 80, to: 85 });
  });

  it('applies the measuring rules saved under «Niveles de servicio (SLA)»; the board has no settings of its own', async () => {
    expect((await call('GET', `/wallboard/${campaignId}`, tokens.supervisor)).body).toMatchObject({ serviceLevel: { denominator: 'attended', thresholdSeconds: 20, shortAbandonSeconds: 0 } });
    const saved = await call('PUT', `/sla/campaigns/${campaignId}/contract`, tokens.admin, {
      contractStartMonth: '2026-01',
      maxContractAmountWithoutIvaCents: 100_000_000,
      serviceLevelDenominator: 'received',
      serviceLevelThresholdSeconds: 30,
      shortAbandonThresholdSeconds: 5,
    });
    expect(saved.status).toBe(200);
    expect((await call('GET', `/wallboard/${campaignId}`, tokens.supervisor)).body).toMatchObject({ serviceLevel: { denominator: 'received', thresholdSeconds: 30, shortAbandonSeconds: 5 } });
    // One place for one rule: the old wallboard copy is gone.
    expect((await call('GET', `/wallboard/${campaignId}/settings`, tokens.admin)).status).toBe(404);
    expect((await call('PUT', `/wallboard/${campaignId}/settings`, tokens.admin, { serviceLevelDenominator: 'attended', serviceLevelThresholdSeconds: 20, shortAbandonSeconds: 0 })).status).toBe(404);
    const tables = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${hub.config.DATABASE_SCHEMA} AND table_name LIKE 'wallboard%'`.execute(db());
    expect(tables.rows.map((t) => t.name).sort()).toEqual(['wallboard_thresholds']);
  });
});
