import { sql, type Transaction } from 'kysely';
import type { OutboundContent } from '@ventanilla/connectors/core';
import { toMessageView } from '../../conversations/conversation-views.js';
import type { Conversation, Database } from '../../db/schema.js';
import { appendEvents } from '../../domain/interaction-events.js';
import type { OutboxNotification } from '../../outbox/outbox.js';
import { interactiveReplySchema, type InteractiveReply } from '../../outbound/reply-body.schema.js';
import { rooms } from '../../realtime/events.contract.js';

type ConversationRef = Pick<Conversation, 'id' | 'channel_id' | 'campaign_id' | 'folio'>;

interface StoredReply {
  contentType: 'text' | 'interactive';
  text: string;
  interactive: InteractiveReply | null;
}

/** Options as numbered lines, for when a menu does not fit the stored interactive shape. */
function asNumberedText(text: string, options: string[]): string {
  return [text, '', ...options.map((title, i) => `${i + 1}. ${title}`)].join('\n');
}

/**
 * The engine fits replies to the channel; what is stored must also pass the agent-reply schema
 * (WhatsApp's limits), or `outboundContentOf` would send its bare text. Buttons that do not fit
 * become a list, and a list that does not fit becomes numbered text: the citizen always sees the options.
 */
export function toStoredReply(content: OutboundContent): StoredReply | null {
  switch (content.type) {
    case 'text':
      return content.text.trim() === '' ? null : { contentType: 'text', text: content.text, interactive: null };
    case 'interactive': {
      const direct = interactiveReplySchema.safeParse(content);
      if (direct.success) return { contentType: 'interactive', text: direct.data.text, interactive: direct.data };
      const options = content.buttons?.map((b) => ({ id: b.id, title: b.title })) ?? content.list?.sections.flatMap((s) => s.rows) ?? [];
      const asList = interactiveReplySchema.safeParse({
        text: content.text,
        list: { button: 'Opciones', sections: [{ title: 'Opciones', rows: options.map((o) => ({ id: o.id, title: o.title.slice(0, 24) })) }] },
      });
      if (asList.success) return { contentType: 'interactive', text: asList.data.text, interactive: asList.data };
      return { contentType: 'text', text: asNumberedText(content.text, options.map((o) => o.title)), interactive: null };
    }
    default:
      // The engine only writes text and menus; anything else is said as its text, never dropped.
      return 'text' in content && content.text ? { contentType: 'text', text: content.text, interactive: null } : null;
  }
}

/**
 * Consecutive texts go as one message: separate sends may overtake each other in the outbound
 * queue, and one message reads better on every channel.
 */
function mergeTexts(replies: StoredReply[], maxTextLength: number): StoredReply[] {
  const merged: StoredReply[] = [];
  for (const reply of replies) {
    const previous = merged[merged.length - 1];
    const joined = previous && previous.contentType === 'text' && reply.contentType === 'text' ? `${previous.text}\n\n${reply.text}` : null;
    if (previous && joined !== null && joined.length <= maxTextLength) previous.text = joined;
    else merged.push({ ...reply });
  }
  return merged;
}

/**
 * The bot's replies as outbound messages (sender `bot`, `pending`) with their events and realtime
 * notifications, in the turn's transaction; the caller enqueues the ids after commit, like an
 * agent reply (the outbound sweep re-enqueues any that step loses).
 */
export async function storeBotReplies(
  trx: Transaction<Database>,
  conversation: ConversationRef,
  replies: readonly OutboundContent[],
  maxTextLength: number,
): Promise<{ messageIds: string[]; notifications: OutboxNotification[] }> {
  const stored = mergeTexts(replies.map(toStoredReply).filter((r): r is StoredReply => r !== null), maxTextLength);
  if (stored.length === 0) return { messageIds: [], notifications: [] };
  const inserted = await trx
    .insertInto('messages')
    .values(
      stored.map((r, i) => ({
        conversation_id: conversation.id,
        channel_id: conversation.channel_id,
        direction: 'outbound' as const,
        sender_type: 'bot' as const,
        content_type: r.contentType,
        text: r.text,
        attachments: '[]',
        meta: r.interactive ? JSON.stringify({ interactive: r.interactive }) : null,
        status: 'pending' as const,
        // One statement, one now(): a millisecond apart keeps them in the order the engine said them.
        created_at: sql<Date>`clock_timestamp() + make_interval(secs => ${i / 1000})`,
      })),
    )
    .returningAll()
    .execute();
  inserted.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
  await appendEvents(
    trx,
    { campaignId: conversation.campaign_id, actorType: 'bot', actorId: null },
    inserted.map((m) => ({ type: 'message.queued' as const, conversationId: conversation.id, messageId: m.id, payload: { contentType: m.content_type } })),
  );
  const last = inserted[inserted.length - 1]!;
  await sql`UPDATE conversations SET last_message_at = greatest(last_message_at, ${last.created_at}), last_outbound_at = ${last.created_at}, updated_at = clock_timestamp() WHERE id = ${conversation.id}`.execute(trx);
  const notifications: OutboxNotification[] = inserted.map((message) => ({
    event: 'message.created',
    rooms: [rooms.campaign(conversation.campaign_id), rooms.conversation(conversation.id)],
    data: { campaignId: conversation.campaign_id, conversationId: conversation.id, folio: conversation.folio, message: toMessageView(message) },
  }));
  return { messageIds: inserted.map((m) => m.id), notifications };
}
