import type { Worker } from 'bullmq';
import type { HubContext } from '../runtime/context.js';
import { startIngestWorker } from './ingest.worker.js';
import { startOutboundWorker, sweepPendingOutbound } from './outbound.worker.js';
import { startRouterWorker } from './router.worker.js';

export interface RunningWorkers {
  workers: Worker[];
  stop(): Promise<void>;
}

/** Ingest, outbound, router timers, the outbox relay sweep, the router sweep and the pending-reply sweep of one worker process. */
export function startWorkers(ctx: HubContext, options: { fetch?: typeof fetch } = {}): RunningWorkers {
  const router = startRouterWorker(ctx);
  const workers: Worker[] = [startIngestWorker(ctx), startOutboundWorker(ctx, options.fetch), router.worker];
  ctx.relay.start();
  const sweep = setInterval(() => {
    sweepPendingOutbound(ctx).catch((error: unknown) => ctx.logger.warn({ err: error }, 'pending outbound sweep failed'));
  }, 10_000);
  sweep.unref();
  return {
    workers,
    async stop() {
      clearInterval(sweep);
      router.stopSweep();
      await Promise.all(workers.map((w) => w.close()));
      await ctx.relay.stop();
    },
  };
}
