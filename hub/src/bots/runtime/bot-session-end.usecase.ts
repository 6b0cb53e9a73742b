import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { writeOutbox, type OutboxRow } from '../../outbox/outbox.js';
import type { BotModels } from './bot-models.js';
import { storedState } from './bot-session.js';
import { blankState } from './bot-turn-types.js';
import { closeBotSession } from './close-bot-session.js';
import { recordOutcome } from './outcomes.js';

/** Minutes without a citizen message when a session's model cannot be read (the schema's default). */
const DEFAULT_IDLE_MINUTES = 30;

/**
 * Ends one open session whose premise is gone: the conversation was closed under it (the citizen
 * left: cut_off), someone else took it (handed_off), or the citizen went silent for the model's
 * idleMinutes (cut_off, or resolved when only the survey's rating was pending). `idleMinutes`
 * null: only the first two are checked. Locks the session, then the conversation, as turns do.
 */
async function settleSession(db: Kysely<Database>, sessionId: string, idleMinutes: number | null): Promise<{ ended: boolean; outbox: OutboxRow[] }> {
  return db.transaction().execute(async (trx) => {
    const session = await trx.selectFrom('bot_sessions').selectAll().where('id', '=', sessionId).where('ended_at', 'is', null).forUpdate().skipLocked().executeTakeFirst();
    if (!session) return { ended: false, outbox: [] };
    const conversation = await trx.selectFrom('conversations').selectAll().where('id', '=', session.conversation_id).forUpdate().executeTakeFirstOrThrow();
    if (conversation.closed_at !== null) {
      const cause = conversation.status === 'abandoned' ? 'contact_left' : 'bot_idle';
      return { ended: true, outbox: await writeOutbox(trx, await closeBotSession(trx, session.id, conversation, { outcome: 'cut_off', cause })) };
    }
    if (conversation.status !== 'bot') {
      await trx.updateTable('bot_sessions').set({ ended_at: sql`clock_timestamp()`, updated_at: sql`clock_timestamp()` }).where('id', '=', session.id).execute();
      await recordOutcome(trx, { sessionId: session.id, outcome: 'handed_off', reason: `conversation ${conversation.status} outside the bot` });
      return { ended: true, outbox: [] };
    }
    if (idleMinutes === null) return { ended: false, outbox: [] };
    const lastActivity = Math.max(session.updated_at.getTime(), conversation.last_inbound_at?.getTime() ?? 0);
    if (Date.now() - lastActivity < idleMinutes * 60_000) return { ended: false, outbox: [] };
    // A citizen who stopped at the rating question was already served: resolved, not cut off.
    const surveyPending = storedState(session.state, blankState).hubSurvey !== undefined;
    const end = surveyPending ? ({ outcome: 'resolved' } as const) : ({ outcome: 'cut_off', cause: 'bot_idle' } as const);
    return { ended: true, outbox: await writeOutbox(trx, await closeBotSession(trx, session.id, conversation, end)) };
  });
}

/** The citizen left a conversation the bot held (contact_left, e.g. the web chat's "end chat"): outcome cut_off. */
export async function botContactLeft(db: Kysely<Database>, conversationId: string): Promise<OutboxRow[]> {
  const open = await db.selectFrom('bot_sessions').select('id').where('conversation_id', '=', conversationId).where('ended_at', 'is', null).executeTakeFirst();
  return open ? (await settleSession(db, open.id, null)).outbox : [];
}

/**
 * The idle sweep (every BOT_IDLE_SWEEP_MS in each worker): open sessions, oldest activity first,
 * through bot_sessions_open_idx; any process may run it, the session lock keeps it single.
 */
export async function sweepIdleBotSessions(db: Kysely<Database>, models: BotModels, limit = 500): Promise<{ ended: number; outbox: OutboxRow[] }> {
  const candidates = await db
    .selectFrom('bot_sessions')
    .select(['id', 'model_id'])
    .where('ended_at', 'is', null)
    .where('updated_at', '<', sql<Date>`clock_timestamp() - interval '1 minute'`)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
  const outbox: OutboxRow[] = [];
  let ended = 0;
  for (const candidate of candidates) {
    const idleMinutes = await models
      .byId(candidate.model_id)
      .then((m) => m.engine.model.idleMinutes)
      .catch(() => DEFAULT_IDLE_MINUTES);
    const settled = await settleSession(db, candidate.id, idleMinutes);
    if (settled.ended) ended++;
    outbox.push(...settled.outbox);
  }
  return { ended, outbox };
}
