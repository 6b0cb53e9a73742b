import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

// Renew and release only while the key still holds our token: after a pause longer than the
// TTL another process may own the mailbox, and we must not extend or delete its lock.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * One reader per mailbox across every worker process: a Redis key with a TTL, renewed while the
 * reader is connected, so a crashed holder's lock simply expires.
 */
export class MailboxLock {
  readonly key: string;
  private readonly token = randomUUID();

  constructor(
    private readonly redis: Redis,
    redisPrefix: string,
    channelId: string,
    mailbox: string,
    private readonly ttlMs: number,
  ) {
    this.key = `${redisPrefix}:email:mailbox-lock:${channelId}:${mailbox}`;
  }

  async acquire(): Promise<boolean> {
    return (await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  /** False when the lock expired or was taken over: the caller must stop reading. */
  async renew(): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.key, this.token, String(this.ttlMs))) === 1;
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }
}
