import type { ConversationNote } from '../db/schema.js';
import type { NoteView } from '../realtime/events.contract.js';

export function toNoteView(row: ConversationNote, authorName: string): NoteView {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    authorId: row.author_id,
    authorType: row.author_type,
    authorName,
    text: row.text,
    createdAt: row.created_at.toISOString(),
  };
}
