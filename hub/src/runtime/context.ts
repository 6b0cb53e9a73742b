import type { Redis } from 'ioredis';
import { ChannelStore } from '../channels/channel-store.js';
import type { Config } from '../config/config.js';
import { openDatabase, type Db } from '../db/database.js';
import { migrate } from '../db/migrator.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { observeRouterEffects } from '../observability/router-observer.js';
import { traceRouter } from '../observability/router-tracing.js';
import { createTracing, type Tracing } from '../observability/tracing.js';
import { OutboxRelay } from '../outbox/outbox-relay.js';
import { bullPrefix, createQueues, type HubQueues } from '../queues/queues.js';
import { RealtimePublisher } from '../realtime/realtime-publisher.js';
import type { RouterTimer } from '../router/service/router-timer.types.js';
import { createTimersQueue, RouterService } from '../router/service/router-service.js';
import { enqueueOutbound } from '../queues/outbound-jobs.js';
import type { Queue } from 'bullmq';
import { assertRedisReachable, createRedis } from './redis.js';

/** Everything a process needs, created once at boot and passed explicitly (no globals). */
export interface HubContext {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** OpenTelemetry spans, or a no-op without the SDK loaded when tracing is off (observability/tracing.ts). */
  tracing: Tracing;
  db: Db;
  redis: Redis;
  queues: HubQueues;
  publisher: RealtimePublisher;
  relay: OutboxRelay;
  channels: ChannelStore;
  /** The router of this process (router/service/router-service.ts). */
  router: RouterService;
  routerTimers: Queue<RouterTimer>;
  close(): Promise<void>;
}

export interface ContextOptions {
  logger?: Logger;
  /** Apply migrations at start (default true); safe to run in several processes at once. */
  migrate?: boolean;
}

export async function createHubContext(config: Config, options: ContextOptions = {}): Promise<HubContext> {
  const logger = options.logger ?? createLogger(config);
  await assertRedisReachable(config.REDIS_URL);
  const db = await openDatabase(config);
  try {
    if (options.migrate !== false) {
      const applied = await migrate(db);
      if (applied.length > 0) logger.info({ applied, schema: db.schema }, 'migrations applied');
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  const redis = createRedis(config.REDIS_URL);
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const queues = createQueues(redis, config.REDIS_PREFIX);
  // Let BullMQ finish its start-up commands, so closing right after start rejects nothing.
  const routerTimers = createTimersQueue(redis, bullPrefix(config.REDIS_PREFIX));
  await Promise.all([queues.inbound.waitUntilReady(), queues.outbound.waitUntilReady(), queues.bot.waitUntilReady(), routerTimers.waitUntilReady()]);
  const publisher = new RealtimePublisher(redis, config.REDIS_PREFIX);
  const relay = new OutboxRelay(db.kysely, publisher, logger, { sweepIntervalMs: config.OUTBOX_RELAY_INTERVAL_MS });
  const metrics = createMetrics();
  const tracing = await createTracing(config, logger);
  const router = new RouterService({
    db: db.kysely,
    relay,
    queues,
    timers: routerTimers,
    logger,
    waitingLimit: config.ROUTER_WAITING_LIMIT,
    enqueueOutbound: (messageId) => enqueueOutbound({ config, queues }, messageId),
  });
  router.onPass((result, durationMs) => {
    metrics.routingPassDuration.observe(durationMs / 1000);
    metrics.routingOffers.inc({ outcome: 'claimed' }, result.claimed.length);
    metrics.routingOffers.inc({ outcome: 'lost' }, result.planned - result.claimed.length);
    metrics.vt.routingPasses.inc();
    metrics.vt.routingPassDuration.observe(durationMs / 1000);
  });
  router.onEffects(observeRouterEffects(metrics, logger));
  traceRouter(router, tracing);
  return {
    config,
    logger,
    metrics,
    tracing,
    db,
    redis,
    queues,
    publisher,
    relay,
    channels: new ChannelStore(db.kysely),
    router,
    routerTimers,
    async close() {
      await router.stop();
      await relay.stop();
      await routerTimers.close();
      await queues.close();
      await db.close();
      await redis.quit().catch(() => redis.disconnect());
      await tracing.shutdown();
    },
  };
}
