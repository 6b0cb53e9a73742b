import type { Worker } from 'bullmq';
import { bullPrefix } from '../queues/queues.js';
import { overdueSeatTimers } from '../router/usecases/agent-state.usecase.js';
import { overdueOfferIds } from '../router/usecases/offer-decision.usecase.js';
import type { RouterTimer } from '../router/service/router-timer.types.js';
import { startTimersWorker } from '../router/service/router-service.js';
import { timerHandler } from '../router/service/timer-handlers.js';
import type { HubContext } from '../runtime/context.js';
import { createRedis } from '../runtime/redis.js';

/**
 * The router's worker side: the durable timers (BullMQ delayed jobs) and a periodic sweep that
 * re-runs the router (anything a lost kick missed) and fires timers a crash lost between a commit
 * and their scheduling (overdue offers, ACW and inactivity deadlines).
 */
export function startRouterWorker(ctx: HubContext): { worker: Worker<RouterTimer>; stopSweep(): void } {
  const handle = timerHandler(ctx.db.kysely);
  const worker = startTimersWorker(createRedis(ctx.config.REDIS_URL), bullPrefix(ctx.config.REDIS_PREFIX), ctx.router, handle, ctx.logger);
  let sweeping = false;
  let ticks = 0;
  const sweep = async (): Promise<void> => {
    if (sweeping) return;
    sweeping = true;
    try {
      ctx.router.kick();
      for (const offerId of await overdueOfferIds(ctx.db.kysely, 2000)) {
        await ctx.router.apply(await handle({ kind: 'offer_timeout', offerId, at: Date.now() }));
      }
      ticks += 1;
      if (ticks % 10 === 0) {
        for (const timer of await overdueSeatTimers(ctx.db.kysely)) await ctx.router.apply(await handle(timer));
      }
    } catch (error) {
      ctx.logger.warn({ err: error }, 'router sweep failed');
    } finally {
      sweeping = false;
    }
  };
  const timer = setInterval(() => void sweep(), ctx.config.ROUTER_SWEEP_INTERVAL_MS);
  timer.unref();
  return { worker, stopSweep: () => clearInterval(timer) };
}
