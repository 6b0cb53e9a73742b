import type { BotSessionState } from '@ventanilla/bots';
import type { OutboundContent } from '@ventanilla/connectors/core';
import type { LoadedChannel } from '../../channels/channel-store.js';
import type { Message } from '../../db/schema.js';
import type { BotSessionRow } from '../../db/schema-bots.js';
import type { OutboxNotification, OutboxRow } from '../../outbox/outbox.js';
import type { RouterTimer } from '../../router/service/router-timer.types.js';
import type { LoadedBotModel } from './bot-models.js';
import type { StoredSessionState } from './bot-session.js';

/** One citizen message being answered, under its session's lock. */
export interface TurnContext {
  session: BotSessionRow;
  state: StoredSessionState;
  message: Message;
  channel: LoadedChannel;
  /** Null when the model could not be built: the bot hands off. */
  loaded: LoadedBotModel | null;
}

/** One answered message: what to publish, send (in order) and schedule after commit. */
export interface AnsweredTurn {
  outbox: OutboxRow[];
  replyIds: string[];
  timers: RouterTimer[];
  reroute: boolean;
}

/** What one answered message leaves to do after commit. */
export interface TurnWrites {
  notifications: OutboxNotification[];
  timers: RouterTimer[];
  /** The conversation went back in line: the router should look for an agent. */
  reroute: boolean;
}

export const text = (value: string): OutboundContent => ({ type: 'text', text: value });

/** A state for a session whose engine could not be built (the bot hands off at once). */
export function blankState(): BotSessionState {
  return { language: 'es', fallbacks: 0, collected: {}, intents: [], recent: [], turns: 0, greeted: false };
}
