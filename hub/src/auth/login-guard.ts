import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Config } from '../config/config.schema.js';
import { HubError } from '../errors/error-registry.js';
import { RateLimiter } from '../webchat/rate-limiter.js';

/** Refused with 423 while an account is locked; the route sets `Retry-After` from `retryAfterSeconds`. */
export class LoginLockedError extends HubError {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(
      'HUB_ERR_AUTH_LOCKED',
      `Cuenta bloqueada temporalmente por demasiados intentos fallidos; intente de nuevo en ${minutes} min / account temporarily locked after too many failed logins, retry in ${minutes} min`,
      { retryAfterSeconds },
    );
  }
}

export type LoginGuardConfig = Pick<
  Config,
  'REDIS_PREFIX' | 'AUTH_LOGIN_MAX_FAILURES' | 'AUTH_LOGIN_FAILURE_WINDOW_SECONDS' | 'AUTH_LOCKOUT_MINUTES' | 'AUTH_REQUESTS_PER_IP_PER_MINUTE'
>;

/** What a failed login did to the account: locked now (audit it once) or one more failure counted. */
export type FailureOutcome = { locked: true; failures: number; retryAfterSeconds: number } | { locked: false; failures: number };

/**
 * Brute-force control for staff logins, in Redis so every hub process shares it.
 *
 * The lock is per account e-mail — also for e-mails that match no user, so a lockout does not
 * reveal which accounts exist — and holds even against the right password (a guessed password
 * is useless during the lock). The e-mail is hashed in key names: Redis dumps carry no addresses.
 * The per-IP limits bound how fast one address can try many accounts.
 */
export class LoginGuard {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly redis: Redis,
    private readonly config: LoginGuardConfig,
  ) {
    this.limiter = new RateLimiter(redis, config.REDIS_PREFIX);
  }

  /** Counts one request from `ip` to /auth/login or /auth/refresh; throws RateLimitedError (429) past the limit. */
  hitIp(route: 'login' | 'refresh', ip: string): Promise<void> {
    return this.limiter.hit({ bucket: `auth-${route}-ip`, limit: this.config.AUTH_REQUESTS_PER_IP_PER_MINUTE, windowSeconds: 60 }, ip);
  }

  /** Throws LoginLockedError while the account is locked. */
  async assertNotLocked(email: string): Promise<void> {
    const ttlMs = await this.redis.pttl(this.key('lock', email));
    if (ttlMs > 0) throw new LoginLockedError(Math.ceil(ttlMs / 1000));
  }

  /** Counts a failed login; the N-th within the window locks the account and starts the count again. */
  async recordFailure(email: string): Promise<FailureOutcome> {
    const failKey = this.key('fail', email);
    const windowMs = this.config.AUTH_LOGIN_FAILURE_WINDOW_SECONDS * 1000;
    // SET NX: the window starts at the first failure and is not stretched by later ones (INCR keeps the TTL).
    const [, [incrError, count] = [null, 0]] = (await this.redis.multi().set(failKey, '0', 'PX', windowMs, 'NX').incr(failKey).exec()) ?? [];
    if (incrError) throw incrError;
    const failures = typeof count === 'number' ? count : 0;
    if (failures < this.config.AUTH_LOGIN_MAX_FAILURES) return { locked: false, failures };
    const lockMs = this.config.AUTH_LOCKOUT_MINUTES * 60_000;
    await this.redis.multi().set(this.key('lock', email), String(Date.now() + lockMs), 'PX', lockMs).del(failKey).exec();
    return { locked: true, failures, retryAfterSeconds: Math.ceil(lockMs / 1000) };
  }

  /** A successful login forgets the earlier failures. */
  async recordSuccess(email: string): Promise<void> {
    await this.redis.del(this.key('fail', email));
  }

  /** Lifts a lock and forgets the failures (an administrator set a new password). */
  async unlock(email: string): Promise<void> {
    await this.redis.del(this.key('fail', email), this.key('lock', email));
  }

  private key(kind: 'fail' | 'lock', email: string): string {
    const digest = createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 32);
    return `${this.config.REDIS_PREFIX}:auth:${kind}:${digest}`;
  }
}
