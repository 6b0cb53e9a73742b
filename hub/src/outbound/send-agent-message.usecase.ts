import { sql, type Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import { authorize, HANDLING_ROLES } from '../auth/principal.js';
import { toMessageView } from '../conversations/conversation-views.js';
import type { Database, Message } from '../db/schema.js';
import { appendEvents } from '../domain/interaction-events.js';
import { HubError } from '../errors/error-registry.js';
import { writeOutbox, type OutboxRow } from '../outbox/outbox.js';
import { rooms } from '../realtime/events.contract.js';

export interface AgentReply {
  text: string;
}

/**
 * Stores an agent reply as `pending` with its events and outbox in one transaction; the
 * caller enqueues the send after commit (a sweeper re-enqueues if that step is lost).
 */
export async function sendAgentMessage(
  db: Kysely<Database>,
  principal: Principal,
  conversationId: string,
  reply: AgentReply,
): Promise<{ message: Message; folio: string; outbox: OutboxRow[] }> {
  return db.transaction().execute(async (trx) => {
    const conversation = await trx.selectFrom('conversations').selectAll().where('id', '=', conversationId).forUpdate().executeTakeFirst();
    if (!conversation) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
    authorize(principal, HANDLING_ROLES, conversation.campaign_id);
    if (conversation.closed_at) throw new HubError('HUB_ERR_CONVERSATION_CLOSED');

    const message = await trx
      .insertInto('messages')
      .values({
        conversation_id: conversation.id,
        channel_id: conversation.channel_id,
        direction: 'outbound',
        sender_type: 'agent',
        sender_id: principal.userId,
        content_type: 'text',
        text: reply.text,
        attachments: '[]',
        status: 'pending',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('conversations')
      .set({
        last_message_at: message.created_at,
        last_outbound_at: message.created_at,
        first_response_at: sql`coalesce(first_response_at, ${message.created_at})`,
        unread_count: 0,
        updated_at: sql`now()`,
      })
      .where('id', '=', conversation.id)
      .execute();
    await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'agent', actorId: principal.userId }, [
      { type: 'message.queued', conversationId: conversation.id, messageId: message.id, payload: { contentType: 'text' } },
    ]);
    const outbox = await writeOutbox(trx, [
      {
        event: 'message.created',
        rooms: [rooms.campaign(conversation.campaign_id), rooms.conversation(conversation.id)],
        data: { campaignId: conversation.campaign_id, conversationId: conversation.id, folio: conversation.folio, message: toMessageView(message) },
      },
    ]);
    return { message, folio: conversation.folio, outbox };
  });
}
