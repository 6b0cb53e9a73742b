import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { createCampaign, createUser } from '../support/factories.js';
import { bearer, tokenFor } from '../support/auth.js';
import { messageBody, signedHeaders } from '../support/webhook.js';

describe('campaigns and channels admin API', () => {
  let hub: TestHub;
  let adminToken: string;
  let supervisorToken: string;
  let outsiderToken: string;
  let campaignId: string;

  beforeAll(async () => {
    hub = await createTestHub();
    const db = hub.ctx.db.kysely;
    campaignId = (await createCampaign(db, { prefix: 'DH', slug: 'derechohabientes' })).id;
    const other = await createCampaign(db);
    adminToken = await tokenFor(db, (await createUser(db, { roles: ['admin'] })).id);
    supervisorToken = await tokenFor(db, (await createUser(db, { roles: ['supervisor'], campaignIds: [campaignId] })).id);
    outsiderToken = await tokenFor(db, (await createUser(db, { roles: ['supervisor'], campaignIds: [other.id] })).id);
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: unknown) =>
    hub.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });

  it('lets only admins create campaigns, with unique slug and folio prefix, audited', async () => {
    expect((await api('POST', '/api/v1/campaigns', supervisorToken, { slug: 'contribuyentes', name: 'Contribuyentes', folioPrefix: 'CO' })).json().error.code).toBe(
      'HUB_ERR_FORBIDDEN_ROLE',
    );
    const created = await api('POST', '/api/v1/campaigns', adminToken, { slug: 'contribuyentes', name: 'Contribuyentes', folioPrefix: 'CO' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ slug: 'contribuyentes', folioPrefix: 'CO', timeZone: 'America/Mexico_City' });
    const dup = await api('POST', '/api/v1/campaigns', adminToken, { slug: 'otra', name: 'Otra', folioPrefix: 'CO' });
    expect(dup.statusCode).toBe(409);
    const bad = await api('POST', '/api/v1/campaigns', adminToken, { slug: 'Mal Slug', name: 'X', folioPrefix: 'c1' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('folioPrefix');
    const zone = await api('POST', '/api/v1/campaigns', adminToken, { slug: 'zona', name: 'Zona', folioPrefix: 'ZN', timeZone: 'Mars/Olympus' });
    expect(zone.statusCode).toBe(400);
    const audit = await hub.ctx.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'campaign.created').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.target_id).toBe(created.json().id);
    const renamed = await api('PATCH', `/api/v1/campaigns/${created.json().id}`, adminToken, { name: 'Patrones y contribuyentes', timeZone: 'America/Cancun' });
    expect(renamed.json()).toMatchObject({ name: 'Patrones y contribuyentes', timeZone: 'America/Cancun', folioPrefix: 'CO' });
    expect((await api('PATCH', `/api/v1/campaigns/${campaignId}`, supervisorToken, { name: 'Nope' })).statusCode).toBe(403);
    const updated = await hub.ctx.db.kysely.selectFrom('audit_log').select('details').where('action', '=', 'campaign.updated').executeTakeFirstOrThrow();
    expect(updated.details).toMatchObject({ before: { name: 'Contribuyentes' }, after: { name: 'Patrones y contribuyentes', timeZone: 'America/Cancun' } });
    // Members see their campaigns only.
    const mine = (await api('GET', '/api/v1/campaigns', supervisorToken)).json().items.map((c: { id: string }) => c.id);
    expect(mine).toEqual([campaignId]);
  });

  it('creates a channel whose secret is shown once, works on its webhook, and can be disabled or rotated', async () => {
    expect((await api('POST', `/api/v1/campaigns/${campaignId}/channels`, supervisorToken, { kind: 'api', name: 'CRM' })).statusCode).toBe(403);
    expect((await api('POST', `/api/v1/campaigns/${campaignId}/channels`, adminToken, { kind: 'telegram', name: 'X' })).statusCode).toBe(400);
    expect((await api('POST', `/api/v1/campaigns/${campaignId}/channels`, adminToken, { kind: 'api', name: 'CRM', settings: { callbackUrl: 'not a url' } })).statusCode).toBe(400);

    const created = await api('POST', `/api/v1/campaigns/${campaignId}/channels`, adminToken, { kind: 'api', name: 'CRM institucional', settings: { callbackUrl: 'https://crm.example.mx/hub' } });
    expect(created.statusCode).toBe(201);
    const channel = created.json();
    const secret: string = channel.secrets.signingSecret;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(channel.webhookPath).toBe(`/webhooks/api/${channel.id}`);

    const listed = await api('GET', `/api/v1/campaigns/${campaignId}/channels`, supervisorToken);
    expect(listed.statusCode).toBe(200);
    expect(JSON.stringify(listed.json())).not.toContain(secret);
    expect((await api('GET', `/api/v1/campaigns/${campaignId}/channels`, outsiderToken)).json().error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');

    const post = (s: string, id: string) => {
      const body = messageBody({ id, phone: '+52 55 4444 5555' });
      return hub.app.inject({ method: 'POST', url: channel.webhookPath, headers: signedHeaders(s, body), payload: body });
    };
    expect((await post(secret, 'c-1')).statusCode).toBe(200);

    const rotated = await api('PATCH', `/api/v1/channels/${channel.id}`, adminToken, { rotateSecrets: true });
    expect(rotated.statusCode).toBe(200);
    const fresh: string = rotated.json().secrets.signingSecret;
    expect(fresh).not.toBe(secret);
    expect((await post(secret, 'c-2')).statusCode).toBe(401);
    expect((await post(fresh, 'c-3')).statusCode).toBe(200);

    const disabled = await api('PATCH', `/api/v1/channels/${channel.id}`, adminToken, { enabled: false });
    expect(disabled.json()).toMatchObject({ enabled: false });
    expect(disabled.json().secrets).toBeUndefined();
    expect((await post(fresh, 'c-4')).json().error.code).toBe('HUB_ERR_CHANNEL_NOT_FOUND');

    const actions = (await hub.ctx.db.kysely.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', channel.id).orderBy('id').execute()).map((a) => a.action);
    expect(actions).toEqual(['channel.created', 'channel.updated', 'channel.updated']);
    const details = JSON.stringify(await hub.ctx.db.kysely.selectFrom('audit_log').select('details').where('target_id', '=', channel.id).execute());
    expect(details).not.toContain(secret);
    expect(details).not.toContain(fresh);
  });
});
