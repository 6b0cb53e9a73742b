import type { Kysely, Transaction } from 'kysely';
import type { Conversation, Database, Message } from '../../db/schema.js';
import type { BotSessionRow } from '../../db/schema-bots.js';
import { HubError } from '../../errors/error-registry.js';
import { recordSurvey } from '../../surveys/survey.usecase.js';
import { closeBotSession } from './close-bot-session.js';
import { markWrong } from './outcomes.js';
import type { StoredSessionState } from './bot-session.js';
import { NEGATIVE_RATING, parseRating, SURVEY_MAX_ATTEMPTS, surveyTexts } from './bot-survey.js';
import { text, type TurnWrites } from './bot-turn-types.js';
import type { OutboundContent } from '@ventanilla/connectors/core';

/**
 * The citizen's rating is stored by the surveys module (its own transaction, once per
 * conversation) before the turn that closes the conversation: a retried turn finds it answered.
 */
export async function storeSurveyRating(db: Kysely<Database>, conversationId: string, message: Pick<Message, 'text'>): Promise<void> {
  const rating = parseRating(message.text);
  if (rating === null) return;
  try {
    await recordSurvey(db, conversationId, { rating, answers: {}, agentRatings: [] });
  } catch (error) {
    if (error instanceof HubError && (error.code === 'HUB_ERR_SURVEY_ANSWERED' || error.code === 'HUB_ERR_SURVEY_DISABLED' || error.code === 'HUB_ERR_VALIDATION')) return;
    throw error;
  }
}

/**
 * A reply to the bot's rating question: thanks and close (a rating of 2 or less flags the bot's
 * answer as wrong), or ask once more, then close without a rating.
 */
export async function answerSurveyTurn(
  trx: Transaction<Database>,
  session: BotSessionRow,
  state: StoredSessionState,
  conversation: Conversation,
  message: Message,
): Promise<{ replies: OutboundContent[]; writes: TurnWrites; state: StoredSessionState }> {
  const rating = parseRating(message.text);
  const attempts = (state.hubSurvey?.attempts ?? 0) + 1;
  const language = state.language;
  if (rating === null && attempts < SURVEY_MAX_ATTEMPTS) {
    const next = { ...state, hubSurvey: { attempts } };
    await trx.updateTable('bot_sessions').set({ state: JSON.stringify(next) }).where('id', '=', session.id).execute();
    return { replies: [text(surveyTexts.again(language))], writes: { notifications: [], timers: [], reroute: false }, state: next };
  }
  if (rating !== null && rating <= NEGATIVE_RATING) await markWrong(trx, { sessionId: session.id, reason: 'encuesta negativa', decidedBy: null });
  const notifications = await closeBotSession(trx, session.id, conversation, { outcome: 'resolved' });
  const { hubSurvey: _done, ...closedState } = state;
  void _done;
  await trx.updateTable('bot_sessions').set({ state: JSON.stringify(closedState) }).where('id', '=', session.id).execute();
  return {
    replies: [text(rating !== null ? surveyTexts.thanks(language) : surveyTexts.goodbye(language))],
    writes: { notifications, timers: [], reroute: false },
    state: closedState,
  };
}
