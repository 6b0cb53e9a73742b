import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailMeta, InboundMessageEvent } from '@ventanilla/connectors/core';
import { ChannelStore, type LoadedChannel } from '../../hub/src/channels/channel-store.js';
import { ingestMessage } from '../../hub/src/ingest/ingest-message.usecase.js';
import { createApiChannel, createCampaign } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';

/**
 * Threading in the ingest function (migration 0006, issue 5 item 8): a reply naming one of the
 * channel's messages or a folio goes back to that conversation — reopened when closed — but only
 * for the same citizen on the same channel; files stored beforehand are linked to the conversation.
 */
describe('ingest threading and file linking', () => {
  let hub: TestHub;
  let channel: LoadedChannel;
  let other: LoadedChannel;
  beforeAll(async () => {
    hub = await createTestHub();
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db);
    const second = await createCampaign(db);
    const store = new ChannelStore(db);
    channel = (await store.get((await createApiChannel(db, campaign.id)).channel.id))!;
    other = (await store.get((await createApiChannel(db, second.id)).channel.id))!;
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  function mail(from: string, meta: Partial<EmailMeta> = {}, extra: Partial<InboundMessageEvent> = {}): InboundMessageEvent {
    const messageId = `<${randomUUID()}@correo.example.mx>`;
    return {
      type: 'message',
      providerMessageId: messageId,
      occurredAt: new Date().toISOString(),
      contact: { email: from, name: 'Ciudadana' },
      content: { type: 'text', text: 'hola' },
      email: { subject: 'Trámite', messageId, references: [], from, to: [], cc: [], ...meta },
      ...extra,
    };
  }

  async function close(conversationId: string): Promise<void> {
    await hub.ctx.db.kysely.updateTable('conversations').set({ status: 'resolved', closed_at: new Date() }).where('id', '=', conversationId).execute();
  }

  it('stores the e-mail metadata and a reply by In-Reply-To reopens the closed conversation with its folio', async () => {
    const db = hub.ctx.db.kysely;
    const first = mail('ana@example.mx', { subject: 'Mi pensión' });
    const r1 = await ingestMessage(db, channel, first);
    if (r1.outcome !== 'stored') throw new Error('not stored');
    const stored = await db.selectFrom('messages').select('meta').where('id', '=', r1.messageId).executeTakeFirstOrThrow();
    expect(stored.meta?.subject).toBe('Mi pensión');
    await close(r1.conversationId);

    const reply = await ingestMessage(db, channel, mail('ana@example.mx', { inReplyTo: first.providerMessageId, subject: 'Re: Mi pensión' }));
    if (reply.outcome !== 'stored') throw new Error('not stored');
    expect(reply).toMatchObject({ conversationId: r1.conversationId, folio: r1.folio, newConversation: false, reopened: true });
    const conversation = await db.selectFrom('conversations').selectAll().where('id', '=', r1.conversationId).executeTakeFirstOrThrow();
    expect(conversation).toMatchObject({ status: 'queued', closed_at: null, queue_id: null, assignee_id: null, unread_count: 1 });
    const events = await db.selectFrom('interaction_events').select('type').where('conversation_id', '=', r1.conversationId).orderBy('id').execute();
    expect(events.map((e) => e.type)).toContain('conversation.reopened');
    expect(reply.outbox.map((o) => o.notification.event)).toEqual(['conversation.opened', 'message.created']);
  });

  it('a folio in the subject reopens the conversation; without a reference a closed one stays closed', async () => {
    const db = hub.ctx.db.kysely;
    const r1 = await ingestMessage(db, channel, mail('beto@example.mx'));
    if (r1.outcome !== 'stored') throw new Error('not stored');
    await close(r1.conversationId);
    const fresh = await ingestMessage(db, channel, mail('beto@example.mx', { subject: 'Otra consulta' }));
    if (fresh.outcome !== 'stored') throw new Error('not stored');
    expect(fresh.conversationId).not.toBe(r1.conversationId);
    expect(fresh.newConversation).toBe(true);
    await close(fresh.conversationId);

    const byFolio = await ingestMessage(db, channel, mail('beto@example.mx', { subject: `Re: [${r1.folio}]`, folio: r1.folio }));
    expect(byFolio).toMatchObject({ outcome: 'stored', conversationId: r1.conversationId, reopened: true });
  });

  it('a reply while the citizen has another conversation open goes to the open one (one open per channel)', async () => {
    const db = hub.ctx.db.kysely;
    const old = mail('carla@example.mx');
    const r1 = await ingestMessage(db, channel, old);
    if (r1.outcome !== 'stored') throw new Error('not stored');
    await close(r1.conversationId);
    const open = await ingestMessage(db, channel, mail('carla@example.mx'));
    if (open.outcome !== 'stored') throw new Error('not stored');
    const reply = await ingestMessage(db, channel, mail('carla@example.mx', { inReplyTo: old.providerMessageId }));
    expect(reply).toMatchObject({ outcome: 'stored', conversationId: open.conversationId, reopened: false });
  });

  it('a forged reference to another citizen or another campaign opens a new conversation and touches nothing else', async () => {
    const db = hub.ctx.db.kysely;
    const victimMail = mail('victima@example.mx');
    const victim = await ingestMessage(db, channel, victimMail);
    if (victim.outcome !== 'stored') throw new Error('not stored');
    await close(victim.conversationId);
    const foreignMail = mail('otra@example.mx');
    const foreign = await ingestMessage(db, other, foreignMail);
    if (foreign.outcome !== 'stored') throw new Error('not stored');

    const forged = await ingestMessage(
      db,
      channel,
      mail('atacante@example.mx', { inReplyTo: victimMail.providerMessageId, references: [foreignMail.providerMessageId], folio: victim.folio }),
    );
    if (forged.outcome !== 'stored') throw new Error('not stored');
    expect(forged.conversationId).not.toBe(victim.conversationId);
    expect(forged.conversationId).not.toBe(foreign.conversationId);
    expect(forged).toMatchObject({ newConversation: true, reopened: false });
    const victimRow = await db.selectFrom('conversations').select(['status', 'closed_at']).where('id', '=', victim.conversationId).executeTakeFirstOrThrow();
    expect(victimRow.status).toBe('resolved');
    const count = await db.selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n')).where('conversation_id', '=', victim.conversationId).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('links files stored before the message to its conversation, only those of the same channel', async () => {
    const db = hub.ctx.db.kysely;
    const insertFile = async (channelId: string, campaignId: string) => {
      const id = randomUUID();
      await db
        .insertInto('files')
        .values({ id, conversation_id: null, channel_id: channelId, source: 'contact', campaign_id: campaignId, filename: 'acta.pdf', mime_type: 'application/pdf', size: 4, sha256: 'a'.repeat(64), storage_key: `files/t/${id}` })
        .execute();
      return id;
    };
    const own = await insertFile(channel.row.id, channel.row.campaign_id);
    const foreign = await insertFile(other.row.id, other.row.campaign_id);
    const event = mail('dora@example.mx', {}, {
      content: {
        type: 'file',
        text: 'adjunto',
        attachments: [
          { fileId: own, filename: 'acta.pdf', mimeType: 'application/pdf', size: 4 },
          { fileId: foreign, filename: 'ajeno.pdf', mimeType: 'application/pdf', size: 4 },
        ],
      },
    });
    const result = await ingestMessage(db, channel, event);
    if (result.outcome !== 'stored') throw new Error('not stored');
    const files = await db.selectFrom('files').select(['id', 'conversation_id']).where('id', 'in', [own, foreign]).execute();
    expect(Object.fromEntries(files.map((f) => [f.id, f.conversation_id]))).toEqual({ [own]: result.conversationId, [foreign]: null });
  });
});
