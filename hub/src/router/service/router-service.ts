import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.js';
import type { OutboxRelay } from '../../outbox/outbox-relay.js';
import type { HubQueues } from '../../queues/queues.js';
import { runRoutingPass, type PassResult } from '../usecases/routing-pass.usecase.js';
import { noEffects, type RouterEffects } from '../usecases/router-effects.js';
import { timerJobId, type RouterTimer } from './router-timer.types.js';

/**
 * The router of one process (issue 3): runs routing passes when something changed (`kick`), one
 * at a time across every process of the installation, and applies what use cases leave to do
 * after commit (RouterEffects).
 *
 * Passes are serialised with a transaction-level advisory lock: a process that finds it taken
 * retries every 20 ms until it runs its own pass, so a change made while another process was
 * planning from an older snapshot is always seen by a pass that started after it (no lost
 * wake-up). The claim inside the pass is conditional anyway (router_claim), so the lock is about
 * not wasting work, not about correctness.
 */

export const ROUTER_TIMERS_QUEUE = 'router-timers';
/** pg advisory lock namespace of the router (the migrator uses a different one). */
const ROUTER_LOCK_CLASS = 73_031;

export interface RouterServiceDeps {
  db: Kysely<Database>;
  relay: OutboxRelay;
  queues: Pick<HubQueues, 'outbound'>;
  timers: Queue<RouterTimer>;
  logger: Logger;
  enqueueOutbound: (messageId: string) => Promise<void>;
  waitingLimit: number;
}

export interface PassObserver {
  (result: PassResult, durationMs: number): void;
}

export class RouterService {
  private pending = false;
  private draining: Promise<void> | null = null;
  private stopped = false;
  private observers: PassObserver[] = [];
  private effectObservers: ((effects: RouterEffects) => void)[] = [];
  passes = 0;

  constructor(private readonly deps: RouterServiceDeps) {}

  /** Asks for a routing pass soon; many kicks while one runs become one more pass. */
  kick(): void {
    if (this.stopped) return;
    this.pending = true;
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  /** Resolves when no pass is pending or running in this process (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  onPass(observer: PassObserver): void {
    this.observers.push(observer);
  }

  /** Sees every effect applied after commit (metrics and folio logs: observability/router-observer.ts). */
  onEffects(observer: (effects: RouterEffects) => void): void {
    this.effectObservers.push(observer);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  /** Runs one pass now, waiting for the lock. For callers that need the result (benchmarks, tests). */
  async runPass(now: number = Date.now()): Promise<PassResult> {
    for (;;) {
      const result = await this.tryPass(now);
      if (result) return result;
      await delay(20);
    }
  }

  private async drain(): Promise<void> {
    let lostRuns = 0;
    while (this.pending && !this.stopped) {
      this.pending = false;
      try {
        const result = await this.tryPass(Date.now());
        if (result === null) {
          this.pending = true;
          await delay(20);
        } else if (result.intake.queued + result.intake.closed >= 5000) {
          // More new conversations than one intake takes: go again.
          this.pending = true;
        } else if (result.claimed.length < result.planned && lostRuns < 3) {
          // Claims lost to a concurrent change (agent went to lunch, citizen left): re-plan on fresh data,
          // a few times at most; the next kick or the sweep carries on after that.
          lostRuns += 1;
          this.pending = true;
        } else {
          lostRuns = 0;
        }
      } catch (error) {
        this.deps.logger.error({ err: error }, 'routing pass failed; retrying');
        this.pending = true;
        await delay(250);
      }
    }
  }

  /** null when another process holds the router lock. */
  private async tryPass(now: number): Promise<PassResult | null> {
    const started = performance.now();
    const result = await this.deps.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(${ROUTER_LOCK_CLASS}, hashtext(current_schema())) AS locked`.execute(trx);
      if (rows[0]?.locked !== true) return null;
      return runRoutingPass(trx, now, { waitingLimit: this.deps.waitingLimit });
    });
    if (result === null) return null;
    this.passes += 1;
    await this.apply({ outbox: result.outbox, timers: result.timers, messageIds: result.messageIds, reroute: false });
    const duration = performance.now() - started;
    for (const observer of this.observers) observer(result, duration);
    return result;
  }

  /** After commit: publish, schedule, send, and re-route if asked. Never throws (sweeps recover). */
  async apply(effects: RouterEffects): Promise<void> {
    for (const observer of this.effectObservers) observer(effects);
    if (effects.outbox.length > 0) this.deps.relay.publishCommitted(effects.outbox);
    try {
      await scheduleTimers(this.deps.timers, effects.timers);
    } catch (error) {
      this.deps.logger.warn({ err: error, count: effects.timers.length }, 'router timers not scheduled; the sweep will catch them');
    }
    for (const id of effects.messageIds) {
      await this.deps.enqueueOutbound(id).catch((error: unknown) => this.deps.logger.warn({ err: error, messageId: id }, 'system message stored but not enqueued yet'));
    }
    if (effects.reroute) this.kick();
  }
}

export function createTimersQueue(connection: ConnectionOptions, prefix: string): Queue<RouterTimer> {
  return new Queue<RouterTimer>(ROUTER_TIMERS_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: { count: 1000 }, attempts: 10, backoff: { type: 'exponential', delay: 500 } },
  });
}

export async function scheduleTimers(queue: Queue<RouterTimer>, timers: readonly RouterTimer[]): Promise<void> {
  if (timers.length === 0) return;
  const now = Date.now();
  for (let i = 0; i < timers.length; i += 1000) {
    await queue.addBulk(
      timers.slice(i, i + 1000).map((t) => ({ name: t.kind, data: t, opts: { jobId: timerJobId(t), delay: Math.max(0, t.at - now) } })),
    );
  }
}

export type TimerHandler = (timer: RouterTimer) => Promise<RouterEffects>;

/** The worker side of the durable timers: each job runs its handler and applies the effects. */
export function startTimersWorker(
  connection: ConnectionOptions,
  prefix: string,
  router: RouterService,
  handle: TimerHandler,
  logger: Logger,
): Worker<RouterTimer> {
  const worker = new Worker<RouterTimer>(
    ROUTER_TIMERS_QUEUE,
    async (job: Job<RouterTimer>) => {
      const effects = await handle(job.data);
      await router.apply(effects);
      return job.data.kind;
    },
    { connection, prefix, concurrency: 8 },
  );
  worker.on('error', (error) => logger.error({ err: error }, 'router timers worker error'));
  return worker;
}

export { noEffects };

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
