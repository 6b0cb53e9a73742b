import { sql, type Kysely, type Transaction } from 'kysely';
import type { BotSessionState } from '@ventanilla/bots';
import type { Database, Message } from '../../db/schema.js';
import type { BotSessionRow } from '../../db/schema-bots.js';

/** Hub-side bookkeeping kept next to the engine's state: the exit survey the bot asked for. */
export interface StoredSessionState extends BotSessionState {
  hubSurvey?: { attempts: number };
}

/**
 * Where this bot session starts reading: the first message of the conversation's latest opening
 * (a reopened conversation meets the bot again with only its new messages). The ingest writes
 * `conversation.opened`/`reopened` and then `message.received` in one transaction, so the first
 * message event after the last opening is the message that opened it.
 */
async function botSince(trx: Transaction<Database>, conversationId: string, openedAt: Date): Promise<Date> {
  const { rows } = await sql<{ created_at: Date }>`
    SELECT m.created_at FROM interaction_events e JOIN messages m ON m.id = e.message_id
     WHERE e.conversation_id = ${conversationId} AND e.type = 'message.received'
       AND e.id > coalesce((SELECT max(o.id) FROM interaction_events o
                             WHERE o.conversation_id = ${conversationId} AND o.type IN ('conversation.opened', 'conversation.reopened')), 0)
     ORDER BY e.id LIMIT 1`.execute(trx);
  return rows[0]?.created_at ?? openedAt;
}

/**
 * The conversation's open session, locked for this turn: turns of one conversation run one at a
 * time and in order, whichever worker took which job. Created at the first turn; two workers
 * creating it at once meet on the one-open-session index and the second takes the first's row.
 */
export async function lockOpenSession(
  trx: Transaction<Database>,
  conversation: { id: string; campaign_id: string; opened_at: Date },
  modelId: string,
  fresh: () => BotSessionState,
): Promise<BotSessionRow> {
  const existing = await trx.selectFrom('bot_sessions').selectAll().where('conversation_id', '=', conversation.id).where('ended_at', 'is', null).forUpdate().executeTakeFirst();
  if (existing) return existing;
  const since = await botSince(trx, conversation.id, conversation.opened_at);
  await sql`
    INSERT INTO bot_sessions (conversation_id, campaign_id, model_id, state, started_at, updated_at)
    VALUES (${conversation.id}, ${conversation.campaign_id}, ${modelId}, ${JSON.stringify(fresh())}::jsonb, ${since}, clock_timestamp())
    ON CONFLICT (conversation_id) WHERE ended_at IS NULL DO NOTHING`.execute(trx);
  return trx.selectFrom('bot_sessions').selectAll().where('conversation_id', '=', conversation.id).where('ended_at', 'is', null).forUpdate().executeTakeFirstOrThrow();
}

/** The oldest citizen message of this session the bot has not answered yet. */
export async function nextUnanswered(trx: Kysely<Database>, session: Pick<BotSessionRow, 'conversation_id' | 'started_at'>): Promise<Message | undefined> {
  return trx
    .selectFrom('messages as m')
    .selectAll('m')
    .where('m.conversation_id', '=', session.conversation_id)
    .where('m.direction', '=', 'inbound')
    .where('m.created_at', '>=', session.started_at)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('bot_turns as t').select('t.id').whereRef('t.message_id', '=', 'm.id'))))
    .orderBy('m.created_at')
    .orderBy('m.id')
    .limit(1)
    .executeTakeFirst();
}

/** The engine's state as stored (a session written by another version may lack fields: the engine's fresh state fills them). */
export function storedState(raw: unknown, fresh: () => BotSessionState): StoredSessionState {
  const base = fresh();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return base;
  return { ...base, ...(raw as Partial<StoredSessionState>) };
}

/** What the engine sees: its own state, without the hub's bookkeeping. */
export function engineState(state: StoredSessionState): BotSessionState {
  const { hubSurvey: _survey, ...rest } = state;
  void _survey;
  return rest;
}
