import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solvePow } from '../../hub/src/webchat/pow-captcha.js';
import type { CaptchaChallenge } from '../../hub/src/webchat/widget.contract.js';
import { createCampaign } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { createWebchatChannel, freshWindow, ORIGIN, startVisitor, widgetCall } from './widget-harness.js';

/**
 * Abuse controls of the widget (issue 5 item 5): the self-hosted proof-of-work CAPTCHA on the
 * pre-chat form, and rate limits per IP and per visitor (429 with Retry-After).
 */
describe('web chat widget abuse controls', () => {
  let h: TestHub;
  let channelId: string;
  let powChannelId: string;
  let otherChannelId: string;

  beforeAll(async () => {
    h = await createTestHub();
    const db = h.ctx.db.kysely;
    const campaignId = (await createCampaign(db)).id;
    channelId = (await createWebchatChannel(db, campaignId)).id;
    powChannelId = (await createWebchatChannel(db, campaignId, { captcha: { kind: 'pow', difficulty: 16 } })).id;
    otherChannelId = (await createWebchatChannel(db, (await createCampaign(db)).id)).id;
  });
  afterAll(async () => {
    await h?.cleanup();
  });

  const form = { name: 'Ana López', email: 'ana.lopez@correo.mx' };

  describe('proof-of-work CAPTCHA', () => {
    const challenge = async () => {
      const res = await widgetCall(h.app, { url: `/channels/${powChannelId}/captcha`, body: {} });
      expect(res.statusCode).toBe(200);
      return res.json<CaptchaChallenge>();
    };
    const session = (captcha?: { challenge: string; nonce: string }) =>
      widgetCall(h.app, { url: `/channels/${powChannelId}/sessions`, body: { name: 'Ana', ...(captcha ? { captcha } : {}) } });

    it('issues a 16-bit challenge that lives five minutes and accepts its solution once', async () => {
      const c = await challenge();
      expect(c.challenge).toMatch(/^[0-9a-f]{32}$/);
      expect(c.difficulty).toBe(16);
      expect(Date.parse(c.expiresAt) - Date.now()).toBeGreaterThan(290_000);
      const ttl = await h.ctx.redis.pttl(`${h.config.REDIS_PREFIX}:widget:pow:${c.challenge}`);
      expect(ttl).toBeGreaterThan(290_000);
      expect(ttl).toBeLessThanOrEqual(300_000);
      const solution = { challenge: c.challenge, nonce: solvePow(c.challenge, c.difficulty) };
      expect((await session(solution)).statusCode).toBe(201);
      const reused = await session(solution);
      expect(reused.statusCode).toBe(400);
      expect(reused.json()).toMatchObject({ error: { code: 'HUB_ERR_WIDGET_CAPTCHA' } });
    });

    it('refuses a missing CAPTCHA, a wrong nonce (which burns the challenge), an expired one and one from another channel', async () => {
      expect((await session()).json()).toMatchObject({ error: { code: 'HUB_ERR_WIDGET_CAPTCHA' } });
      const c = await challenge();
      const right = solvePow(c.challenge, 16);
      // solvePow returns the first nonce that works, so any smaller one is wrong.
      const wrong = Number(right) > 0 ? String(Number(right) - 1) : '';
      expect(wrong).not.toBe('');
      expect((await session({ challenge: c.challenge, nonce: wrong })).statusCode).toBe(400);
      expect((await session({ challenge: c.challenge, nonce: right })).statusCode).toBe(400);

      const expiring = await challenge();
      await h.ctx.redis.pexpire(`${h.config.REDIS_PREFIX}:widget:pow:${expiring.challenge}`, 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await session({ challenge: expiring.challenge, nonce: solvePow(expiring.challenge, 16) })).json()).toMatchObject({ error: { code: 'HUB_ERR_WIDGET_CAPTCHA' } });

      const foreign = (await widgetCall(h.app, { url: `/channels/${channelId}/captcha`, body: {} })).statusCode;
      expect(foreign).toBe(404); // that channel uses no CAPTCHA
      await h.ctx.redis.set(`${h.config.REDIS_PREFIX}:widget:pow:${'a'.repeat(32)}`, `${otherChannelId}|8`, 'EX', 60);
      expect((await session({ challenge: 'a'.repeat(32), nonce: solvePow('a'.repeat(32), 8) })).statusCode).toBe(400);
    });
  });

  describe('rate limits', () => {
    const expectLimited = (res: Awaited<ReturnType<typeof widgetCall>>) => {
      expect(res.statusCode).toBe(429);
      expect(res.json()).toMatchObject({ error: { code: 'HUB_ERR_RATE_LIMITED' } });
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    };

    it('limits pre-chat forms and challenges per IP, other addresses unaffected', async () => {
      await freshWindow();
      const limit = h.config.WIDGET_SESSIONS_PER_IP_PER_MINUTE;
      const ip = '198.51.100.20';
      for (let i = 0; i < limit; i += 1) {
        const res = await widgetCall(h.app, { url: `/channels/${channelId}/sessions`, body: form, ip });
        expect(res.statusCode).toBe(201);
      }
      expectLimited(await widgetCall(h.app, { url: `/channels/${channelId}/sessions`, body: form, ip }));
      expectLimited(await widgetCall(h.app, { url: `/channels/${powChannelId}/captcha`, body: {}, ip }));
      expect((await widgetCall(h.app, { url: `/channels/${channelId}/sessions`, body: form, ip: '198.51.100.21' })).statusCode).toBe(201);
    });

    it('limits messages per visitor and per IP', async () => {
      await freshWindow();
      const send = (token: string, ip: string) => widgetCall(h.app, { url: '/messages', token, ip, body: { clientMessageId: randomUUID(), text: 'Hola' } });
      const perVisitor = h.config.WIDGET_MESSAGES_PER_VISITOR_PER_MINUTE;
      const chatty = await startVisitor(h.app, channelId, { ip: '198.51.100.30' });
      for (let i = 0; i < perVisitor; i += 1) expect((await send(chatty.visitorToken, `198.51.100.${100 + i}`)).statusCode).toBe(202);
      expectLimited(await send(chatty.visitorToken, '198.51.100.99'));

      const perIp = h.config.WIDGET_MESSAGES_PER_IP_PER_MINUTE;
      const ip = '192.0.2.40';
      const visitors = await Promise.all(Array.from({ length: Math.ceil(perIp / perVisitor) + 1 }, () => startVisitor(h.app, channelId, { ip: '192.0.2.41' })));
      let accepted = 0;
      for (const v of visitors) {
        for (let i = 0; i < perVisitor && accepted < perIp; i += 1, accepted += 1) expect((await send(v.visitorToken, ip)).statusCode).toBe(202);
      }
      const fresh = visitors.at(-1);
      if (!fresh) throw new Error('no visitor');
      expectLimited(await send(fresh.visitorToken, ip));
    });
  });
});
