import type { Worker } from 'bullmq';
import { bullPrefix } from '../queues/queues.js';
import { overdueSeatTimers } from '../router/usecases/agent-state.usecase.js';
import { overdueOfferIds } from '../router/usecases/offer-decision.usecase.js';
import { refreshQueueTreatment } from '../router/usecases/queue-treatment.usecase.js';
import type { RouterTimer } from '../router/service/router-timer.types.js';
import { startTimersWorker } from '../router/service/router-service.js';
import { timerHandler } from '../router/service/timer-handlers.js';
import type { HubContext } from '../runtime/context.js';
import { createRedis } from '../runtime/redis.js';

/**
 * The router's worker side: the durable timers (BullMQ delayed jobs) and a periodic sweep that
 * re-runs the router (anything a lost kick missed) and fires timers a crash lost between a commit
 * and their scheduling (overdue offers, ACW and inactivity deadlines). On its own interval, the
 * queue treatment: waiting citizens' place and estimated wait, messages, and overflow on the
 * estimate (router/queue-treatment/README.md); one process at a time does it (advisory lock).
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

  let refreshing = false;
  const refreshTreatment = async (): Promise<void> => {
    if (refreshing) return;
    refreshing = true;
    try {
      const run = await refreshQueueTreatment(ctx.db.kysely, Date.now(), { waitingLimit: ctx.config.ROUTER_WAITING_LIMIT, maxMessagesPerRun: 0 });
      await ctx.router.apply(run);
      if (run.notified + run.overflowed > 0) ctx.logger.debug({ waiting: run.waiting, notified: run.notified, overflowed: run.overflowed }, 'queue treatment refreshed');
    } catch (error) {
      ctx.logger.warn({ err: error }, 'queue treatment refresh failed');
    } finally {
      refreshing = false;
    }
  };
  const treatmentTimer = setInterval(() => void refreshTreatment(), ctx.config.ROUTER_TREATMENT_INTERVAL_MS);
  treatmentTimer.unref();
  return {
    worker,
    stopSweep: () => {
      clearInterval(timer);
      clearInterval(treatmentTimer);
    },
  };
}
