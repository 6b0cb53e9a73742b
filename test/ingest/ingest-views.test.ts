import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { createApiChannel, createCampaign } from '../support/factories.js';
import { ChannelStore } from '../../hub/src/channels/channel-store.js';
import { ingestMessages } from '../../hub/src/ingest/ingest-message.usecase.js';
import { toConversationSummary, toMessageView } from '../../hub/src/conversations/conversation-views.js';

/**
 * The ingest function (migration 0002) builds the realtime payloads in SQL; the rest of the
 * hub builds them with toConversationSummary / toMessageView. They must not drift apart.
 */
describe('ingest function payloads', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  it('equal the TypeScript views of the stored rows, for every content kind, in input order', async () => {
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db);
    const { channel } = await createApiChannel(db, campaign.id);
    const loaded = (await new ChannelStore(db).get(channel.id))!;
    const at = new Date().toISOString();
    const results = await ingestMessages(db, [
      { channel: loaded, event: { type: 'message', providerMessageId: 'v-3', occurredAt: at, contact: { email: 'zeta@example.mx', name: 'Zeta' }, content: { type: 'text', text: 'tercero' } } },
      {
        channel: loaded,
        event: {
          type: 'message',
          providerMessageId: 'v-1',
          occurredAt: at,
          contact: { phone: '+52 55 1111 2222', name: 'Ana' },
          content: { type: 'image', text: 'mi INE', attachments: [{ url: 'https://files.example.mx/ine.jpg', filename: 'INE.jpg', mimeType: 'image/jpeg', size: 10 }] },
        },
      },
      { channel: loaded, event: { type: 'message', providerMessageId: 'v-2', occurredAt: at, contact: { phone: '5511112222' }, content: { type: 'location', latitude: 19.4, longitude: -99.1, name: 'UMF 20' } } },
      { channel: loaded, event: { type: 'message', providerMessageId: 'v-1', occurredAt: at, contact: { phone: '5511112222' }, content: { type: 'text', text: 'repetido' } } },
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['stored', 'stored', 'stored', 'duplicate']);

    for (const result of results) {
      if (result.outcome !== 'stored') continue;
      const conversation = await db.selectFrom('conversations').selectAll().where('id', '=', result.conversationId).executeTakeFirstOrThrow();
      const message = await db.selectFrom('messages').selectAll().where('id', '=', result.messageId).executeTakeFirstOrThrow();
      const contact = await db.selectFrom('contacts').select('display_name').where('id', '=', conversation.contact_id).executeTakeFirstOrThrow();
      const created = result.outbox.find((o) => o.notification.event === 'message.created');
      expect(created?.notification.data).toEqual({ campaignId: campaign.id, conversationId: conversation.id, folio: conversation.folio, message: toMessageView(message) });
      const opened = result.outbox.find((o) => o.notification.event === 'conversation.opened');
      if (result.newConversation) {
        // The summary is taken right after this message: compare with the row as it was then.
        const summary = toConversationSummary({ ...conversation, unread_count: 1, last_message_at: message.created_at }, { channelKind: 'api', contactName: contact.display_name });
        expect(opened?.notification.data).toEqual({ campaignId: campaign.id, conversation: summary });
      } else {
        expect(opened).toBeUndefined();
      }
    }
    // Ana's two messages (two phone formats) share one conversation; Zeta has her own.
    const [zeta, ana1, ana2] = results;
    expect(ana1?.outcome === 'stored' && ana2?.outcome === 'stored' && ana1.conversationId === ana2.conversationId).toBe(true);
    expect(zeta?.outcome === 'stored' && ana1?.outcome === 'stored' && zeta.conversationId !== ana1.conversationId).toBe(true);
  });
});
