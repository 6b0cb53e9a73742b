import { ImapFlow } from 'imapflow';
import type { HubContext } from '../runtime/context.js';
import type { EmailChannel } from './email-channel.js';
import { handleFetchedEmail, type FetchedEmailOutcome } from './handle-fetched-email.usecase.js';
import { advanceMailboxPosition, syncMailboxPosition } from './mailbox-state.js';

/**
 * Servers may drop an IDLE session after 30 minutes of client silence (RFC 9051 §6.3.13); IDLE
 * is ended and restarted well before that, and before imapflow's 5-minute socket timeout.
 */
const IDLE_RESTART_MS = 4 * 60_000;

/** Message sources held in memory at once, at most (a batch is also EMAIL_FETCH_BATCH messages). */
const MAX_BATCH_BYTES = 32 * 1024 * 1024;
const UIDS_PER_ROUND = 500;

export function createImapClient(email: EmailChannel): ImapFlow {
  const { imap } = email.settings;
  return new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.secure,
    auth: { user: imap.user, pass: email.channel.secrets['imapPassword'] ?? '' },
    tls: { rejectUnauthorized: imap.rejectUnauthorized },
    logger: false,
    // The reader decides when to IDLE (right after each drain), so mail arriving while it
    // works is announced at once instead of after imapflow's inactivity delay.
    disableAutoIdle: true,
    maxIdleTime: IDLE_RESTART_MS,
    connectionTimeout: 30_000,
    greetingTimeout: 16_000,
  });
}

export interface DrainResult {
  uidValidity: bigint;
  lastUid: number;
  /** The mailbox's UIDVALIDITY differed from the stored one: read again from UID 1. */
  reset: boolean;
  outcomes: Partial<Record<FetchedEmailOutcome, number>>;
}

/**
 * Hands every message after the stored position to the hub, in UID order and in batches, and
 * saves the position after each one — only once its job is in the queue, so a crash in between
 * reads it again (the inbound job id and Message-ID deduplication drop the repeat). Mail is
 * marked \Seen, never deleted.
 */
export async function drainMailbox(ctx: HubContext, email: EmailChannel, client: ImapFlow, shouldStop: () => boolean = () => false): Promise<DrainResult> {
  const mailbox = client.mailbox;
  if (!mailbox) throw new Error('no mailbox selected');
  const channelId = email.channel.row.id;
  const name = email.settings.imap.mailbox;
  const position = await syncMailboxPosition(ctx.db.kysely, channelId, name, mailbox.uidValidity);
  if (position.reset) ctx.logger.info({ channelId, mailbox: name, uidValidity: String(mailbox.uidValidity) }, 'reading mailbox from its first message');
  const result: DrainResult = { uidValidity: position.uidValidity, lastUid: position.lastUid, reset: position.reset, outcomes: {} };
  for (;;) {
    // `n:*` always names the newest message, even below n (RFC 9051 §6.4.4): filter again.
    const found = (await client.search({ uid: `${result.lastUid + 1}:*` }, { uid: true })) || [];
    // A bounded slice per round keeps command lines short on a large first read.
    const uids = found.filter((uid) => uid > result.lastUid).sort((a, b) => a - b).slice(0, UIDS_PER_ROUND);
    if (uids.length === 0 || shouldStop()) return result;
    const range = `${uids[0]}:${uids[uids.length - 1]}`;
    const sizes = new Map((await client.fetchAll(range, { uid: true, size: true }, { uid: true })).map((m) => [m.uid, m.size ?? 0]));
    for (const batch of batches(uids, sizes, ctx.config.EMAIL_FETCH_BATCH)) {
      if (shouldStop()) return result;
      const messages = await client.fetchAll(batch.join(','), { uid: true, source: true }, { uid: true });
      messages.sort((a, b) => a.uid - b.uid);
      for (const message of messages) {
        const outcome = await handleFetchedEmail(ctx, email, { uid: message.uid, uidValidity: position.uidValidity, source: message.source ?? Buffer.alloc(0) });
        await advanceMailboxPosition(ctx.db.kysely, channelId, name, position.uidValidity, message.uid);
        result.lastUid = message.uid;
        result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + 1;
      }
      // A message expunged between SEARCH and FETCH is simply gone: move past it.
      const last = batch[batch.length - 1];
      if (last !== undefined && last > result.lastUid) {
        await advanceMailboxPosition(ctx.db.kysely, channelId, name, position.uidValidity, last);
        result.lastUid = last;
      }
      await client.messageFlagsAdd(batch.join(','), ['\\Seen'], { uid: true }).catch(() => false);
    }
  }
}

/** Consecutive UIDs grouped by count and by total size (a single larger message goes alone). */
function batches(uids: number[], sizes: ReadonlyMap<number, number>, maxCount: number): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const uid of uids) {
    const size = sizes.get(uid) ?? 0;
    if (current.length > 0 && (current.length >= maxCount || bytes + size > MAX_BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(uid);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}
