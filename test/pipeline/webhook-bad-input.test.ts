import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, createHubContext, type HubContext } from '@ventanilla/hub';
import { createQueues } from '../../hub/src/queues/queues.js';
import { signBody } from '@ventanilla/connectors/core';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign } from '../support/factories.js';
import { messageBody, signedHeaders } from '../support/webhook.js';

/**
 * Issue 2, "Bad input gets a clear error and loses nothing": every rejected webhook gets a
 * stable HUB_ERR_* code and a JSON body, is logged with its reason, and leaves no trace in
 * the inbound queue or in PostgreSQL. The API runs without workers, so any job a rejected
 * request enqueued would still be sitting in the queue when we count.
 */
describe('webhook bad input', () => {
  const config = testConfig({ BODY_LIMIT_BYTES: '2048' });
  const logs: Array<{ level: number; msg: string; reason?: string; issues?: string[] }> = [];
  let ctx: HubContext;
  let app: FastifyInstance;
  let channelId: string;
  let secret: string;
  let otherSecret: string;
  let disabledChannelId: string;
  let disabledSecret: string;

  beforeAll(async () => {
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    ctx = await createHubContext(config, { logger });
    app = await buildApp(ctx);
    await app.ready();
    const db = ctx.db.kysely;
    const campaign = await createCampaign(db);
    ({ channel: { id: channelId }, secret } = await createApiChannel(db, campaign.id));
    ({ secret: otherSecret } = await createApiChannel(db, campaign.id, { name: 'Otro sistema' }));
    const disabled = await createApiChannel(db, campaign.id, { name: 'Apagado' });
    await db.updateTable('channels').set({ enabled: false }).where('id', '=', disabled.channel.id).execute();
    disabledChannelId = disabled.channel.id;
    disabledSecret = disabled.secret;
  });

  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    await dropNamespaces(config);
  });

  beforeEach(() => {
    logs.length = 0;
  });

  const post = (id: string, payload: string, headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: `/webhooks/api/${id}`, payload, headers });

  async function queuedJobs(): Promise<number> {
    const counts = await ctx.queues.inbound.getJobCounts();
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  async function storedMessages(): Promise<number> {
    const row = await ctx.db.kysely.selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The error envelope every client can rely on; never a stack trace or an internal path. */
  function expectError(res: LightMyRequestResponse, status: number, code: string): string {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json<{ error: { code: string; message: string; requestId: string } }>();
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(5);
    expect(body.error.requestId).toBe(res.headers['x-request-id']);
    expect(res.body).not.toMatch(/\bat .+\.(ts|js):\d+|node_modules|stack/i);
    return body.error.message;
  }

  async function expectNothingStored(): Promise<void> {
    expect(await queuedJobs()).toBe(0);
    expect(await storedMessages()).toBe(0);
  }

  it('rejects a request without signature with 401 and stores nothing', async () => {
    const body = messageBody({ id: 'bad-1', phone: '5512345678' });
    const res = await post(channelId, body, { 'content-type': 'application/json' });
    expectError(res, 401, 'HUB_ERR_WEBHOOK_SIGNATURE');
    await expectNothingStored();
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'webhook rejected: signature', reason: 'missing x-ventanilla-signature header' }));
  });

  it('rejects a wrong or malformed signature with 401', async () => {
    const body = messageBody({ id: 'bad-2', phone: '5512345678' });
    const tampered = body.replace('Hola', 'Adiós');
    for (const signature of [signBody(secret, tampered), signBody(`${secret}x`, body), 'sha256=', 'sha256=zz', signBody(secret, body).slice(7), '']) {
      const res = await post(channelId, body, { 'content-type': 'application/json', 'x-ventanilla-signature': signature });
      expectError(res, 401, 'HUB_ERR_WEBHOOK_SIGNATURE');
    }
    await expectNothingStored();
    expect(logs.filter((l) => l.reason === 'signature mismatch')).toHaveLength(6);
  });

  it("rejects a body signed with another channel's secret with 401", async () => {
    const body = messageBody({ id: 'bad-3', phone: '5512345678' });
    const res = await post(channelId, body, signedHeaders(otherSecret, body));
    expectError(res, 401, 'HUB_ERR_WEBHOOK_SIGNATURE');
    await expectNothingStored();
  });

  it('rejects malformed JSON with 400 saying it is not JSON', async () => {
    const body = '{"type":"message","id":"bad-4",';
    const res = await post(channelId, body, signedHeaders(secret, body));
    const message = expectError(res, 400, 'HUB_ERR_VALIDATION');
    expect(message).toMatch(/not valid JSON/i);
    await expectNothingStored();
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'webhook rejected: body is not valid JSON' }));
  });

  it('rejects JSON that does not match the format with 400 naming the field', async () => {
    const body = JSON.stringify({ type: 'message', id: 'bad-5', content: { type: 'text', text: 'sin remitente' } });
    const res = await post(channelId, body, signedHeaders(secret, body));
    const message = expectError(res, 400, 'HUB_ERR_VALIDATION');
    expect(message).toMatch(/\bfrom\b/);
    expect(res.json().error.details).toEqual([expect.stringMatching(/^from: /)]);

    const noIdentity = JSON.stringify({ type: 'message', id: 'bad-6', from: { name: 'Anónimo' }, content: { type: 'text', text: 'hola' } });
    const res2 = await post(channelId, noIdentity, signedHeaders(secret, noIdentity));
    expect(expectError(res2, 400, 'HUB_ERR_VALIDATION')).toMatch(/phone, email or externalId/);

    const emptyText = messageBody({ id: 'bad-7', phone: '5512345678', content: { type: 'text', text: '' } });
    const res3 = await post(channelId, emptyText, signedHeaders(secret, emptyText));
    expect(expectError(res3, 400, 'HUB_ERR_VALIDATION')).toMatch(/content\.text/);

    const badBatch = JSON.stringify({ events: [JSON.parse(messageBody({ id: 'ok-in-batch', phone: '5512345678' })), { type: 'status', id: 'x', status: 'exploded' }] });
    const res4 = await post(channelId, badBatch, signedHeaders(secret, badBatch));
    expect(expectError(res4, 400, 'HUB_ERR_VALIDATION')).toMatch(/events\.1\.status/);
    // One bad event rejects the whole batch: the provider retries it, nothing half-stored.
    await expectNothingStored();
    expect(logs.filter((l) => l.msg === 'webhook rejected: body does not match the API channel format')).toHaveLength(3);
  });

  it('answers 404 HUB_ERR_CHANNEL_NOT_FOUND for an unknown, non-uuid or disabled channel', async () => {
    const body = messageBody({ id: 'bad-8', phone: '5512345678' });
    expectError(await post(randomUUID(), body, signedHeaders(secret, body)), 404, 'HUB_ERR_CHANNEL_NOT_FOUND');
    expectError(await post('not-a-uuid', body, signedHeaders(secret, body)), 404, 'HUB_ERR_CHANNEL_NOT_FOUND');
    expectError(await post("1' OR '1'='1", body, signedHeaders(secret, body)), 404, 'HUB_ERR_CHANNEL_NOT_FOUND');
    expectError(await post(disabledChannelId, body, signedHeaders(disabledSecret, body)), 404, 'HUB_ERR_CHANNEL_NOT_FOUND');
    await expectNothingStored();
  });

  it('answers 413 HUB_ERR_BODY_TOO_LARGE above BODY_LIMIT_BYTES, even when correctly signed', async () => {
    const body = messageBody({ id: 'bad-9', phone: '5512345678', text: 'x'.repeat(3000) });
    expect(Buffer.byteLength(body)).toBeGreaterThan(2048);
    expectError(await post(channelId, body, signedHeaders(secret, body)), 413, 'HUB_ERR_BODY_TOO_LARGE');
    await expectNothingStored();
  });

  it('does not acknowledge a message it could not enqueue: 503, so the provider retries', async () => {
    // Same app, but its queues point at a Redis that is not there.
    const deadQueues = createQueues({ host: '127.0.0.1', port: 1, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null }, config.REDIS_PREFIX);
    const cut = await buildApp({ ...ctx, queues: deadQueues });
    try {
      const body = messageBody({ id: 'no-redis', phone: '5512345678' });
      const res = await cut.inject({ method: 'POST', url: `/webhooks/api/${channelId}`, payload: body, headers: signedHeaders(secret, body) });
      expectError(res, 503, 'HUB_ERR_UNAVAILABLE');
      expect(logs).toContainEqual(expect.objectContaining({ msg: 'webhook: could not enqueue' }));
      await expectNothingStored();
    } finally {
      await cut.close();
      await deadQueues.close().catch(() => undefined);
    }
  });

  // The control that makes the "nothing stored" assertions meaningful: a good request does enqueue.
  it('accepts the same message once it is well-formed and correctly signed', async () => {
    const body = messageBody({ id: 'good-1', phone: '5512345678', text: 'x'.repeat(1500) });
    const res = await post(channelId, body, signedHeaders(secret, body));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: 1 });
    expect(await ctx.queues.inbound.getWaitingCount()).toBe(1);
    expect(logs).toEqual([]);
  });
});
