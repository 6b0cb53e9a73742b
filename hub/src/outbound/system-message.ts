import { sql, type Transaction } from 'kysely';
import { toMessageView } from '../conversations/conversation-views.js';
import type { Database } from '../db/schema.js';
import { appendEvents } from '../domain/interaction-events.js';
import type { OutboxNotification } from '../outbox/outbox.js';
import { rooms } from '../realtime/events.contract.js';

export interface SystemMessage {
  conversationId: string;
  channelId: string;
  campaignId: string;
  folio: string;
  text: string;
}

/**
 * Messages the hub itself sends to a citizen (queue position, after-hours notice), stored as
 * `pending` in the caller's transaction; the caller enqueues the returned ids after commit (the
 * outbound sweep re-enqueues any that step loses). Returns the ids and the realtime notifications.
 */
export async function storeSystemMessages(
  trx: Transaction<Database>,
  items: readonly SystemMessage[],
): Promise<{ messageIds: string[]; notifications: OutboxNotification[] }> {
  if (items.length === 0) return { messageIds: [], notifications: [] };
  const inserted = await trx
    .insertInto('messages')
    .values(
      items.map((m) => ({
        conversation_id: m.conversationId,
        channel_id: m.channelId,
        direction: 'outbound' as const,
        sender_type: 'system' as const,
        content_type: 'text' as const,
        text: m.text,
        attachments: '[]',
        status: 'pending' as const,
      })),
    )
    .returningAll()
    .execute();
  const notifications: OutboxNotification[] = [];
  for (const [i, message] of inserted.entries()) {
    const item = items[i] as SystemMessage;
    await appendEvents(trx, { campaignId: item.campaignId, actorType: 'system', actorId: 'router' }, [
      { type: 'message.queued', conversationId: item.conversationId, messageId: message.id, payload: { contentType: 'text' } },
    ]);
    notifications.push({
      event: 'message.created',
      rooms: [rooms.campaign(item.campaignId), rooms.conversation(item.conversationId)],
      data: { campaignId: item.campaignId, conversationId: item.conversationId, folio: item.folio, message: toMessageView(message) },
    });
  }
  await sql`UPDATE conversations SET last_outbound_at = clock_timestamp() WHERE id = ANY(${items.map((m) => m.conversationId)}::uuid[])`.execute(trx);
  return { messageIds: inserted.map((m) => m.id), notifications };
}
