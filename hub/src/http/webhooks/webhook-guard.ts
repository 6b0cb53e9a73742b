import type { Redis } from 'ioredis';
import { RateLimitedError } from '../../webchat/rate-limiter.js';

export interface WebhookGuardConfig {
  REDIS_PREFIX: string;
  /** Webhooks with a bad signature an address may send per minute before it is refused (429). */
  WEBHOOK_BAD_SIGNATURES_PER_IP_PER_MINUTE: number;
}

/**
 * Rate limit for the webhooks, aimed at forgers, never at the providers: a provider sends
 * thousands of correctly signed requests a second from a few addresses, and a 429 would only
 * make it retry. So only requests that fail the signature check are counted, per address and
 * minute, in Redis (every hub process shares the count); past the limit the address is refused
 * before any work — channel lookup, body hashing — until the minute ends.
 *
 * A refused address is remembered in this process, so a well-behaved request costs no Redis
 * round trip; other processes learn it from the shared count on the address's next failure there.
 */
export class WebhookGuard {
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly config: WebhookGuardConfig,
  ) {}

  /** Throws RateLimitedError (429) while `ip` is refused. Synchronous: no I/O on the hot path. */
  assertAllowed(ip: string, now = Date.now()): void {
    const until = this.blockedUntil.get(ip);
    if (until === undefined) return;
    if (until > now) throw new RateLimitedError(Math.max(1, Math.ceil((until - now) / 1000)));
    this.blockedUntil.delete(ip);
  }

  /** Counts one bad signature from `ip`; past the limit the address is refused until the window ends. */
  async recordBadSignature(ip: string, now = Date.now()): Promise<void> {
    const windowMs = 60_000;
    const window = Math.floor(now / windowMs);
    const key = `${this.config.REDIS_PREFIX}:rl:webhook-bad-signature:${ip}:${window}`;
    const [[error, count] = [null, 0]] = (await this.redis.multi().incr(key).pexpire(key, windowMs + 1000).exec()) ?? [];
    if (error) throw error;
    if (typeof count === 'number' && count >= this.config.WEBHOOK_BAD_SIGNATURES_PER_IP_PER_MINUTE) {
      // Bounded memory under a spray of addresses: forget the oldest entries first.
      if (this.blockedUntil.size >= 10_000) this.blockedUntil.delete(this.blockedUntil.keys().next().value ?? '');
      this.blockedUntil.set(ip, (window + 1) * windowMs);
    }
  }
}
