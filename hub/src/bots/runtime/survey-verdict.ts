import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { NEGATIVE_RATING } from './bot-survey.js';
import { markWrong } from './outcomes.js';

/**
 * A negative exit survey on a conversation the bot resolved by itself is a wrong answer
 * (seed-digest §5.4: paid 0 %). Called by the surveys module in the survey's transaction, for
 * surveys the bot did not ask itself (the web chat widget's own survey): only a bot session whose
 * current outcome is `resolved` is judged — after a handoff the citizen rated the agent, and a
 * session still open is the bot's own survey, which flags its answer there (survey-turn.ts).
 */
export async function applySurveyVerdict(trx: Transaction<Database>, conversationId: string, rating: number | null): Promise<{ flagged: boolean }> {
  if (rating === null || rating > NEGATIVE_RATING) return { flagged: false };
  const resolved = await trx
    .selectFrom('bot_sessions as s')
    .innerJoin('bot_outcomes as o', 'o.session_id', 's.id')
    .select('s.id')
    .where('s.conversation_id', '=', conversationId)
    .where('s.ended_at', 'is not', null)
    .where('o.superseded_by', 'is', null)
    .where('o.outcome', '=', 'resolved')
    .orderBy('s.started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!resolved) return { flagged: false };
  await markWrong(trx, { sessionId: resolved.id, reason: 'encuesta negativa', decidedBy: null });
  return { flagged: true };
}
