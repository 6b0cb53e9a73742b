import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIvrTree } from '@ventanilla/voice-bridge';
import { bearer, tokenFor } from '../../support/auth.js';
import { createCampaign, createUser } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';

/** IVR trees per campaign, versioned like bot models (issue 8 item 2): validated, promoted, audited, role- and campaign-checked. */
describe('IVR models API', () => {
  let hub: TestHub;
  let campaignId: string;
  let otherCampaignId: string;
  const tokens: Record<'admin' | 'supervisor' | 'foreignSupervisor' | 'agent', string> = { admin: '', supervisor: '', foreignSupervisor: '', agent: '' };
  let adminId = '';

  beforeAll(async () => {
    hub = await createTestHub();
    const db = hub.ctx.db.kysely;
    campaignId = (await createCampaign(db)).id;
    otherCampaignId = (await createCampaign(db)).id;
    const admin = await createUser(db, { roles: ['admin'] });
    adminId = admin.id;
    tokens.admin = await tokenFor(db, admin.id);
    tokens.supervisor = await tokenFor(db, (await createUser(db, { roles: ['supervisor'], campaignIds: [campaignId] })).id);
    tokens.foreignSupervisor = await tokenFor(db, (await createUser(db, { roles: ['supervisor'], campaignIds: [otherCampaignId] })).id);
    tokens.agent = await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [campaignId] })).id);
  }, 60_000);
  afterAll(async () => {
    await hub?.cleanup();
  });

  const call = async (method: 'GET' | 'PUT' | 'POST', url: string, token: string, payload?: unknown) => {
    const res = await hub.app.inject({ method, url: `/api/v1/voice/ivr-models${url}`, headers: bearer(token), ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };

  it('refuses an invalid tree with the problems in Spanish, and stores nothing', async () => {
    const broken = { ...demoIvrTree, nodes: { ...demoIvrTree.nodes, 'menu-principal': { type: 'menu', prompt: { text: 'Hola' }, options: [{ digit: '12', next: 'cola-asesor' }] } } };
    const res = await call('PUT', '/draft', tokens.admin, { campaignId, tree: broken });
    expect(res.status).toBe(400);
    const error = res.body['error'] as { code: string; message: string; details: { problems: { path: string; message: string }[] } };
    expect(error.code).toBe('HUB_ERR_IVR_MODEL_INVALID');
    expect(error.message).toMatch(/El menú telefónico tiene \d+ problemas?/);
    const problems = error.details.problems;
    expect(problems.some((p) => p.path === 'nodes.menu-principal.options.0.digit' && p.message.includes('La tecla debe ser un solo carácter'))).toBe(true);
    // A tree the schema accepts but whose start names no node.
    const dangling = await call('PUT', '/draft', tokens.admin, { campaignId, tree: { ...demoIvrTree, start: 'no-existe' } });
    expect(dangling.status).toBe(400);
    const danglingProblems = (dangling.body['error'] as { details: { problems: { path: string; message: string }[] } }).details.problems;
    expect(danglingProblems.some((p) => p.path === 'start' && p.message.includes('no-existe'))).toBe(true);
    const text = await call('PUT', '/draft', tokens.admin, { campaignId, treeText: '{ "name": "sin cerrar"' });
    expect(text.status).toBe(400);
    expect((await call('GET', `?campaignId=${campaignId}`, tokens.admin)).body['items']).toEqual([]);
  });

  it('creates and replaces the draft, promotes it, and archives the previous production version (audited)', async () => {
    const created = await call('PUT', '/draft', tokens.admin, { campaignId, tree: demoIvrTree, note: 'primera versión' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 1, status: 'draft', name: demoIvrTree.name, note: 'primera versión' });
    const v1 = String(created.body['id']);
    const replaced = await call('PUT', '/draft', tokens.admin, { campaignId, treeText: JSON.stringify({ ...demoIvrTree, name: 'Demo v1 corregida' }) });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: v1, version: 1, name: 'Demo v1 corregida' });

    const promoted = await call('POST', `/${v1}/promote`, tokens.admin);
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ model: { id: v1, status: 'production' }, archivedId: null });
    expect((await call('POST', `/${v1}/promote`, tokens.admin)).status).toBe(409);

    const v2 = String((await call('PUT', '/draft', tokens.admin, { campaignId, tree: { ...demoIvrTree, name: 'Demo v2' } })).body['id']);
    const second = await call('POST', `/${v2}/promote`, tokens.admin);
    expect(second.body).toMatchObject({ model: { id: v2, version: 2, status: 'production' }, archivedId: v1 });
    const list = await call('GET', `?campaignId=${campaignId}`, tokens.supervisor);
    expect(list.status).toBe(200);
    expect((list.body['items'] as { id: string; status: string }[]).map((m) => [m.id, m.status])).toEqual([
      [v2, 'production'],
      [v1, 'archived'],
    ]);
    const detail = await call('GET', `/${v2}`, tokens.supervisor);
    expect(detail.body).toMatchObject({ id: v2, tree: { name: 'Demo v2', start: 'horario' } });

    const audit = await hub.ctx.db.kysely.selectFrom('audit_log').select(['action', 'target_id', 'actor_user_id']).where('campaign_id', '=', campaignId).where('action', 'like', 'ivr_model.%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['ivr_model.draft_saved', 'ivr_model.draft_saved', 'ivr_model.promoted', 'ivr_model.draft_saved', 'ivr_model.promoted']);
    expect(audit.every((a) => a.actor_user_id === adminId)).toBe(true);
  });

  it('supervisors only read their own campaign; agents and supervisors cannot edit (403)', async () => {
    const list = await call('GET', `?campaignId=${campaignId}`, tokens.supervisor);
    const someId = (list.body['items'] as { id: string }[])[0]?.id ?? '';
    expect((await call('GET', `?campaignId=${campaignId}`, tokens.foreignSupervisor)).status).toBe(403);
    expect((await call('GET', `/${someId}`, tokens.foreignSupervisor)).status).toBe(403);
    expect((await call('GET', `?campaignId=${campaignId}`, tokens.agent)).status).toBe(403);
    const edit = await call('PUT', '/draft', tokens.supervisor, { campaignId, tree: demoIvrTree });
    expect(edit.status).toBe(403);
    expect(edit.body['error']).toMatchObject({ code: 'HUB_ERR_FORBIDDEN_ROLE' });
    expect((await call('PUT', '/draft', tokens.foreignSupervisor, { campaignId: otherCampaignId, tree: demoIvrTree })).status).toBe(403);
    const draft = await call('PUT', '/draft', tokens.admin, { campaignId, tree: demoIvrTree });
    expect((await call('POST', `/${String(draft.body['id'])}/promote`, tokens.supervisor)).status).toBe(403);
    expect((await call('GET', '/00000000-0000-4000-8000-000000000000', tokens.admin)).status).toBe(404);
    expect((await call('PUT', '/draft', tokens.admin, { campaignId, tree: demoIvrTree, treeText: '{}' })).status).toBe(400);
  });
});
