import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiChannel, createCampaign } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { messageBody, signedHeaders } from '../support/webhook.js';

/**
 * Issue 12 item 3, webhook rate limit: an address that keeps sending forged webhooks is refused
 * (429 with Retry-After) for the rest of the minute, signed or not; other addresses — the
 * provider's — are not affected, and correctly signed traffic never counts toward the limit.
 */
describe('webhook rate limit on forgers', () => {
  let hub: TestHub;
  let channel: { id: string; secret: string };
  const LIMIT = 5;

  beforeAll(async () => {
    hub = await createTestHub({ WEBHOOK_BAD_SIGNATURES_PER_IP_PER_MINUTE: String(LIMIT) });
    const campaign = await createCampaign(hub.ctx.db.kysely);
    const created = await createApiChannel(hub.ctx.db.kysely, campaign.id);
    channel = { id: created.channel.id, secret: created.secret };
  });
  afterAll(async () => hub?.cleanup());

  const post = (ip: string, n: number, signed: boolean) => {
    const body = messageBody({ id: `guard-${ip}-${n}-${signed}`, phone: '55 1234 5678', text: 'Hola' });
    const headers = signed ? signedHeaders(channel.secret, body) : signedHeaders('not-the-secret', body);
    return hub.app.inject({ method: 'POST', url: `/webhooks/api/${channel.id}`, headers: { ...headers, 'x-forwarded-for': ip }, payload: body });
  };

  it('signed requests never count: many from one address are all accepted', async () => {
    for (let n = 0; n < LIMIT * 3; n += 1) expect((await post('203.0.113.10', n, true)).statusCode).toBe(200);
  });

  it('past the limit of forged requests the address gets 429 with Retry-After, even for a signed one; another address is untouched', async () => {
    for (let n = 0; n < LIMIT; n += 1) expect((await post('203.0.113.66', n, false)).statusCode).toBe(401);
    const refused = await post('203.0.113.66', 100, false);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ error: { code: 'HUB_ERR_RATE_LIMITED' } });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Refused before any work: a correctly signed request from the forger's address is refused too.
    expect((await post('203.0.113.66', 101, true)).statusCode).toBe(429);
    // The provider's address keeps working.
    expect((await post('203.0.113.10', 200, true)).statusCode).toBe(200);
  });

  it('an X-Forwarded-For from a client that is not a trusted proxy is ignored', async () => {
    const viaUntrusted = await createTestHub({ TRUST_PROXY: '10.9.9.9', WEBHOOK_BAD_SIGNATURES_PER_IP_PER_MINUTE: '2' });
    try {
      const campaign = await createCampaign(viaUntrusted.ctx.db.kysely);
      const { channel: ch } = await createApiChannel(viaUntrusted.ctx.db.kysely, campaign.id);
      const forged = (n: number) => {
        const body = messageBody({ id: `spoof-${n}`, phone: '55 1234 5678', text: 'Hola' });
        // A different forged address each time: if it were believed, no address would reach the limit.
        return viaUntrusted.app.inject({ method: 'POST', url: `/webhooks/api/${ch.id}`, headers: { ...signedHeaders('wrong', body), 'x-forwarded-for': `198.51.100.${n}` }, payload: body });
      };
      expect((await forged(1)).statusCode).toBe(401);
      expect((await forged(2)).statusCode).toBe(401);
      expect((await forged(3)).statusCode).toBe(429);
    } finally {
      await viaUntrusted.cleanup();
    }
  });
});
