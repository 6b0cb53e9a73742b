import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whatsappWebStateStore } from '../../hub/src/whatsapp-web/whatsapp-web-manager.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';

/** GET /api/v1/channels/:id/whatsapp-web: the pairing panel's data, for admins only (the QR links the institution's number). */
describe('WhatsApp Web pairing status route', () => {
  let h: TestHub;
  let channelId: string;
  let disabledId: string;
  let apiChannelId: string;
  let adminToken: string;
  let supervisorToken: string;
  let agentToken: string;

  beforeAll(async () => {
    h = await createTestHub();
    const db = h.ctx.db.kysely;
    const campaign = await createCampaign(db);
    const insert = (enabled: boolean) =>
      db.insertInto('channels').values({ campaign_id: campaign.id, kind: 'whatsapp_web', name: 'WhatsApp', settings: '{}', secrets: '{}', enabled }).returning('id').executeTakeFirstOrThrow();
    channelId = (await insert(true)).id;
    disabledId = (await insert(false)).id;
    apiChannelId = (await createApiChannel(db, campaign.id)).channel.id;
    adminToken = await tokenFor(db, (await createUser(db, { roles: ['admin'] })).id);
    supervisorToken = await tokenFor(db, (await createUser(db, { roles: ['supervisor'], campaignIds: [campaign.id] })).id);
    agentToken = await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [campaign.id] })).id);
  });

  afterAll(async () => {
    await h.cleanup();
  });

  const get = (id: string, token?: string) => h.app.inject({ method: 'GET', url: `/api/v1/channels/${id}/whatsapp-web`, headers: token ? bearer(token) : {} });

  it('is refused without a token, and to supervisors and agents of the campaign', async () => {
    expect((await get(channelId)).statusCode).toBe(401);
    for (const token of [supervisorToken, agentToken]) {
      const response = await get(channelId, token);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: { code: 'HUB_ERR_FORBIDDEN_ROLE' } });
    }
  });

  it('answers 404 for an unknown channel or one of another kind', async () => {
    expect((await get('00000000-0000-4000-8000-000000000000', adminToken)).json()).toMatchObject({ error: { code: 'HUB_ERR_CHANNEL_NOT_FOUND' } });
    expect((await get(apiChannelId, adminToken)).statusCode).toBe(404);
  });

  it('says "starting" before a worker publishes anything, and "disconnected" for a disabled channel', async () => {
    expect((await get(channelId, adminToken)).json()).toMatchObject({ state: 'starting' });
    expect((await get(disabledId, adminToken)).json()).toMatchObject({ state: 'disconnected' });
  });

  it('lets only admins ask to unlink the number', async () => {
    const post = (token: string) => h.app.inject({ method: 'POST', url: `/api/v1/channels/${channelId}/whatsapp-web/logout`, headers: bearer(token) });
    expect((await post(supervisorToken)).statusCode).toBe(403);
    const store = whatsappWebStateStore(h.ctx);
    expect(await store.takeLogout(channelId)).toBe(false);
    expect((await post(adminToken)).statusCode).toBe(202);
    expect(await store.takeLogout(channelId)).toBe(true);
    expect(await store.takeLogout(channelId)).toBe(false);
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/channels/${apiChannelId}/whatsapp-web/logout`, headers: bearer(adminToken) })).statusCode).toBe(404);
  });

  it('renders the latest QR as a PNG data URL while pairing, and the phone once ready', async () => {
    const store = whatsappWebStateStore(h.ctx);
    await store.setQr(channelId, '2@Xb9qvQkz1b8mY3V0a,Lk8n3+2Jf0uQk=,A1b2C3d4E5f6=,Zx9=');
    const pairing = await get(channelId, adminToken);
    expect(pairing.statusCode).toBe(200);
    expect(pairing.headers['cache-control']).toBe('no-store');
    const body = pairing.json<{ state: string; qrDataUrl?: string; since: string }>();
    expect(body.state).toBe('qr');
    expect(body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(body.qrDataUrl?.split(',')[1] ?? '', 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');

    await store.setState(channelId, 'ready', { phone: '5215599990000' });
    const ready = (await get(channelId, adminToken)).json<Record<string, unknown>>();
    expect(ready).toMatchObject({ state: 'ready', phone: '5215599990000' });
    expect(ready['qrDataUrl']).toBeUndefined();
  });
});
