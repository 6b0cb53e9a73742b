import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRateCard } from '../../../hub/src/billing/rate-card/default-rate-card.js';
import { bearer, tokenFor } from '../../support/auth.js';
import { createCampaign, createUser } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';

/**
 * Issue 10 item 1 over HTTP: the admin starts a draft from the default card, saves and activates
 * it; supervisors of the campaign and auditors read; agents and foreign supervisors are refused.
 */

let hub: TestHub;
let campaignA: string;
let campaignB: string;
const tokens: Record<string, string> = {};

const call = async (who: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
  const res = await hub.app.inject({ method, url: `/api/v1${url}`, headers: bearer(tokens[who] ?? ''), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  return { status: res.statusCode, body: res.body === '' ? null : res.json() };
};

beforeAll(async () => {
  hub = await createTestHub();
  const db = hub.ctx.db.kysely;
  campaignA = (await createCampaign(db)).id;
  campaignB = (await createCampaign(db)).id;
  for (const [key, roles, campaigns] of [
    ['admin', ['admin'], []],
    ['supA', ['supervisor'], [campaignA]],
    ['supB', ['supervisor'], [campaignB]],
    ['auditorA', ['auditor'], [campaignA]],
    ['agentA', ['agent'], [campaignA]],
  ] as const) {
    const user = await createUser(db, { roles: [...roles], campaignIds: [...campaigns], name: key });
    tokens[key] = await tokenFor(db, user.id);
  }
});
afterAll(async () => {
  await hub?.cleanup();
});

describe('rate card routes', () => {
  it('before any version the campaign shows the default card; the default route serves it to start a draft', async () => {
    const res = await call('supA', 'GET', `/billing/campaigns/${campaignA}/rate-card`);
    expect(res.status).toBe(200);
    expect(res.body.active).toMatchObject({ id: null, version: 0, status: 'default' });
    expect(res.body.draft).toBeNull();
    expect(res.body.versions).toEqual([]);
    const def = await call('auditorA', 'GET', `/billing/campaigns/${campaignA}/rate-card/default`);
    expect(def.status).toBe(200);
    expect(def.body.card.concepts).toHaveLength(17);
    expect(def.body.card).toEqual(defaultRateCard(def.body.card.termEndMonth));
  });

  it('the admin saves a draft from the default card and activates it; the auditor reads the versions', async () => {
    const start = (await call('admin', 'GET', `/billing/campaigns/${campaignA}/rate-card/default`)).body.card;
    // DyC bills without ACW (L7672–L7674) and its term ends in 2028-06.
    const edited = { ...start, billableStates: ['available'], termEndMonth: '2028-06' };
    const saved = await call('admin', 'PUT', `/billing/campaigns/${campaignA}/rate-card/draft`, edited);
    expect(saved.status).toBe(200);
    expect(saved.body.draft).toMatchObject({ version: 1, status: 'draft', card: { billableStates: ['available'], termEndMonth: '2028-06' } });

    const before = await call('auditorA', 'GET', `/billing/campaigns/${campaignA}/rate-card`);
    expect(before.body.active.status).toBe('default');
    expect(before.body.draft).toMatchObject({ id: saved.body.draft.id, version: 1 });

    const activated = await call('admin', 'POST', `/billing/campaigns/${campaignA}/rate-card/activate`);
    expect(activated.status).toBe(200);
    expect(activated.body.active).toMatchObject({ id: saved.body.draft.id, version: 1, status: 'active' });

    const after = await call('auditorA', 'GET', `/billing/campaigns/${campaignA}/rate-card`);
    expect(after.status).toBe(200);
    expect(after.body.active).toMatchObject({ id: saved.body.draft.id, version: 1, status: 'active', card: { billableStates: ['available'] } });
    expect(after.body.draft).toBeNull();
    expect(after.body.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[1, 'active']]);
  });

  it('an invalid draft gets 400 with every problem in Spanish', async () => {
    const start = defaultRateCard('2028-10');
    const bad = { ...start, billableStates: ['offline'], concepts: start.concepts.map((c, i) => (i === 0 ? { ...c, code: 'Entrada PS-I' } : c)) };
    const res = await call('admin', 'PUT', `/billing/campaigns/${campaignA}/rate-card/draft`, bad);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('HUB_ERR_VALIDATION');
    expect(res.body.error.message).toMatch(/^La tarifa no es válida/);
    const paths = res.body.error.details.problems.map((p: { path: string }) => p.path);
    expect(paths).toEqual(['billableStates.0', 'concepts.0.code']);
    expect(res.body.error.details.problems[1].message).toBe('la clave usa de 2 a 40 caracteres a-z, 0-9 o _ / the code must be 2–40 characters a-z, 0-9 or _');
    // Cross-field rules run once the fields are valid: renaming the code orphans the tariff's reference.
    const renamed = { ...bad, billableStates: ['available'], concepts: start.concepts.map((c, i) => (i === 0 ? { ...c, code: 'ps_i_entrada_imss' } : c)) };
    const second = await call('admin', 'PUT', `/billing/campaigns/${campaignA}/rate-card/draft`, renamed);
    expect(second.status).toBe(400);
    expect(second.body.error.details.problems).toEqual([
      { path: 'occupancyTariff.conceptCodes.0', message: 'el concepto «ps_i_inbound_imss_lines» no existe en la tarifa / concept ps_i_inbound_imss_lines is not in the rate card' },
    ]);
    // Neither refused body became a draft.
    expect((await call('admin', 'GET', `/billing/campaigns/${campaignA}/rate-card`)).body.draft).toBeNull();
  });

  it('activating without a draft is 409', async () => {
    const res = await call('admin', 'POST', `/billing/campaigns/${campaignA}/rate-card/activate`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/^No hay un borrador de tarifa para activar/);
  });

  it('roles: agents 403; supervisors and auditors read but cannot change; another campaign’s supervisor 403', async () => {
    const card = defaultRateCard('2028-10');
    expect((await call('agentA', 'GET', `/billing/campaigns/${campaignA}/rate-card`)).status).toBe(403);
    expect((await call('agentA', 'GET', `/billing/campaigns/${campaignA}/rate-card/default`)).status).toBe(403);
    const foreign = await call('supB', 'GET', `/billing/campaigns/${campaignA}/rate-card`);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    expect((await call('supB', 'GET', `/billing/campaigns/${campaignB}/rate-card`)).status).toBe(200);
    for (const who of ['supA', 'auditorA', 'agentA']) {
      const put = await call(who, 'PUT', `/billing/campaigns/${campaignA}/rate-card/draft`, card);
      expect(put.status).toBe(403);
      expect(put.body.error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');
      expect((await call(who, 'POST', `/billing/campaigns/${campaignA}/rate-card/activate`)).status).toBe(403);
    }
    // Nothing the refused calls sent was stored.
    const versions = (await call('admin', 'GET', `/billing/campaigns/${campaignA}/rate-card`)).body.versions;
    expect(versions).toHaveLength(1);
  });

  it('an unknown campaign is 404 for the admin', async () => {
    const res = await call('admin', 'GET', '/billing/campaigns/00000000-0000-4000-8000-000000000000/rate-card');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('HUB_ERR_CAMPAIGN_NOT_FOUND');
    const put = await call('admin', 'PUT', '/billing/campaigns/00000000-0000-4000-8000-000000000000/rate-card/draft', defaultRateCard('2028-10'));
    expect(put.status).toBe(404);
  });
});
