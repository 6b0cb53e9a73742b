import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { collectScrapeGauges } from '../observability/scrape-gauges.js';
import type { HubContext } from '../runtime/context.js';
import { metricsScrapeAllowed } from '../observability/metrics-access.js';
import { HubError } from '../errors/error-registry.js';

const checkSchema = z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() });

async function timed(fn: () => Promise<unknown>): Promise<z.infer<typeof checkSchema>> {
  const started = performance.now();
  try {
    await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout after 2000 ms')), 2000).unref())]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) };
  }
}

export function healthRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    // What someone opening the printed URL sees until the inbox (inbox-ui) is served here.
    app.get('/', { schema: { hide: true } }, async () => ({
      name: 'Ventanilla — hub de atención ciudadana',
      api: '/api/v1',
      docs: '/api/docs',
      openapi: '/api/v1/openapi.json',
      health: '/healthz',
      readiness: '/readyz',
      metrics: '/metrics',
      realtime: 'socket.io namespace /staff (auth.token = access token)',
    }));

    app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

    app.get(
      '/readyz',
      { schema: { hide: true, response: { 200: z.object({ status: z.literal('ready'), checks: z.record(z.string(), checkSchema) }), 503: z.object({ status: z.literal('not_ready'), checks: z.record(z.string(), checkSchema) }) } } },
      async (_request, reply) => {
        const [postgres, redis] = await Promise.all([timed(() => sql`SELECT 1`.execute(ctx.db.kysely)), timed(() => ctx.redis.ping())]);
        const checks = { postgres, redis };
        if (postgres.ok && redis.ok) return reply.status(200).send({ status: 'ready' as const, checks });
        return reply.status(503).send({ status: 'not_ready' as const, checks });
      },
    );

    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (!metricsScrapeAllowed(ctx.config.METRICS_TOKEN, request.headers.authorization)) throw new HubError('HUB_ERR_AUTH_REQUIRED');
      await refreshGauges(ctx);
      reply.header('content-type', ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    });
  };
}

export async function refreshGauges(ctx: HubContext): Promise<void> {
  await Promise.all(
    [ctx.queues.inbound, ctx.queues.outbound].map(async (queue) => {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
      for (const [state, count] of Object.entries(counts)) ctx.metrics.queueDepth.set({ queue: queue.name, state }, count);
    }),
  ).catch(() => undefined);
  const row = await sql<{ n: string }>`SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`.execute(ctx.db.kysely).catch(() => null);
  if (row?.rows[0]) ctx.metrics.outboxPending.set(Number(row.rows[0].n));
  await collectScrapeGauges(ctx);
}
