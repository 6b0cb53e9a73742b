import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import { buildApp } from '../http/app.js';
import { attachRealtime, type StaffServer } from '../realtime/realtime.server.js';
import { startWorkers, type RunningWorkers } from '../workers/start-workers.js';
import { startWallboard, type RunningWallboard } from '../wallboard/wallboard.service.js';
import { startMetricsListener, type MetricsListener } from '../observability/metrics-listener.js';
import { createHubContext, type ContextOptions, type HubContext } from './context.js';

export interface HubProcess {
  ctx: HubContext;
  app: FastifyInstance | null;
  io: StaffServer | null;
  workers: RunningWorkers | null;
  /** Base URL when listening (api/all roles). */
  url: string | null;
  /** The /metrics + /healthz listener of a worker-only process with METRICS_PORT set. */
  metricsUrl: string | null;
  stop(): Promise<void>;
}

export interface StartOptions extends ContextOptions {
  fetch?: typeof fetch;
}

/** Starts what HUB_ROLE asks for: the API with socket.io, the workers, or both. */
export async function startHubProcess(config: Config, options: StartOptions = {}): Promise<HubProcess> {
  const ctx = await createHubContext(config, options);
  let app: FastifyInstance | null = null;
  let realtime: ReturnType<typeof attachRealtime> | null = null;
  let workers: RunningWorkers | null = null;
  let wallboard: RunningWallboard | null = null;
  let metricsListener: MetricsListener | null = null;
  let url: string | null = null;
  try {
    if (config.HUB_ROLE !== 'worker') {
      app = await buildApp(ctx);
      realtime = attachRealtime(ctx, app.server);
      await app.listen({ host: config.HOST, port: config.PORT });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.PORT;
      url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
    }
    if (config.HUB_ROLE !== 'api') workers = startWorkers(ctx, options.fetch ? { fetch: options.fetch } : {});
    // A worker-only process has no HTTP server: its own job metrics are scraped here (observability/metrics-listener.ts).
    if (config.HUB_ROLE === 'worker' && config.METRICS_PORT !== undefined) metricsListener = await startMetricsListener(ctx, config.HOST, config.METRICS_PORT);
    // Live wallboard (issue 9 item 4): snapshots after the events this process publishes.
    wallboard = startWallboard(ctx, realtime?.io ?? null);
  } catch (error) {
    await workers?.stop().catch(() => undefined);
    await realtime?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await ctx.close().catch(() => undefined);
    throw error;
  }
  let stopped = false;
  return {
    ctx,
    app,
    io: realtime?.io ?? null,
    workers,
    url,
    metricsUrl: metricsListener?.url ?? null,
    async stop() {
      if (stopped) return;
      stopped = true;
      await wallboard?.stop();
      await metricsListener?.close();
      await workers?.stop();
      await realtime?.close();
      await app?.close();
      await ctx.close();
    },
  };
}
