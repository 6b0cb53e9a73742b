import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmailReaders, type EmailReaders } from '../../hub/src/email/imap-reader.js';
import { inboundJobId } from '../../hub/src/queues/queues.js';
import { citizenMessageId, rawMail, startEmailHarness, waitFor, type EmailCampaign, type EmailHarness } from './email-harness.js';

const LOCK_TTL_MS = 2000;

/**
 * Issue 5 item 7: UID/UIDVALIDITY tracking so a restart neither loses nor duplicates mail, IDLE
 * for new mail, reconnection with backoff, and one reader per mailbox across processes.
 */
describe('IMAP reader durability', () => {
  let h: EmailHarness;
  const running: EmailReaders[] = [];

  beforeAll(async () => {
    h = await startEmailHarness({
      config: {
        EMAIL_CHANNEL_RESCAN_MS: '300',
        EMAIL_MAILBOX_LOCK_TTL_MS: String(LOCK_TTL_MS),
        EMAIL_RECONNECT_BASE_MS: '100',
        EMAIL_RECONNECT_MAX_MS: '500',
        EMAIL_FETCH_BATCH: '2',
      },
    });
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await h?.cleanup();
  });

  function readers(): EmailReaders {
    const r = startEmailReaders(h.hub.ctx);
    running.push(r);
    return r;
  }

  async function stopReaders(r: EmailReaders): Promise<void> {
    running.splice(running.indexOf(r), 1);
    await r.stop();
  }

  function mail(to: EmailCampaign, text: string, messageId = citizenMessageId()) {
    return { messageId, raw: rawMail({ from: 'rosa@correo.ciudadano.test', to: to.address, subject: `Trámite ${text}`, text, messageId }) };
  }

  async function messagesWith(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await h.db.selectFrom('messages').select('provider_message_id').where('provider_message_id', 'in', ids).execute();
    return rows.map((r) => r.provider_message_id ?? '');
  }

  async function channelMessageCount(channelId: string): Promise<number> {
    const row = await h.db.selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n')).where('channel_id', '=', channelId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function channelFileCount(channelId: string): Promise<number> {
    const row = await h.db.selectFrom('files').select((eb) => eb.fn.countAll<string>().as('n')).where('channel_id', '=', channelId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Every inbound job processed (ingest finished, duplicates included). */
  async function ingestIdle(): Promise<void> {
    await waitFor(async () => {
      const counts = await h.hub.ctx.queues.inbound.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(counts).every((n) => n === 0);
    }, 'inbound queue drained');
  }

  async function lastUid(channelId: string): Promise<number> {
    const row = await h.db.selectFrom('email_mailbox_state').select('last_uid').where('channel_id', '=', channelId).executeTakeFirstOrThrow();
    return Number(row.last_uid);
  }

  it('delivers mail appended while connected within seconds (IDLE), and survives a restart without loss or duplicates', async () => {
    const c = await h.addCampaign();
    const r = readers();
    await waitFor(async () => (await h.db.selectFrom('email_mailbox_state').select('channel_id').where('channel_id', '=', c.channelId).executeTakeFirst()) !== undefined, 'reader connected');
    // Give the reader a moment to enter IDLE after its first (empty) drain.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const first = mail(c, 'por IDLE');
    const appendedAt = Date.now();
    await h.deliver(first.raw, c);
    await h.waitForMessage(first.messageId, 5000);
    expect(Date.now() - appendedAt).toBeLessThan(5000);

    // Stop the reader, let mail pile up, start again: every message once.
    await stopReaders(r);
    const queued = [mail(c, 'uno'), mail(c, 'dos'), mail(c, 'tres'), mail(c, 'cuatro'), mail(c, 'cinco')];
    for (const m of queued) await h.deliver(m.raw, c);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await messagesWith(queued.map((m) => m.messageId))).toEqual([]);

    readers();
    for (const m of queued) await h.waitForMessage(m.messageId);
    await ingestIdle();
    expect((await messagesWith([first.messageId, ...queued.map((m) => m.messageId)])).sort()).toEqual([first.messageId, ...queued.map((m) => m.messageId)].sort());
    expect(await channelMessageCount(c.channelId)).toBe(6);
    expect(await lastUid(c.channelId)).toBe(6);
  });

  it('reconnects with backoff after the IMAP server goes away and comes back', async () => {
    const c = await h.addCampaign();
    readers();
    const before = mail(c, 'antes de la caída');
    await h.deliver(before.raw, c);
    await h.waitForMessage(before.messageId);

    await h.dovecot.pause();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await h.dovecot.resume();
    const after = mail(c, 'después de la caída');
    await h.deliver(after.raw, c);
    await h.waitForMessage(after.messageId, 15_000);
    await ingestIdle();
    expect(await channelMessageCount(c.channelId)).toBe(2);
  });

  it('reads a mailbox from one process at a time; a crashed holder’s lock expires', async () => {
    const c = await h.addCampaign();
    // Two "processes": the second waits while the first holds the mailbox.
    const a = readers();
    await waitFor(async () => (await h.db.selectFrom('email_mailbox_state').select('channel_id').where('channel_id', '=', c.channelId).executeTakeFirst()) !== undefined, 'first reader connected');
    readers();
    await expect(h.read(c)).rejects.toMatchObject({ code: 'HUB_ERR_CONFLICT' });
    const key = `${h.hub.config.REDIS_PREFIX}:email:mailbox-lock:${c.channelId}:INBOX`;
    const holder = await h.hub.ctx.redis.get(key);
    expect(holder).toBeTruthy();

    const m1 = mail(c, 'uno');
    await h.deliver(m1.raw, c);
    await h.waitForMessage(m1.messageId);
    // The first stops: the second takes over the mailbox.
    await stopReaders(a);
    const m2 = mail(c, 'dos');
    await h.deliver(m2.raw, c);
    await h.waitForMessage(m2.messageId, 10_000);
    expect(await h.hub.ctx.redis.get(key)).not.toBe(holder);
    await Promise.all(running.splice(0).map((r) => r.stop()));

    // A process that died holding the lock: nobody reads until its TTL runs out, then one does.
    await h.hub.ctx.redis.set(key, 'crashed-process', 'PX', LOCK_TTL_MS);
    readers();
    const m3 = mail(c, 'tres');
    await h.deliver(m3.raw, c);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await messagesWith([m3.messageId])).toEqual([]);
    await h.waitForMessage(m3.messageId, 10_000);
    await ingestIdle();
    expect(await channelMessageCount(c.channelId)).toBe(3);
  });

  it('starts and stops readers as channels are enabled and disabled', async () => {
    const r = readers();
    const c = await h.addCampaign();
    await waitFor(() => r.channelIds().includes(c.channelId), 'new channel picked up');
    await h.db.updateTable('channels').set({ enabled: false }).where('id', '=', c.channelId).execute();
    await waitFor(() => !r.channelIds().includes(c.channelId), 'disabled channel dropped');
    const m = mail(c, 'mientras estaba deshabilitado');
    await h.deliver(m.raw, c);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await messagesWith([m.messageId])).toEqual([]);
    await h.db.updateTable('channels').set({ enabled: true }).where('id', '=', c.channelId).execute();
    await h.waitForMessage(m.messageId, 10_000);
  });

  it('reads the whole mailbox again after a UIDVALIDITY change, storing nothing twice', async () => {
    const c = await h.addCampaign();
    const mails = [mail(c, 'a'), mail(c, 'b'), mail(c, 'c')];
    for (const m of mails) await h.deliver(m.raw, c);
    expect((await h.read(c)).outcomes).toEqual({ message: 3 });
    await ingestIdle();
    const files = await channelFileCount(c.channelId);
    expect(await channelMessageCount(c.channelId)).toBe(3);

    await h.dovecot.setUidValidity(c.mailbox.user, 'INBOX', 4242);
    const extra = mail(c, 'd');
    await h.deliver(extra.raw, c);
    const again = await h.read(c);
    expect(again.reset).toBe(true);
    expect(again.uidValidity).toBe(4242n);
    expect(again.outcomes).toEqual({ message: 4 });
    await h.waitForMessage(extra.messageId);
    await ingestIdle();
    expect(await channelMessageCount(c.channelId)).toBe(4);
    // The re-read found the files it had stored: only the new mail's original was added.
    expect(await channelFileCount(c.channelId)).toBe(files + 1);
    expect(await lastUid(c.channelId)).toBe(4);
  });

  it('a crash between enqueueing and saving the position re-reads the mail and ingest drops the repeat', async () => {
    const c = await h.addCampaign();
    const m = mail(c, 'una sola vez');
    await h.deliver(m.raw, c);
    expect((await h.read(c)).outcomes).toEqual({ message: 1 });
    const stored = await h.waitForMessage(m.messageId);
    await ingestIdle();
    const files = await channelFileCount(c.channelId);

    // The crash: the job is in the queue but the position update never happened.
    await h.db.updateTable('email_mailbox_state').set({ last_uid: 0 }).where('channel_id', '=', c.channelId).execute();
    // ...and the finished job has already been cleaned from BullMQ, so only ingest can tell.
    const jobId = inboundJobId({ channelId: c.channelId, event: { type: 'message', providerMessageId: m.messageId, occurredAt: new Date().toISOString(), contact: {}, content: { type: 'text', text: 'x' } }, receivedAt: 1 });
    const first = await h.hub.ctx.queues.inbound.getJob(jobId);
    expect(first?.returnvalue).toBe('stored');
    await first?.remove();

    expect((await h.read(c)).outcomes).toEqual({ message: 1 });
    await ingestIdle();
    const repeat = await h.hub.ctx.queues.inbound.getJob(jobId);
    expect(repeat?.returnvalue).toBe('duplicate');
    expect(await channelMessageCount(c.channelId)).toBe(1);
    expect(await channelFileCount(c.channelId)).toBe(files);
    expect(await lastUid(c.channelId)).toBe(1);

    // Same crash while the first job is still known to BullMQ: the job id alone drops it.
    await h.db.updateTable('email_mailbox_state').set({ last_uid: 0 }).where('channel_id', '=', c.channelId).execute();
    expect((await h.read(c)).outcomes).toEqual({ message: 1 });
    await ingestIdle();
    expect(await channelMessageCount(c.channelId)).toBe(1);
    const conversation = await h.db.selectFrom('messages').select('conversation_id').where('channel_id', '=', c.channelId).executeTakeFirstOrThrow();
    expect(conversation.conversation_id).toBe(stored.conversationId);
  });
});
