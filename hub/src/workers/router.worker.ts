import type { Worker } from 'bullmq';
import { bullPrefix } from '../queues/queues.js';
import { overdueSeatTimers } from '../router/usecases/agent-state.usecase.js';
import { overdueOfferIds } from '../router/usecases/offer-decision.usecase.js';
import { refreshQueueTreatment } from '../router/usecases/queue-treatment.usecase.js';
import type { RouterTimer } from '../router/service/router-timer.types.js';
import { startTimersWorker } from '../router/service/router-service.js';
import { timerHandler } from '../router/service/timer-handlers.js';
import type { HubContext } from '../runtime/context.js';
import { createRedis, quitWithWorker } from '../runtime/redis.js';

/** Treatment messages enqueued per slice, and the pause between slices (≤ 200 a second). */
const TREATMENT_SEND_SLICE = 20;
const TREATMENT_SEND_PAUSE_MS = 100;

/**
 * The router's worker side: the durable timers (BullMQ delayed jobs) and a periodic sweep that
 * re-runs the router (anything a lost kick missed) and fires timers a crash lost between a commit
 * and their scheduling (overdue offers, ACW and inactivity deadlines). On its own interval, the
 * queue treatment: waiting citizens' place and estimated wait, messages, and overflow on the
 * estimate (router/queue-treatment/README.md); one process at a time does it (advisory lock).
 */
export function startRouterWorker(ctx: HubContext): { worker: Worker<RouterTimer>; stopSweep(): void } {
  const handle = timerHandler(ctx.db.kysely);
  const connection = createRedis(ctx.config.REDIS_URL);
  const worker = startTimersWorker(connection, bullPrefix(ctx.config.REDIS_PREFIX), ctx.router, handle, ctx.logger);
  quitWithWorker(worker, connection);
  let sweeping = false;
  let ticks = 0;
  const sweep = async (): Promise<void> => {
    if (sweeping) return;
    sweeping = true;
    try {
      ctx.router.kick();
      const overdue = await overdueOfferIds(ctx.db.kysely, 2000);
      if (overdue.length > 0) await ctx.router.apply(await handle({ kind: 'offer_timeout', offerIds: overdue, at: Date.now() }));
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
      const run = await refreshQueueTreatment(ctx.db.kysely, Date.now(), { waitingLimit: ctx.config.ROUTER_WAITING_LIMIT });
      await ctx.router.apply({ outbox: run.outbox, timers: run.timers, messageIds: [], reroute: run.reroute });
      // A refresh may owe hundreds of messages (everyone who started waiting since the last one):
      // handed to the outbound queue in slices, so their sends do not all compete with routing
      // passes for connections and CPU at once. Stored as pending already: a crash loses none.
      for (let i = 0; i < run.messageIds.length; i += TREATMENT_SEND_SLICE) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, TREATMENT_SEND_PAUSE_MS));
        await ctx.router.apply({ outbox: [], timers: [], messageIds: run.messageIds.slice(i, i + TREATMENT_SEND_SLICE), reroute: false });
      }
      for (const error of run.overflowFailures) ctx.logger.warn({ err: error }, 'estimate-based overflow failed; retried at the next refresh');
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
