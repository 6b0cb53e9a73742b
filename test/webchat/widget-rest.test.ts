import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestMessage } from '../../hub/src/ingest/ingest-message.usecase.js';
import type { WidgetConfig } from '../../hub/src/webchat/widget.contract.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { createWebchatChannel, FOREIGN_ORIGIN, ORIGIN, OTHER_ORIGIN, startVisitor, widgetCall } from './widget-harness.js';

/**
 * The widget's public REST surface before and around the chat itself (issue 5 items 1–2, 5–6):
 * configuration and CORS per channel, the pre-chat form, visitor tokens bound to a site and a
 * channel, and what staff see of a visitor. CAPTCHA and rate limits: widget-abuse.test.ts.
 */
describe('web chat widget REST', () => {
  let h: TestHub;
  let campaignId: string;
  let channelId: string;
  let otherChannelId: string;

  beforeAll(async () => {
    h = await createTestHub();
    const db = h.ctx.db.kysely;
    campaignId = (await createCampaign(db)).id;
    channelId = (
      await createWebchatChannel(db, campaignId, {
        title: 'Chat del IMSS',
        prechat: {
          fields: [
            { name: 'name', required: true },
            { name: 'email', required: false },
            { name: 'phone', required: false },
            { name: 'topic', required: true },
          ],
          topics: [
            { id: 'citas', label: 'Citas médicas' },
            { id: 'pensiones', label: 'Pensiones' },
          ],
        },
      })
    ).id;
    otherChannelId = (await createWebchatChannel(db, (await createCampaign(db)).id)).id;
  });
  afterAll(async () => {
    await h?.cleanup();
  });

  const form = { name: 'Ana López', email: 'Ana.Lopez@Correo.MX', phone: '55 1234 5678', topic: 'citas' };

  describe('configuration and CORS', () => {
    it('serves the public configuration to an allowed page, reflecting its origin', async () => {
      const res = await widgetCall(h.app, { url: `/channels/${channelId}/config` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(res.headers['vary']).toContain('Origin');
      const config = res.json<WidgetConfig>();
      expect(config).toMatchObject({
        channelId,
        title: 'Chat del IMSS',
        locale: 'es-MX',
        colors: { primary: '#0b5c4c', onPrimary: '#ffffff' },
        position: 'bottom-right',
        open: true,
        captcha: { kind: 'none' },
        attachments: { enabled: true, maxBytes: 5 * 1024 * 1024 },
        survey: true,
        // No e-mail channel in this campaign: nowhere to leave a message or send a transcript.
        leaveMessage: false,
        transcriptByEmail: false,
      });
      expect(config.prechat.topics.map((t) => t.id)).toEqual(['citas', 'pensiones']);
      const other = await widgetCall(h.app, { url: `/channels/${channelId}/config`, origin: OTHER_ORIGIN });
      expect(other.headers['access-control-allow-origin']).toBe(OTHER_ORIGIN);
    });

    it('refuses another site, or no Origin at all, with 403 and no CORS headers', async () => {
      for (const origin of [FOREIGN_ORIGIN, null, `${ORIGIN}:8443`]) {
        const res = await widgetCall(h.app, { url: `/channels/${channelId}/config`, origin });
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ error: { code: 'HUB_ERR_WIDGET_ORIGIN' } });
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
      }
      const refused = await widgetCall(h.app, { url: `/channels/${channelId}/sessions`, origin: FOREIGN_ORIGIN, body: { nonsense: 1 } });
      expect(refused.statusCode).toBe(403);
    });

    it("takes the hub's own origin for a same-origin GET without Origin (the hub's demo page), only when the channel allows it", async () => {
      // Through the hub's TLS-terminating proxy (a private address, trusted by TRUST_PROXY's default).
      const sameOrigin = (host: string, site = 'same-origin', ip = '10.0.0.5') =>
        widgetCall(h.app, { url: `/channels/${channelId}/config`, origin: null, ip, headers: { 'sec-fetch-site': site, host, 'x-forwarded-proto': 'https' } });
      expect((await sameOrigin('www.gob.mx')).statusCode).toBe(200);
      expect((await sameOrigin('hub.example.com')).statusCode).toBe(403);
      expect((await sameOrigin('www.gob.mx', 'cross-site')).statusCode).toBe(403);
      // A client on the internet claiming https itself is not believed: its page is http://www.gob.mx, not allowed.
      expect((await sameOrigin('www.gob.mx', 'same-origin', '203.0.113.10')).statusCode).toBe(403);
    });

    it('answers preflights for allowed origins only (channel routes and token routes)', async () => {
      const ok = await widgetCall(h.app, {
        method: 'OPTIONS',
        url: `/channels/${channelId}/sessions`,
        headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(ok.statusCode).toBe(204);
      expect(ok.headers).toMatchObject({ 'access-control-allow-origin': ORIGIN, vary: 'Origin' });
      expect(ok.headers['access-control-allow-methods']).toContain('POST');
      expect(String(ok.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
      const tokenRoute = await widgetCall(h.app, { method: 'OPTIONS', url: '/messages', headers: { 'access-control-request-method': 'POST' } });
      expect(tokenRoute.statusCode).toBe(204);
      expect(tokenRoute.headers['access-control-allow-origin']).toBe(ORIGIN);
      for (const url of [`/channels/${channelId}/sessions`, '/messages']) {
        const refused = await widgetCall(h.app, { method: 'OPTIONS', url, origin: FOREIGN_ORIGIN, headers: { 'access-control-request-method': 'POST' } });
        expect(refused.statusCode).toBe(403);
        expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      }
    });

    it('answers for enabled web chat channels only', async () => {
      const disabled = await createWebchatChannel(h.ctx.db.kysely, campaignId, {}, false);
      expect((await widgetCall(h.app, { url: `/channels/${disabled.id}/config` })).statusCode).toBe(404);
      expect((await widgetCall(h.app, { url: '/channels/not-a-channel/config' })).statusCode).toBe(404);
    });
  });

  describe('pre-chat form', () => {
    it("requires the channel's fields and checks e-mail, phone and topic", async () => {
      const post = (body: Record<string, unknown>) => widgetCall(h.app, { url: `/channels/${channelId}/sessions`, body });
      const cases: [Record<string, unknown>, string][] = [
        [{ ...form, name: '  ' }, 'name'],
        [{ ...form, topic: undefined }, 'topic'],
        [{ ...form, email: 'ana@' }, 'email'],
        [{ ...form, phone: '12' }, 'phone'],
        [{ ...form, topic: 'impuestos' }, 'topic'],
      ];
      for (const [body, field] of cases) {
        const res = await post(body);
        expect(res.statusCode, field).toBe(400);
        const error = res.json<{ error: { code: string; message: string; details: { path: string }[] } }>().error;
        expect(error.code).toBe('HUB_ERR_VALIDATION');
        expect(error.details.map((d) => d.path)).toContain(field);
        expect(error.message).toMatch(/Revise el formulario/);
        // An allowed page can read the error.
        expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      }
    });

    it('stores what the visitor typed, the IP and user agent — and no contact identity from it', async () => {
      const res = await widgetCall(h.app, { url: `/channels/${channelId}/sessions`, body: form, ip: '201.141.23.7' });
      expect(res.statusCode).toBe(201);
      const { visitorId, visitorToken } = res.json<{ visitorId: string; visitorToken: string }>();
      expect(visitorToken.split('.')).toHaveLength(3);
      const row = await h.ctx.db.kysely.selectFrom('webchat_sessions').selectAll().where('visitor_id', '=', visitorId).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ channel_id: channelId, campaign_id: campaignId, origin: ORIGIN, name: 'Ana López', email: 'ana.lopez@correo.mx', phone: '55 1234 5678', topic: 'citas', ip: '201.141.23.7', visit_count: 1 });
      expect(row.user_agent).toContain('Prueba/1.0');
      const identities = await h.ctx.db.kysely.selectFrom('contact_identities').select('value').where('value', 'in', ['ana.lopez@correo.mx', '+525512345678']).execute();
      expect(identities).toEqual([]);
    });

    it('resumes an earlier visitor with its token, counting the visit', async () => {
      const first = await startVisitor(h.app, channelId, { topic: 'citas' });
      const again = await startVisitor(h.app, channelId, { topic: 'pensiones', visitorToken: first.visitorToken });
      expect(again.visitorId).toBe(first.visitorId);
      const row = await h.ctx.db.kysely.selectFrom('webchat_sessions').select(['visit_count', 'topic']).where('visitor_id', '=', first.visitorId).executeTakeFirstOrThrow();
      expect(row).toEqual({ visit_count: 2, topic: 'pensiones' });
      // A token that no longer verifies just starts a new visitor.
      const fresh = await startVisitor(h.app, channelId, { topic: 'citas', visitorToken: `${first.visitorToken.slice(0, -4)}AAAA` });
      expect(fresh.visitorId).not.toBe(first.visitorId);
    });
  });

  describe('visitor tokens', () => {
    it('refuses a token used from another site, even one the channel allows', async () => {
      const { visitorToken } = await startVisitor(h.app, channelId, { topic: 'citas' });
      expect((await widgetCall(h.app, { url: '/session', token: visitorToken })).statusCode).toBe(200);
      for (const origin of [OTHER_ORIGIN, FOREIGN_ORIGIN]) {
        const res = await widgetCall(h.app, { url: '/session', token: visitorToken, origin });
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ error: { code: 'HUB_ERR_WIDGET_ORIGIN' } });
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
      }
    });

    it("refuses another channel's token, a token whose channel was edited, a staff token and none", async () => {
      const other = await startVisitor(h.app, otherChannelId);
      const res = await widgetCall(h.app, { url: `/channels/${channelId}/sessions`, body: { ...form, visitorToken: other.visitorToken } });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'HUB_ERR_WIDGET_TOKEN_CHANNEL' } });

      const [header, payload, signature] = other.visitorToken.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, chn: channelId })).toString('base64url')}.${signature}`;
      const staff = await tokenFor(h.ctx.db.kysely, (await createUser(h.ctx.db.kysely, { roles: ['admin'] })).id);
      for (const token of [forged, staff, undefined]) {
        const denied = await widgetCall(h.app, { url: '/session', ...(token ? { token } : {}) });
        expect(denied.statusCode).toBe(401);
        expect(denied.json()).toMatchObject({ error: { code: 'HUB_ERR_WIDGET_TOKEN_INVALID' } });
        expect(denied.headers['access-control-allow-origin']).toBe(ORIGIN);
      }
    });
  });

  describe('staff view of a visitor', () => {
    it('shows the pre-chat data, with the IP masked for agents only when the channel says so', async () => {
      const db = h.ctx.db.kysely;
      const visitor = await widgetCall(h.app, { url: `/channels/${channelId}/sessions`, body: form, ip: '201.141.23.7' });
      const { visitorId } = visitor.json<{ visitorId: string }>();
      const channel = await h.ctx.channels.get(channelId);
      if (!channel) throw new Error('channel not loaded');
      const stored = await ingestMessage(db, channel, {
        type: 'message',
        providerMessageId: `wc:${randomUUID()}`,
        occurredAt: new Date().toISOString(),
        contact: { externalId: visitorId, name: 'Ana López' },
        content: { type: 'text', text: 'Hola' },
      });
      if (stored.outcome !== 'stored') throw new Error('not stored');
      const agent = await createUser(db, { roles: ['agent'], campaignIds: [campaignId] });
      const supervisor = await createUser(db, { roles: ['supervisor'], campaignIds: [campaignId] });
      const stranger = await createUser(db, { roles: ['agent'], campaignIds: [(await createCampaign(db)).id] });
      const view = async (userId: string) =>
        h.app.inject({ method: 'GET', url: `/api/v1/conversations/${stored.conversationId}/webchat`, headers: bearer(await tokenFor(db, userId)) });

      const seenByAgent = await view(agent.id);
      expect(seenByAgent.statusCode).toBe(200);
      expect(seenByAgent.json()).toMatchObject({
        name: 'Ana López',
        email: 'ana.lopez@correo.mx',
        phone: '55 1234 5678',
        topic: 'Citas médicas',
        origin: ORIGIN,
        ip: '201.141.xxx.xxx',
        visitCount: 1,
      });
      expect(seenByAgent.json<{ userAgent: string }>().userAgent).toContain('Prueba/1.0');
      expect((await view(supervisor.id)).json()).toMatchObject({ ip: '201.141.23.7' });
      expect((await view(stranger.id)).statusCode).toBe(403);

      await db.updateTable('channels').set({ settings: JSON.stringify({ allowedOrigins: [ORIGIN], captcha: { kind: 'none' }, maskIp: false }) }).where('id', '=', channelId).execute();
      h.ctx.channels.invalidate(channelId);
      expect((await view(agent.id)).json()).toMatchObject({ ip: '201.141.23.7' });
    });
  });
});
