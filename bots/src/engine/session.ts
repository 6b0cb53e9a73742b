import type { BotSessionState } from '../engine.contract.js';
import type { BotModel } from '../model.schema.js';

export const RECENT_KEPT = 5;
/** The agent's summary shows the last messages; a pasted document would drown it. */
const RECENT_TEXT_CHARS = 300;

export function newSessionState(model: BotModel): BotSessionState {
  return { language: model.languages[0] ?? 'es', fallbacks: 0, collected: {}, intents: [], recent: [], turns: 0, greeted: false };
}

/** A copy the turn may change: the caller's state stays as it was (it is the stored row). */
export function startTurn(state: BotSessionState, text: string, at: Date): BotSessionState {
  const clipped = text.length > RECENT_TEXT_CHARS ? `${text.slice(0, RECENT_TEXT_CHARS - 1)}…` : text;
  return {
    language: state.language,
    ...(state.flow ? { flow: { ...state.flow } } : {}),
    ...(state.offer ? { offer: { ...state.offer, options: state.offer.options.map((o) => ({ ...o })) } } : {}),
    fallbacks: state.fallbacks,
    collected: { ...state.collected },
    intents: [...state.intents],
    recent: [...state.recent, { at: at.toISOString(), text: clipped }].slice(-RECENT_KEPT),
    turns: state.turns + 1,
    greeted: state.greeted,
  };
}
