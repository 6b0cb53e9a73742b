import type { BotEngine, BotPorts, BotSessionState, NluResult, OfficialIdChecks, RenderCapabilities, TrainedNlu, TurnInput, TurnResult } from '../engine.contract.js';
import type { BotModel, IntentDef } from '../model.schema.js';
import { isChoiceStep, reofferChoice, takeOffer } from './appointment-steps.js';
import { ENGINE_TEXTS } from './engine-texts.js';
import { runFlow } from './flow-runner.js';
import { renderMessages } from './render.js';
import { newSessionState, startTurn } from './session.js';
import { handOff, say, type TurnDraft } from './turn-draft.js';
import { answerCollect, chosenButton, waitingStep, type MessageStep } from './waiting-step.js';

type AnsweredBy = TurnResult['answeredBy'];

/** Entity types worth keeping for later steps and the agent; a bare number or date says too little alone. */
const KEPT_BUILTIN_ENTITIES = new Set(['folio', 'nss', 'curp', 'rfc', 'email', 'phone']);

/**
 * The bot's turn logic (issue 7): pure apart from the ports the hub gives it. Order of a turn:
 * an offered option chosen → bad input → "quiero un asesor" (at any point) → the step the flow
 * waits on → an intent → the knowledge base → the fallback (and, after `maxFallbacks`, a person).
 */
export function createBotEngine(model: BotModel, nlu: TrainedNlu, checks: OfficialIdChecks): BotEngine {
  const intents = new Map<string, IntentDef>(model.intents.map((i) => [i.name, i]));
  const customEntities = new Set(model.entities.map((e) => e.name));

  async function classify(text: string): Promise<NluResult | null> {
    try {
      return await nlu.classify(text);
    } catch {
      // A broken classifier must not silence the bot: the turn degrades to the fallback path.
      return null;
    }
  }

  async function turn(state: BotSessionState, input: TurnInput, render: RenderCapabilities, ports: BotPorts): Promise<TurnResult> {
    const draft: TurnDraft = { model, checks, ports, now: input.at, state: startTurn(state, input.text, input.at), messages: [], action: { type: 'continue' } };
    const waiting = waitingStep(model, draft);
    let result: { answeredBy: AnsweredBy; nlu: NluResult | null; kbArticleId?: string };

    const button = waiting?.step.type === 'message' ? chosenButton(waiting.step, input) : null;
    const offered = waiting && isChoiceStep(waiting.step) ? takeOffer(draft, waiting.flowId, waiting.stepId, waiting.step, input) : null;
    const next = button?.next ?? offered;
    if (waiting && next !== null) {
      await runFlow(draft, waiting.flowId, next);
      result = { answeredBy: draft.action.type === 'handoff' ? 'handoff' : 'flow', nlu: null };
    } else {
      const understood = await classify(input.text);
      result = await answerUtterance(draft, input, understood, waiting);
    }

    if (!draft.state.greeted && model.greeting) {
      draft.messages.unshift({ text: model.greeting[draft.state.language] ?? model.greeting.es });
    }
    draft.state.greeted = true;
    return {
      state: draft.state,
      replies: renderMessages(draft.messages, render, draft.state.language),
      action: draft.action,
      ...result,
    };
  }

  async function answerUtterance(
    draft: TurnDraft,
    input: TurnInput,
    nluResult: NluResult | null,
    waiting: ReturnType<typeof waitingStep>,
  ): Promise<{ answeredBy: AnsweredBy; nlu: NluResult | null; kbArticleId?: string }> {
    const state = draft.state;
    if (nluResult?.issue === 'empty' || nluResult?.issue === 'too_long') {
      say(draft, nluResult.issue === 'empty' ? ENGINE_TEXTS.empty : ENGINE_TEXTS.tooLong);
      return { answeredBy: 'fallback', nlu: nluResult };
    }
    if (nluResult?.issue === 'no_words') return { answeredBy: fallback(draft, waiting), nlu: nluResult };

    if (nluResult) {
      keepEntities(draft, nluResult);
      if (model.languages.includes(nluResult.language) && (nluResult.intent !== null || wordCount(input.text) >= 3)) state.language = nluResult.language;
    }
    const intent = nluResult?.intent ? intents.get(nluResult.intent) : undefined;

    if (intent?.handoff) {
      state.intents.push(intent.name);
      handOff(draft, 'requested');
      return { answeredBy: 'handoff', nlu: nluResult };
    }
    if (waiting?.step.type === 'collect' && (await answerCollect(draft, { ...waiting, step: waiting.step }, input.text, nluResult))) {
      return { answeredBy: draft.action.type === 'handoff' ? 'handoff' : 'flow', nlu: nluResult };
    }
    if (intent && (intent.flow !== undefined || intent.answers.length > 0)) {
      state.intents.push(intent.name);
      state.fallbacks = 0;
      if (intent.flow !== undefined) {
        const flow = model.flows.find((f) => f.id === intent.flow);
        await runFlow(draft, intent.flow, flow?.start ?? '');
        return { answeredBy: draft.action.type === 'handoff' ? 'handoff' : 'flow', nlu: nluResult };
      }
      delete state.flow;
      const answer = intent.answers[(state.turns - 1) % intent.answers.length];
      if (answer) say(draft, answer);
      return { answeredBy: 'intent', nlu: nluResult };
    }
    const kb = model.kb.enabled ? await askKb(draft.ports, input.text, state.language) : null;
    if (kb) {
      delete state.flow;
      state.fallbacks = 0;
      draft.messages.push({ text: kb.text });
      return { answeredBy: 'kb', nlu: nluResult, kbArticleId: kb.articleId };
    }
    return { answeredBy: fallback(draft, waiting), nlu: nluResult };
  }

  function keepEntities(draft: TurnDraft, result: NluResult): void {
    for (const entity of result.entities) {
      if (entity.valid && (KEPT_BUILTIN_ENTITIES.has(entity.type) || customEntities.has(entity.type))) draft.state.collected[entity.type] = entity.value;
    }
  }

  return { model, newSession: () => newSessionState(model), turn };
}

/** Not understood: say so (showing the waiting options again), and after too many, a person. */
function fallback(draft: TurnDraft, waiting: ReturnType<typeof waitingStep>): AnsweredBy {
  draft.state.fallbacks += 1;
  if (draft.state.fallbacks >= draft.model.maxFallbacks) {
    handOff(draft, 'fallbacks');
    return 'handoff';
  }
  say(draft, draft.model.fallback);
  if (waiting?.step.type === 'message') {
    const step: MessageStep = waiting.step;
    say(draft, step.text, { buttons: step.buttons, links: step.links });
  } else if (waiting && isChoiceStep(waiting.step)) {
    reofferChoice(draft, waiting.step);
  }
  return 'fallback';
}

async function askKb(ports: BotPorts, text: string, language: BotSessionState['language']): Promise<{ text: string; articleId: string } | null> {
  if (!ports.kb) return null;
  try {
    const answer = await ports.kb.answer(text, language);
    return answer ? { text: answer.text, articleId: answer.articleId } : null;
  } catch {
    return null;
  }
}

function wordCount(text: string): number {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;
}
