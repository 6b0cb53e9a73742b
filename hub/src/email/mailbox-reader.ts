import type { ImapFlow } from 'imapflow';
import type { HubContext } from '../runtime/context.js';
import { loadEmailChannel, type EmailChannel } from './email-channel.js';
import { createImapClient, drainMailbox } from './imap-session.js';
import { MailboxLock } from './mailbox-lock.js';
import { reconnectDelay } from './reconnect-backoff.js';

/** IDLE that ends by itself this fast (a server refusing it) is not restarted in a tight loop. */
const MIN_IDLE_MS = 1000;

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
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

/**
 * Keeps one channel's mailbox read for as long as it runs: takes the mailbox lock (another
 * process may hold it — then it waits), connects, drains, IDLEs until the server announces new
 * mail, and on any error or disconnect reconnects with exponential backoff. Never throws.
 */
export class MailboxReader {
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  private client: ImapFlow | null = null;
  private failures = 0;
  private readonly log: HubContext['logger'];

  constructor(
    private readonly ctx: HubContext,
    readonly channelId: string,
  ) {
    this.log = ctx.logger.child({ channelId, component: 'imap-reader' });
  }

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.client?.close();
    await this.running;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async loop(): Promise<void> {
    const { config } = this.ctx;
    while (!this.stopped) {
      let waitMs = 0;
      try {
        const email = await loadEmailChannel(this.ctx, this.channelId);
        if (!email) {
          // Disabled or misconfigured: the reader supervisor stops us at its next scan.
          waitMs = config.EMAIL_CHANNEL_RESCAN_MS;
        } else {
          const lock = new MailboxLock(this.ctx.redis, config.REDIS_PREFIX, this.channelId, email.settings.imap.mailbox, config.EMAIL_MAILBOX_LOCK_TTL_MS);
          if (await lock.acquire()) {
            try {
              await this.session(email, lock);
            } finally {
              await lock.release().catch(() => undefined);
            }
          } else {
            // Another process reads this mailbox; try again about when its lock would expire.
            waitMs = Math.ceil(config.EMAIL_MAILBOX_LOCK_TTL_MS / 2);
          }
        }
      } catch (error) {
        this.failures += 1;
        waitMs = reconnectDelay(this.failures, config.EMAIL_RECONNECT_BASE_MS, config.EMAIL_RECONNECT_MAX_MS);
        if (!this.stopped) this.log.warn({ err: error, failures: this.failures, retryInMs: waitMs }, 'IMAP reader disconnected; reconnecting');
      }
      if (waitMs > 0) await pause(waitMs, this.abort.signal);
    }
  }

  /** One connection: returns when stopped, throws when the connection or the lock is lost. */
  private async session(email: EmailChannel, lock: MailboxLock): Promise<void> {
    const client = createImapClient(email);
    this.client = client;
    let news = true;
    let closed = false;
    let lockLost = false;
    let wake: () => void = () => undefined;
    client.on('exists', () => {
      news = true;
      wake();
    });
    client.on('close', () => {
      closed = true;
      wake();
    });
    client.on('error', (error: Error) => this.log.debug({ err: error }, 'IMAP connection error'));
    const onStop = () => wake();
    this.abort.signal.addEventListener('abort', onStop);
    const lost = () => {
      lockLost = true;
      client.close();
    };
    const renewal = setInterval(
      () => {
        lock.renew().then(
          (held) => {
            if (!held) lost();
          },
          () => lost(),
        );
      },
      Math.max(200, Math.floor(this.ctx.config.EMAIL_MAILBOX_LOCK_TTL_MS / 3)),
    );
    try {
      await client.connect();
      await client.mailboxOpen(email.settings.imap.mailbox);
      this.failures = 0;
      this.log.info({ mailbox: email.settings.imap.mailbox }, 'IMAP reader connected');
      while (!this.stopped && !closed) {
        if (news) {
          news = false;
          const drained = await drainMailbox(this.ctx, email, client, () => this.stopped);
          if (Object.keys(drained.outcomes).length > 0) this.log.debug({ outcomes: drained.outcomes, lastUid: drained.lastUid }, 'mailbox drained');
          continue;
        }
        // IDLE until the server announces mail ('exists'); the next command ends it.
        const woken = new Promise<void>((resolve) => {
          wake = resolve;
        });
        const startedAt = Date.now();
        const idle = client.idle().then(
          () => 'ended' as const,
          () => 'ended' as const,
        );
        const why = await Promise.race([woken.then(() => 'woken' as const), idle]);
        if (why === 'ended' && !news && Date.now() - startedAt < MIN_IDLE_MS) await pause(MIN_IDLE_MS, this.abort.signal);
      }
      if (!this.stopped) throw new Error(lockLost ? 'mailbox lock lost' : 'IMAP connection closed by the server');
    } finally {
      clearInterval(renewal);
      this.abort.signal.removeEventListener('abort', onStop);
      this.client = null;
      if (!closed) await client.logout().catch(() => client.close());
    }
  }
}
