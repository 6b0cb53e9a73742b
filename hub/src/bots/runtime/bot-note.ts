import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { appendEvents } from '../../domain/interaction-events.js';
import { toNoteView } from '../../notes/note-views.js';
import type { OutboxNotification } from '../../outbox/outbox.js';
import { rooms } from '../../realtime/events.contract.js';

/** How the bot signs its notes on the agent's timeline. */
export const BOT_AUTHOR_NAME = 'Asistente virtual';

/**
 * The handoff summary as a private note by the bot (author_type 'bot', no user), with the same
 * event and realtime notification as an agent's note (notes/add-note.usecase.ts), so the agent
 * who takes the conversation reads it on the timeline.
 */
export async function addBotNote(
  trx: Transaction<Database>,
  conversation: { id: string; campaign_id: string },
  text: string,
): Promise<{ noteId: string; notification: OutboxNotification }> {
  const row = await trx
    .insertInto('conversation_notes')
    .values({ conversation_id: conversation.id, campaign_id: conversation.campaign_id, author_id: null, author_type: 'bot', text: text.slice(0, 4000) })
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'bot', actorId: null }, [
    { type: 'note.added', conversationId: conversation.id, payload: { noteId: row.id, length: row.text.length } },
  ]);
  return {
    noteId: row.id,
    notification: {
      event: 'note.created',
      rooms: [rooms.conversation(conversation.id), rooms.campaign(conversation.campaign_id)],
      data: { campaignId: conversation.campaign_id, conversationId: conversation.id, note: toNoteView(row, BOT_AUTHOR_NAME) },
    },
  };
}
