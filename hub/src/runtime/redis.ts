import { Redis, type RedisOptions } from 'ioredis';

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** BullMQ needs maxRetriesPerRequest: null on the connections its workers block on. */
export function createRedis(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra });
}

/**
 * Quits a connection made for one BullMQ worker when the worker closes: BullMQ treats an ioredis
 * instance given as `connection` as shared and never quits it (bullmq queue-base.js
 * `shared: isRedisInstance(...)`), so it would outlive the hub's stop.
 */
export function quitWithWorker(worker: { once(event: 'closed', listener: () => void): unknown }, redis: Redis): void {
  worker.once('closed', () => {
    redis.quit().catch(() => redis.disconnect());
  });
}

/** Fails fast, with what to do, when Redis is not there: it is required, not optional. */
export async function assertRedisReachable(url: string, timeoutMs = 3000): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StartupError(
      [
        `No se puede conectar a Redis en ${redactUrl(url)} (${reason}).`,
        `Cannot reach Redis at ${redactUrl(url)}. Redis is required (queues and realtime).`,
        'Start it, e.g.:  redis-server --daemonize yes --bind 127.0.0.1 --port 6379',
        'or point REDIS_URL at a running server.',
      ].join('\n'),
    );
  } finally {
    probe.disconnect();
  }
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}
