import { createHash } from 'node:crypto';
import { HubError } from '../errors/error-registry.js';
import type { HubContext } from '../runtime/context.js';
import { loadEmailChannel } from './email-channel.js';
import { createImapClient, drainMailbox, type DrainResult } from './imap-session.js';
import { MailboxLock } from './mailbox-lock.js';
import { MailboxReader } from './mailbox-reader.js';

export interface EmailReaders {
  /** Channel ids being read by this process right now (or waiting for the mailbox lock). */
  channelIds(): string[];
  /** Re-reads the channel list now instead of at the next interval. */
  rescan(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The IMAP readers of a worker process: one per enabled e-mail channel, the channel list read
 * again every EMAIL_CHANNEL_RESCAN_MS so channels added, edited or disabled while running are
 * picked up. Across processes each mailbox is read by one of them at a time (MailboxLock).
 */
export function startEmailReaders(ctx: HubContext): EmailReaders {
  const readers = new Map<string, { reader: MailboxReader; fingerprint: string }>();
  let stopped = false;
  let scanning: Promise<void> = Promise.resolve();

  const scanOnce = async () => {
    const rows = await ctx.db.kysely.selectFrom('channels').select(['id', 'settings', 'secrets']).where('kind', '=', 'email').where('enabled', '=', true).execute();
    if (stopped) return;
    const wanted = new Map(rows.map((row) => [row.id, createHash('sha1').update(JSON.stringify([row.settings, row.secrets])).digest('hex')]));
    const stopping: Promise<void>[] = [];
    for (const [id, running] of readers) {
      if (wanted.get(id) === running.fingerprint) continue;
      readers.delete(id);
      stopping.push(running.reader.stop());
    }
    await Promise.all(stopping);
    for (const [id, fingerprint] of wanted) {
      if (readers.has(id) || stopped) continue;
      // Edited settings must not wait for the channel cache to expire.
      ctx.channels.invalidate(id);
      const reader = new MailboxReader(ctx, id);
      readers.set(id, { reader, fingerprint });
      reader.start();
    }
  };
  const rescan = () => {
    scanning = scanning.then(scanOnce).catch((error: unknown) => ctx.logger.warn({ err: error }, 'could not read the e-mail channel list; retrying at the next scan'));
    return scanning;
  };
  void rescan();
  const timer = setInterval(() => void rescan(), ctx.config.EMAIL_CHANNEL_RESCAN_MS);
  timer.unref();

  return {
    channelIds: () => [...readers.keys()],
    rescan,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await scanning;
      await Promise.all([...readers.values()].map(({ reader }) => reader.stop()));
      readers.clear();
    },
  };
}

/**
 * Reads a channel's mailbox once — connect, hand every new message to the hub, log out — under
 * the same mailbox lock as the long-running readers (for tests and manual catch-up). Throws
 * HUB_ERR_CONFLICT when another process holds the mailbox.
 */
export async function readMailboxOnce(ctx: HubContext, channelId: string): Promise<DrainResult> {
  const email = await loadEmailChannel(ctx, channelId);
  if (!email) throw new HubError('HUB_ERR_CHANNEL_NOT_FOUND');
  const lock = new MailboxLock(ctx.redis, ctx.config.REDIS_PREFIX, channelId, email.settings.imap.mailbox, ctx.config.EMAIL_MAILBOX_LOCK_TTL_MS);
  if (!(await lock.acquire())) throw new HubError('HUB_ERR_CONFLICT', 'Otro proceso lee este buzón / another process is reading this mailbox');
  const client = createImapClient(email);
  client.on('error', () => undefined);
  const renewal = setInterval(() => void lock.renew().catch(() => false), Math.max(200, Math.floor(ctx.config.EMAIL_MAILBOX_LOCK_TTL_MS / 3)));
  try {
    await client.connect();
    await client.mailboxOpen(email.settings.imap.mailbox);
    return await drainMailbox(ctx, email, client);
  } finally {
    clearInterval(renewal);
    await client.logout().catch(() => client.close());
    await lock.release();
  }
}
