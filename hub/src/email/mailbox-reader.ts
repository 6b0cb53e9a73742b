import type { ImapFlow } from 'imapflow';
import { keepLockRenewed, LockedSessionLoop, pause } from '../queues/locked-session-loop.js';
import type { HubContext } from '../runtime/context.js';
import { loadEmailChannel, type EmailChannel } from './email-channel.js';
import { createImapClient, drainMailbox } from './imap-session.js';
import { MailboxLock } from './mailbox-lock.js';

/** IDLE that ends by itself this fast (a server refusing it) is not restarted in a tight loop. */
const MIN_IDLE_MS = 1000;

/**
 * Keeps one channel's mailbox read for as long as it runs: takes the mailbox lock (another
 * process may hold it — then it waits), connects, drains, IDLEs until the server announces new
 * mail, and on any error or disconnect reconnects with exponential backoff. Never throws.
 */
export class MailboxReader {
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  private client: ImapFlow | null = null;
  private readonly sessions: LockedSessionLoop<EmailChannel>;
  private readonly log: HubContext['logger'];

  constructor(
    private readonly ctx: HubContext,
    readonly channelId: string,
  ) {
    this.log = ctx.logger.child({ channelId, component: 'imap-reader' });
    const { config } = ctx;
    this.sessions = new LockedSessionLoop<EmailChannel>({
      signal: this.abort.signal,
      lockTtlMs: config.EMAIL_MAILBOX_LOCK_TTL_MS,
      reconnectBaseMs: config.EMAIL_RECONNECT_BASE_MS,
      reconnectMaxMs: config.EMAIL_RECONNECT_MAX_MS,
      prepare: async () => {
        const email = await loadEmailChannel(ctx, channelId);
        // Disabled or misconfigured: the reader supervisor stops us at its next scan.
        if (!email) return { waitMs: config.EMAIL_CHANNEL_RESCAN_MS };
        return { lock: new MailboxLock(ctx.redis, config.REDIS_PREFIX, channelId, email.settings.imap.mailbox, config.EMAIL_MAILBOX_LOCK_TTL_MS), target: email };
      },
      session: async (email, lock) => {
        await this.session(email, lock);
        return undefined;
      },
      // session() only returns once stopped (a lost connection or lock throws), so this is not reached.
      onEnded: (reason, failures, retryInMs) => this.log.warn({ reason, failures, retryInMs }, 'IMAP reader disconnected; reconnecting'),
      onFailed: (error, failures, retryInMs) => this.log.warn({ err: error, failures, retryInMs }, 'IMAP reader disconnected; reconnecting'),
    });
  }

  start(): void {
    this.running ??= this.sessions.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.client?.close();
    await this.running;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
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
    const stopRenewal = keepLockRenewed(lock, this.ctx.config.EMAIL_MAILBOX_LOCK_TTL_MS, { onLost: lost });
    try {
      await client.connect();
      await client.mailboxOpen(email.settings.imap.mailbox);
      this.sessions.healthy();
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
      stopRenewal();
      this.abort.signal.removeEventListener('abort', onStop);
      this.client = null;
      if (!closed) await client.logout().catch(() => client.close());
    }
  }
}
