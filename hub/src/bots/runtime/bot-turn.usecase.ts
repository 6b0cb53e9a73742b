import type { Kysely, Transaction } from 'kysely';
import type { BotPorts, TurnInput, TurnResult } from '@ventanilla/bots';
import type { OutboundContent } from '@ventanilla/connectors/core';
import { botAppointmentPort } from '../../appointments/bot/bot-appointments.port.js';
import type { LoadedChannel } from '../../channels/channel-store.js';
import type { Database, Message } from '../../db/schema.js';
import { appendEvents } from '../../domain/interaction-events.js';
import type { Logger } from '../../observability/logger.js';
import { writeOutbox } from '../../outbox/outbox.js';
import { BotModelUnusableError, type BotModels, type LoadedBotModel } from './bot-models.js';
import { storeBotReplies } from './bot-replies.js';
import { engineState, lockOpenSession, nextUnanswered, storedState } from './bot-session.js';
import { blankState, text, type AnsweredTurn, type TurnContext, type TurnWrites } from './bot-turn-types.js';

export type { AnsweredTurn } from './bot-turn-types.js';
import { applyAction, unavailableHandoff } from './bot-turn-actions.js';
import { insertTurn } from './bot-turns.js';
import { lookUpFolio } from './folio-status.js';
import type { KbAnswerers } from './kb-answerers.js';
import { releaseWithoutModel } from './release-without-model.js';
import { renderCapabilitiesOf } from './render-capabilities.js';
import { answerSurveyTurn, storeSurveyRating } from './survey-turn.js';

export interface BotTurnDeps {
  db: Kysely<Database>;
  models: BotModels;
  kb: KbAnswerers;
  channels: { get(id: string): Promise<LoadedChannel | null> };
  logger: Logger;
}

/** The conversation left the bot while the turn ran (an agent took it, the citizen left): nothing is written. */
class ConversationLeftBot extends Error {}

/**
 * Answers the conversation's oldest unanswered citizen message, if the bot still holds the
 * conversation; null when there is nothing (more) to answer. The bot worker calls it in a loop,
 * so every message is answered once and in order, whichever job arrives first.
 */
export async function answerNextMessage(deps: BotTurnDeps, conversationId: string): Promise<AnsweredTurn | null> {
  const { db } = deps;
  const conversation = await db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst();
  if (!conversation || conversation.status !== 'bot' || conversation.closed_at !== null) return null;
  const channel = await deps.channels.get(conversation.channel_id);
  if (!channel) return null;
  const open = await db.selectFrom('bot_sessions').selectAll().where('conversation_id', '=', conversationId).where('ended_at', 'is', null).executeTakeFirst();
  let loaded: LoadedBotModel | null = null;
  let unusableId: string | null = null;
  try {
    loaded = await deps.models.forCampaign(conversation.campaign_id, open?.model_id ?? null);
  } catch (error) {
    if (!(error instanceof BotModelUnusableError)) throw error;
    deps.logger.error({ err: error, modelId: error.modelId }, 'bot model unusable; handing the conversation to a person');
    unusableId = error.modelId;
  }
  const modelId = loaded?.id ?? unusableId;
  if (modelId === null) return releaseWithoutModel(db, conversationId);
  if (open && storedState(open.state, blankState).hubSurvey) {
    const pending = await nextUnanswered(db, open);
    if (pending) await storeSurveyRating(db, conversationId, pending);
  }
  // The knowledge base is loaded before the transaction opens: on the embedded database (one
  // connection) a query outside an open transaction would wait for it for ever.
  const kb = loaded ? await knowledgeBaseFor(deps, conversation.campaign_id, loaded) : null;
  try {
    return await db.transaction().execute(async (trx) => {
      const fresh = loaded ? () => loaded.engine.newSession() : blankState;
      const session = await lockOpenSession(trx, conversation, modelId, fresh);
      const message = await nextUnanswered(trx, session);
      if (!message) return null;
      return answer(trx, deps, { session, state: storedState(session.state, fresh), message, channel, loaded }, kb);
    });
  } catch (error) {
    if (error instanceof ConversationLeftBot) return null;
    throw error;
  }
}

async function answer(trx: Transaction<Database>, deps: BotTurnDeps, turn: TurnContext, kb: BotPorts['kb']): Promise<AnsweredTurn> {
  const { session, state, message, loaded } = turn;
  // The engine may call the knowledge base (and an LLM): it runs before the conversation row is
  // locked, so the ingest of the citizen's next message is never held up behind it.
  const result = state.hubSurvey || !loaded ? null : await runEngine(trx, deps, turn, loaded, kb);
  const conversation = await trx.selectFrom('conversations').selectAll().where('id', '=', message.conversation_id).forUpdate().executeTakeFirstOrThrow();
  if (conversation.status !== 'bot' || conversation.closed_at !== null) throw new ConversationLeftBot();
  // The bot read it: a conversation the bot holds shows no unread messages to agents.
  await trx.updateTable('conversations').set({ unread_count: 0 }).where('id', '=', conversation.id).execute();

  let replies: OutboundContent[];
  let writes: TurnWrites;
  let turnId: string;
  if (state.hubSurvey) {
    turnId = await insertTurn(trx, turn, { answeredBy: 'flow', intent: null, score: 0, entities: [], language: state.language, review: 'none', kbArticleId: null });
    ({ replies, writes } = await answerSurveyTurn(trx, session, state, conversation, message));
  } else if (result === null) {
    turnId = await insertTurn(trx, turn, { answeredBy: 'handoff', intent: null, score: 0, entities: [], language: state.language, review: 'none', kbArticleId: null });
    replies = [text(state.language === 'en' ? "I'm transferring you to an agent. Someone will be with you shortly." : 'Le comunico con un asesor. En un momento le atienden.')];
    writes = await unavailableHandoff(trx, turn, conversation);
  } else {
    const nlu = result.nlu;
    const lowConfidence = nlu !== null && nlu.guess !== null && nlu.intent === null && result.answeredBy !== 'flow' && result.answeredBy !== 'handoff';
    turnId = await insertTurn(trx, turn, {
      answeredBy: result.answeredBy,
      intent: nlu?.intent ?? null,
      score: nlu?.score ?? 0,
      entities: nlu?.entities ?? [],
      language: result.state.language,
      // The trainers' inbox: what the bot did not understand, or answered from the KB.
      review: result.answeredBy === 'fallback' || result.answeredBy === 'kb' || lowConfidence ? 'pending' : 'none',
      kbArticleId: result.kbArticleId ?? null,
    });
    ({ replies, writes } = await applyAction(trx, turn, conversation, result));
  }
  const stored = await storeBotReplies(trx, conversation, replies, turn.channel.adapter.capabilities.maxTextLength);
  await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'bot', actorId: null }, [
    {
      type: 'bot.turn',
      conversationId: conversation.id,
      messageId: message.id,
      payload: {
        sessionId: session.id,
        turnId,
        modelId: session.model_id,
        intent: result?.nlu?.intent ?? null,
        score: result?.nlu?.score ?? 0,
        answeredBy: result?.answeredBy ?? (state.hubSurvey ? 'flow' : 'handoff'),
        language: result?.state.language ?? state.language,
        replies: stored.messageIds.length,
      },
    },
  ]);
  const outbox = await writeOutbox(trx, [...stored.notifications, ...writes.notifications]);
  return { outbox, replyIds: stored.messageIds, timers: writes.timers, reroute: writes.reroute };
}

/** The engine's turn; an engine failure hands the citizen to a person instead of leaving them unanswered. */
async function knowledgeBaseFor(deps: BotTurnDeps, campaignId: string, loaded: LoadedBotModel): Promise<BotPorts['kb']> {
  const model = loaded.engine.model;
  if (!model.kb.enabled) return null;
  return deps.kb.for(campaignId, model.kb.minScore).catch((error: unknown) => {
    deps.logger.warn({ err: error, campaignId }, 'knowledge base unavailable for the bot; answering without it');
    return null;
  });
}

async function runEngine(trx: Transaction<Database>, deps: BotTurnDeps, turn: TurnContext, loaded: LoadedBotModel, kb: BotPorts['kb']): Promise<TurnResult | null> {
  const campaignId = turn.session.campaign_id;
  const input: TurnInput = { text: turn.message.text ?? '', at: turn.message.created_at, ...replyIdOf(turn.message) };
  try {
    // On the turn's transaction like the folio look-up: bookings commit with the reply giving their folio.
    const appointments = await botAppointmentPort(trx, { campaignId, conversationId: turn.message.conversation_id, channelKind: turn.channel.kind });
    const ports: BotPorts = { folioStatus: (folio, language) => lookUpFolio(trx, campaignId, folio, language), kb, appointments };
    return await loaded.engine.turn(engineState(turn.state), input, renderCapabilitiesOf(turn.channel.kind, turn.channel.adapter.capabilities), ports);
  } catch (error) {
    deps.logger.error({ err: error, modelId: loaded.id, conversationId: turn.message.conversation_id }, 'bot engine failed a turn; handing the conversation to a person');
    return null;
  }
}

/** The button or list row the citizen chose (inbound `interactive`, stored in messages.raw by the ingest). */
function replyIdOf(message: Message): { replyId?: string } {
  const raw: unknown = message.raw;
  if (message.content_type !== 'interactive' || raw === null || typeof raw !== 'object' || !('replyId' in raw)) return {};
  return typeof raw.replyId === 'string' && raw.replyId !== '' ? { replyId: raw.replyId } : {};
}
