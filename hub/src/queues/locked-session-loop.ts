import type { MailboxLock } from '../email/mailbox-lock.js';
import { reconnectDelay } from '../email/reconnect-backoff.js';

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/** What one round of the loop works on: a lock to take and what the session needs, or a wait. */
export type SessionRound<T> = { lock: MailboxLock; target: T } | { waitMs: number };

export interface LockedSessionSpec<T> {
  signal: AbortSignal;
  lockTtlMs: number;
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  /** Builds this round's lock (and loads what the session needs); an error counts as a failure. */
  prepare(): Promise<SessionRound<T>>;
  /** One session while the lock is held: resolves with why it ended, throws when it failed. */
  session(target: T, lock: MailboxLock): Promise<string | undefined>;
  /** The session ended without a stop (it is restarted after `retryInMs`). */
  onEnded(reason: string | undefined, failures: number, retryInMs: number): void;
  /** The round failed (it is retried after `retryInMs`); not called once stopped. */
  onFailed(error: unknown, failures: number, retryInMs: number): void;
}

/**
 * One process per session across every worker (two IMAP IDLE readers double-store mail, two
 * browsers on one WhatsApp Web session log each other out): each round takes the session's
 * Redis lock, runs the session while it holds it, releases it, and starts again after a backoff
 * (`reconnectBaseMs` doubling to `reconnectMaxMs`, with jitter) until the signal aborts. When
 * another process holds the lock it tries again about when that lock would expire. Never throws.
 */
export class LockedSessionLoop<T> {
  private failures = 0;

  constructor(private readonly spec: LockedSessionSpec<T>) {}

  /** The session is up (connected, paired): the next failure waits the base delay again. */
  healthy(): void {
    this.failures = 0;
  }

  async run(): Promise<void> {
    const { spec } = this;
    while (!spec.signal.aborted) {
      let waitMs: number;
      try {
        const round = await spec.prepare();
        if ('waitMs' in round) {
          waitMs = round.waitMs;
        } else if (await round.lock.acquire()) {
          let why: string | undefined;
          try {
            why = await spec.session(round.target, round.lock);
          } finally {
            await round.lock.release().catch(() => undefined);
          }
          if (spec.signal.aborted) break;
          waitMs = this.nextDelay();
          spec.onEnded(why, this.failures, waitMs);
        } else {
          waitMs = Math.ceil(spec.lockTtlMs / 2);
        }
      } catch (error) {
        waitMs = this.nextDelay();
        if (!spec.signal.aborted) spec.onFailed(error, this.failures, waitMs);
      }
      await pause(waitMs, spec.signal);
    }
  }

  private nextDelay(): number {
    this.failures += 1;
    return reconnectDelay(this.failures, this.spec.reconnectBaseMs, this.spec.reconnectMaxMs);
  }
}

/**
 * Renews `lock` every third of its TTL while a session runs; `onLost` when it expired, was taken
 * over or the renewal failed (the session must end: another process may own it now). Returns the
 * stop function for the session's cleanup.
 */
export function keepLockRenewed(lock: MailboxLock, ttlMs: number, handlers: { onHeld?: () => Promise<void>; onLost: (reason: string) => void }): () => void {
  const renewal = setInterval(
    () => {
      lock.renew().then(
        (held) => (held ? handlers.onHeld?.() : handlers.onLost('lock lost')),
        () => handlers.onLost('lock renewal failed'),
      );
    },
    Math.max(200, Math.floor(ttlMs / 3)),
  );
  return () => clearInterval(renewal);
}
