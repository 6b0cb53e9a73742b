import type { Kysely } from 'kysely';
import type { Conversation, Database } from '../db/schema.js';
import { toNoteView } from '../notes/note-views.js';
import type { TimelineItem } from '../realtime/events.contract.js';
import { toMessageView } from './conversation-views.js';

/** Per source; a longer conversation shows its most recent part. */
export const TIMELINE_LIMIT = 1000;

/**
 * Routing and lifecycle events shown between messages. message.* events are left out (the
 * message itself is in the timeline), and so are note.added and file.uploaded (the note is;
 * a file shows up in the reply that sends it).
 */
const SHOWN_EVENTS = ['conversation.%', 'offer.%', 'bot.%'];

/** Ties at the same millisecond: the opening first, then messages, events, notes. */
const RANK = { opened: 0, message: 1, event: 2, note: 3 } as const;

/** Messages, private notes and routing events of one conversation, oldest first. */
export async function loadTimeline(db: Kysely<Database>, conversation: Pick<Conversation, 'id' | 'opened_at'>): Promise<TimelineItem[]> {
  const [messages, notes, events] = await Promise.all([
    db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversation.id)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(TIMELINE_LIMIT)
      .execute(),
    db
      .selectFrom('conversation_notes as n')
      .leftJoin('users as u', 'u.id', 'n.author_id')
      .selectAll('n')
      .select('u.display_name as author_name')
      .where('n.conversation_id', '=', conversation.id)
      .orderBy('n.created_at', 'desc')
      .orderBy('n.id', 'desc')
      .limit(TIMELINE_LIMIT)
      .execute(),
    db
      .selectFrom('interaction_events')
      .selectAll()
      .where('conversation_id', '=', conversation.id)
      .where((eb) => eb.or(SHOWN_EVENTS.map((pattern) => eb('type', 'like', pattern))))
      .orderBy('id', 'desc')
      .limit(TIMELINE_LIMIT)
      .execute(),
  ]);

  const entries: { ms: number; rank: number; item: TimelineItem }[] = [];
  for (const e of events.reverse()) {
    // The opening event is written just after the first message in the same transaction; the
    // conversation opened when that message arrived, so it is placed there.
    const opened = e.type === 'conversation.opened';
    const at = opened && conversation.opened_at < e.occurred_at ? conversation.opened_at : e.occurred_at;
    entries.push({
      ms: at.getTime(),
      rank: opened ? RANK.opened : RANK.event,
      item: { kind: 'event', at: at.toISOString(), event: { id: e.id, type: e.type, actorType: e.actor_type, actorId: e.actor_id, payload: e.payload } },
    });
  }
  for (const m of messages.reverse()) {
    entries.push({ ms: m.created_at.getTime(), rank: RANK.message, item: { kind: 'message', at: m.created_at.toISOString(), message: toMessageView(m) } });
  }
  for (const n of notes.reverse()) {
    entries.push({ ms: n.created_at.getTime(), rank: RANK.note, item: { kind: 'note', at: n.created_at.toISOString(), note: toNoteView(n, n.author_name ?? 'Asistente virtual') } });
  }
  // Array.prototype.sort is stable: within one kind the query order (id, created_at) holds.
  entries.sort((a, b) => a.ms - b.ms || a.rank - b.rank);
  return entries.map((entry) => entry.item);
}
