import type { Transaction } from 'kysely';
import type { HandoffSummary, TurnAction, TurnResult } from '@ventanilla/bots';
import type { OutboundContent } from '@ventanilla/connectors/core';
import type { Conversation, Database } from '../../db/schema.js';
import type { StoredSessionState } from './bot-session.js';
import { botAsksSurvey, surveyTexts } from './bot-survey.js';
import { text, type TurnContext, type TurnWrites } from './bot-turn-types.js';
import { closeBotSession } from './close-bot-session.js';
import { handOff } from './handoff.js';
import { recordOutcome } from './outcomes.js';

async function saveState(trx: Transaction<Database>, sessionId: string, state: StoredSessionState): Promise<void> {
  await trx.updateTable('bot_sessions').set({ state: JSON.stringify(state), updated_at: new Date() }).where('id', '=', sessionId).execute();
}

async function handOffWith(trx: Transaction<Database>, turn: TurnContext, conversation: Conversation, action: Extract<TurnAction, { type: 'handoff' }>): Promise<TurnWrites> {
  const moved = await handOff(trx, {
    sessionId: turn.session.id,
    modelId: turn.session.model_id,
    conversation,
    channelKind: turn.channel.kind,
    ...(action.queueId ? { queueId: action.queueId } : {}),
    ...(action.skills ? { skills: action.skills } : {}),
    summary: action.summary,
  });
  return { notifications: moved.notifications, timers: moved.timers, reroute: true };
}

/** What the engine decided, carried out in the turn's transaction: go on, hand off, or resolve (with the exit survey first). */
export async function applyAction(
  trx: Transaction<Database>,
  turn: TurnContext,
  conversation: Conversation,
  result: TurnResult,
): Promise<{ replies: OutboundContent[]; writes: TurnWrites }> {
  const action = result.action;
  const state: StoredSessionState = { ...result.state };
  switch (action.type) {
    case 'continue':
      await saveState(trx, turn.session.id, state);
      return { replies: result.replies, writes: { notifications: [], timers: [], reroute: false } };
    case 'handoff':
      await saveState(trx, turn.session.id, state);
      return { replies: result.replies, writes: await handOffWith(trx, turn, conversation, action) };
    case 'resolved': {
      const campaign = await trx.selectFrom('campaigns').select('settings').where('id', '=', conversation.campaign_id).executeTakeFirstOrThrow();
      if (action.survey && botAsksSurvey(campaign.settings, turn.channel.kind)) {
        // Resolved now (100 %); a rating of 2 or less later turns it into a wrong answer.
        await saveState(trx, turn.session.id, { ...state, hubSurvey: { attempts: 0 } });
        await recordOutcome(trx, { sessionId: turn.session.id, outcome: 'resolved' });
        return { replies: [...result.replies, text(surveyTexts.question(state.language))], writes: { notifications: [], timers: [], reroute: false } };
      }
      await saveState(trx, turn.session.id, state);
      const notifications = await closeBotSession(trx, turn.session.id, conversation, { outcome: 'resolved' });
      return { replies: result.replies, writes: { notifications, timers: [], reroute: false } };
    }
    default: {
      const exhaustive: never = action;
      throw new Error(`unhandled bot action ${JSON.stringify(exhaustive)}`);
    }
  }
}

/** The engine could not be built or failed: a person takes over with what the session holds so far. */
export async function unavailableHandoff(trx: Transaction<Database>, turn: TurnContext, conversation: Conversation): Promise<TurnWrites> {
  const { state } = turn;
  const intent = state.intents[state.intents.length - 1] ?? null;
  const collected = Object.entries(state.collected).map(([field, value]) => `${field}: ${value}`);
  const summary: HandoffSummary = {
    reason: 'fallbacks',
    intent,
    language: state.language,
    collected: state.collected,
    recent: state.recent,
    text: [
      'El asistente virtual no pudo continuar con esta conversación (falla del modelo del bot). Atienda al ciudadano desde su último mensaje.',
      ...(intent ? [`Tema detectado: ${intent}`] : []),
      ...(collected.length > 0 ? [`Datos recabados: ${collected.join('; ')}`] : []),
      `Último mensaje: ${(turn.message.text ?? '').slice(0, 500)}`,
    ].join('\n'),
  };
  await saveState(trx, turn.session.id, state);
  return handOffWith(trx, turn, conversation, { type: 'handoff', summary });
}
