import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { createCampaign } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import type { Socket } from 'socket.io-client';
import type { FastifyInstance } from 'fastify';
import { createWebchatChannel, ORIGIN, startVisitor } from '../webchat/widget-harness.js';
import { FUZZ_SEED } from './fuzz-arbitraries.js';
import { connectFuzzSocket, fuzzWidgetRest, fuzzWidgetSocket } from './widget-fuzz.js';

/**
 * Issue 12 item 5, the widget protocol: its REST endpoints and its socket events take random and
 * mutated input without a 5xx, an unhandled rejection or a dropped socket. The full run is
 * `npm run bench:fuzz`.
 */
const RUNS = Number(process.env['FUZZ_HTTP_RUNS'] ?? 600);

describe(`widget protocol under fuzzing (seed ${FUZZ_SEED})`, () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  let hub: HubProcess;
  let channelId: string;
  let token: string;
  let socket: Socket | undefined;
  const app = (): FastifyInstance => {
    if (!hub.app) throw new Error('the hub process serves no HTTP');
    return hub.app;
  };
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => void rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    hub = await startHubProcess(config);
    const db = hub.ctx.db.kysely;
    channelId = (await createWebchatChannel(db, (await createCampaign(db, { prefix: 'FUZW' })).id)).id;
    token = (await startVisitor(app(), channelId)).visitorToken;
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    socket?.disconnect();
    await hub?.stop();
    await dropNamespaces(config);
  });

  it(`REST /widget/v1: ${RUNS} random requests, never 5xx`, { timeout: 180_000 }, async () => {
    const statuses = await fuzzWidgetRest(app(), { channelId, token }, { numRuns: RUNS, seed: FUZZ_SEED });
    console.info('widget REST', JSON.stringify(statuses));
    // Both accepted calls and refusals were reached.
    expect(Object.keys(statuses).some((s) => Number(s) < 300)).toBe(true);
    expect(statuses['400'] ?? 0).toBeGreaterThan(0);
  });

  it(`socket /widget: ${RUNS} random events, error acks or silence, the socket stays up`, { timeout: 180_000 }, async () => {
    socket = await connectFuzzSocket(hub.url ?? '', token);
    const result = await fuzzWidgetSocket(socket, { numRuns: RUNS, seed: FUZZ_SEED });
    console.info('widget socket', JSON.stringify(result));
    expect(result.acks['HUB_ERR_VALIDATION'] ?? 0).toBeGreaterThan(0);
    expect(result.acks['ok'] ?? 0).toBeGreaterThan(0);
    expect(socket.connected).toBe(true);
    expect(await socket.timeout(10_000).emitWithAck('session.join', {})).toEqual({ ok: true });
  });

  it('a cut multipart upload is a 400 HUB_ERR_MALFORMED_BODY (the fuzzer found a 500)', async () => {
    const res = await app().inject({
      method: 'POST',
      url: '/widget/v1/files',
      remoteAddress: '203.0.113.77',
      headers: { origin: ORIGIN, authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=x' },
      payload: '[]',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'HUB_ERR_MALFORMED_BODY' } });
  });

  it('no unhandled rejection, and the hub still answers /healthz', async () => {
    expect(rejections).toEqual([]);
    expect((await app().inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
