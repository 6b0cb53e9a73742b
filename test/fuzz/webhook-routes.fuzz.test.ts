import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { FUZZ_SEED } from './fuzz-arbitraries.js';
import { createWebhookChannels, invalidInboundJobs, webhookRoutes, type FuzzedRoute } from './webhook-http-fuzz.js';

/**
 * Issue 12 item 5, HTTP layer: every webhook route, through the real hub (PostgreSQL, Redis,
 * BullMQ), takes random and mutated bodies and headers, signed and forged, without a 5xx or an
 * unhandled rejection; forged requests are never acknowledged, and every acknowledged one left
 * a job the ingest worker accepts. The full run is `npm run bench:fuzz`.
 */
const RUNS = Number(process.env['FUZZ_HTTP_RUNS'] ?? 600);

describe(`webhook routes under fuzzing (seed ${FUZZ_SEED}, ${RUNS} requests each)`, () => {
  let hub: TestHub;
  let routes: FuzzedRoute[] = [];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => void rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    // Forged requests are half the input: the per-address refusal of forgers (webhook-guard.ts) would
    // otherwise turn the rest of the run into 429s and stop reaching the decoders.
    hub = await createTestHub({ WEBHOOK_BAD_SIGNATURES_PER_IP_PER_MINUTE: '1000000' });
    const campaign = await createCampaign(hub.ctx.db.kysely, { prefix: 'FUZZ' });
    routes = webhookRoutes(await createWebhookChannels(hub.ctx.db.kysely, campaign.id));
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await hub?.cleanup();
  });

  for (const kind of ['api', 'whatsapp', 'meta', 'x', 'sms']) {
    it(`POST /webhooks/${kind}: 2xx only when signed, 4xx otherwise, never 5xx`, { timeout: 180_000 }, async () => {
      const route = routes.find((r) => r.name === `POST /webhooks/${kind}/:channelId`);
      if (!route) throw new Error(`no route for ${kind}`);
      const statuses = await route.run(hub.app, { numRuns: RUNS, seed: FUZZ_SEED });
      console.info(route.name, JSON.stringify(statuses));
      // The fuzzer reached both the decoder's acceptance and its refusals.
      expect(statuses['200'] ?? 0).toBeGreaterThan(0);
      expect(Object.keys(statuses).some((s) => Number(s) >= 400 && Number(s) < 500)).toBe(true);
    });

    it(`GET /webhooks/${kind} handshakes and unknown channel ids: never 5xx`, { timeout: 120_000 }, async () => {
      const route = routes.find((r) => r.name === `GET /webhooks/${kind}/:channelId`);
      if (!route) throw new Error(`no route for ${kind}`);
      const statuses = await route.run(hub.app, { numRuns: Math.ceil(RUNS / 3), seed: FUZZ_SEED });
      console.info(route.name, JSON.stringify(statuses));
      expect(Object.keys(statuses).every((s) => Number(s) < 500)).toBe(true);
      expect(statuses['404'] ?? 0).toBeGreaterThan(0);
    });
  }

  it('left only jobs the ingest worker accepts, no unhandled rejection, and still answers /healthz', async () => {
    expect(await invalidInboundJobs(hub.ctx)).toEqual([]);
    expect(rejections).toEqual([]);
    const health = await hub.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
  });
});
