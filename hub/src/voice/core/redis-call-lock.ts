import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A per-call lock across hub processes (issue 8): Twilio may post two webhooks of one call to
 * different processes behind the load balancer (a status callback racing a Gather action), and
 * each rewrites the call's record. SET NX PX with a random token; released only by its holder
 * (compare-and-delete in Lua), so a lock that expired and was taken by another process is never
 * released by the late first holder. Redis holds only the lock: the call itself is in PostgreSQL.
 */
export interface CallLockOptions {
  /** How long a holder may keep the lock if it dies (Twilio gives up on a webhook after 15 s). */
  ttlMs: number;
  /** How long to wait for the lock before failing the webhook. */
  waitMs: number;
  /** Pause between attempts. */
  retryMs: number;
}

export const DEFAULT_CALL_LOCK_OPTIONS: CallLockOptions = Object.freeze({ ttlMs: 15_000, waitMs: 10_000, retryMs: 25 });

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export class CallLockTimeoutError extends Error {
  constructor(callSid: string, waitMs: number) {
    super(`voice call ${callSid} is locked by another webhook for more than ${waitMs} ms`);
    this.name = 'CallLockTimeoutError';
  }
}

export class RedisCallLock {
  private readonly options: CallLockOptions;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    options: Partial<CallLockOptions> = {},
  ) {
    this.options = { ...DEFAULT_CALL_LOCK_OPTIONS, ...options };
  }

  keyOf(callSid: string): string {
    return `${this.prefix}:voice:call-lock:${callSid}`;
  }

  async withLock<T>(callSid: string, work: () => Promise<T>): Promise<T> {
    const key = this.keyOf(callSid);
    const token = randomBytes(16).toString('hex');
    const deadline = Date.now() + this.options.waitMs;
    for (;;) {
      const taken = await this.redis.set(key, token, 'PX', this.options.ttlMs, 'NX');
      if (taken === 'OK') break;
      if (Date.now() >= deadline) throw new CallLockTimeoutError(callSid, this.options.waitMs);
      await new Promise((resolve) => setTimeout(resolve, this.options.retryMs + Math.floor(Math.random() * this.options.retryMs)));
    }
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }
}
