import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { writeOutbox } from '../../outbox/outbox.js';
import { routedNotification } from '../../router/usecases/router-effects.js';
import type { AnsweredTurn } from './bot-turn-types.js';

/**
 * The campaign's production model was withdrawn before the bot's first turn: the conversation
 * goes straight to the router's intake, as if the bot had never been enabled (no session, no outcome).
 */
export async function releaseWithoutModel(db: Kysely<Database>, conversationId: string): Promise<AnsweredTurn | null> {
  return db.transaction().execute(async (trx) => {
    const conversation = await trx.selectFrom('conversations').selectAll().where('id', '=', conversationId).forUpdate().executeTakeFirst();
    if (!conversation || conversation.status !== 'bot' || conversation.closed_at !== null) return null;
    const queued = await trx
      .updateTable('conversations')
      .set({ status: 'queued', queue_id: null, updated_at: sql`clock_timestamp()` })
      .where('id', '=', conversationId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const outbox = await writeOutbox(trx, [routedNotification(queued, 'bot_unavailable')]);
    return { outbox, replyIds: [], timers: [], reroute: true };
  });
}
