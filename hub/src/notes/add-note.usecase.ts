import type { Kysely } from 'kysely';
import { authorize, HANDLING_ROLES, type Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { appendEvents } from '../domain/interaction-events.js';
import { HubError } from '../errors/error-registry.js';
import { writeOutbox, type OutboxRow } from '../outbox/outbox.js';
import { rooms, type NoteView } from '../realtime/events.contract.js';
import { toNoteView } from './note-views.js';

/**
 * A private note on a conversation, with its note.added event and its note.created
 * notification in one transaction. Notes have their own table: nothing that sends to a
 * channel reads it, so a note cannot reach the citizen.
 */
export async function addNote(db: Kysely<Database>, principal: Principal, conversationId: string, text: string): Promise<{ note: NoteView; outbox: OutboxRow[] }> {
  return db.transaction().execute(async (trx) => {
    const conversation = await trx.selectFrom('conversations').select(['id', 'campaign_id']).where('id', '=', conversationId).executeTakeFirst();
    if (!conversation) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
    authorize(principal, HANDLING_ROLES, conversation.campaign_id);
    const row = await trx
      .insertInto('conversation_notes')
      .values({ conversation_id: conversation.id, campaign_id: conversation.campaign_id, author_id: principal.userId, text })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'agent', actorId: principal.userId }, [
      { type: 'note.added', conversationId: conversation.id, payload: { noteId: row.id, length: text.length } },
    ]);
    const note = toNoteView(row, principal.displayName);
    const outbox = await writeOutbox(trx, [
      {
        event: 'note.created',
        rooms: [rooms.conversation(conversation.id), rooms.campaign(conversation.campaign_id)],
        data: { campaignId: conversation.campaign_id, conversationId: conversation.id, note },
      },
    ]);
    return { note, outbox };
  });
}
