import type { Redis } from 'ioredis';
import { HubError } from '../errors/error-registry.js';

export interface RateLimit {
  /** Names the counter in Redis, e.g. `sessions-ip`. */
  bucket: string;
  limit: number;
  windowSeconds: number;
}

/** Thrown as 429; the route sets `Retry-After` from `retryAfterSeconds`. */
export class RateLimitedError extends HubError {
  constructor(readonly retryAfterSeconds: number) {
    super('HUB_ERR_RATE_LIMITED', `Demasiadas solicitudes; intente en ${retryAfterSeconds} s / too many requests, retry in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });
  }
}

/**
 * Fixed-window counters in Redis, shared by every hub process: INCR on a key named after the
 * window, which expires with it. A burst across a window edge may pass twice the limit — accepted
 * for abuse control, where the point is to bound a flood, not to meter.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Counts one hit for `subject`; throws RateLimitedError once the window's limit is passed. */
  async hit(rule: RateLimit, subject: string, now = Date.now()): Promise<void> {
    const windowMs = rule.windowSeconds * 1000;
    const window = Math.floor(now / windowMs);
    const key = `${this.prefix}:rl:${rule.bucket}:${subject}:${window}`;
    const [[incrError, count] = [null, 0]] = (await this.redis.multi().incr(key).pexpire(key, windowMs + 1000).exec()) ?? [];
    if (incrError) throw incrError;
    if (typeof count === 'number' && count > rule.limit) {
      throw new RateLimitedError(Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000)));
    }
  }
}
