import type { BotPorts, BotSessionState, HandoffSummary, OfficialIdChecks, TurnAction } from '../engine.contract.js';
import type { BotModel, LocalizedText } from '../model.schema.js';
import type { BotMessage } from './bot-message.js';
import { fillTemplate, localize } from './engine-texts.js';
import { buildHandoffSummary } from './handoff-summary.js';

/** One turn being put together: the state it changes, what it will say, what it decides. */
export interface TurnDraft {
  readonly model: BotModel;
  readonly checks: OfficialIdChecks;
  readonly ports: BotPorts;
  readonly now: Date;
  state: BotSessionState;
  messages: BotMessage[];
  action: TurnAction;
}

/** Adds a reply in the session's language, templates filled from the collected data. */
export function say(
  draft: TurnDraft,
  text: LocalizedText,
  extras: { buttons?: { id: string; title: LocalizedText }[]; links?: { title: LocalizedText; url: string }[] } = {},
): void {
  const language = draft.state.language;
  const fill = (t: LocalizedText): string => fillTemplate(localize(t, language), draft.state.collected);
  const message: BotMessage = { text: fill(text) };
  if (extras.buttons && extras.buttons.length > 0) message.buttons = extras.buttons.map((b) => ({ id: b.id, title: fill(b.title) }));
  if (extras.links && extras.links.length > 0) message.links = extras.links.map((l) => ({ title: fill(l.title), url: l.url }));
  draft.messages.push(message);
}

/** Ends the bot's part: says the handoff text and hands the agent the summary. */
export function handOff(
  draft: TurnDraft,
  reason: HandoffSummary['reason'],
  options: { queueId?: string; skills?: string[]; text?: LocalizedText; flowId?: string; field?: string } = {},
): void {
  delete draft.state.flow;
  say(draft, options.text ?? draft.model.handoffText);
  const summary = buildHandoffSummary(draft.model, draft.state, reason, { flowId: options.flowId, field: options.field });
  draft.action = {
    type: 'handoff',
    ...(options.queueId !== undefined ? { queueId: options.queueId } : {}),
    ...(options.skills !== undefined && options.skills.length > 0 ? { skills: options.skills } : {}),
    summary,
  };
}
