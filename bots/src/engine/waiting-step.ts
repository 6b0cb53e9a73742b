import type { NluResult, TurnInput } from '../engine.contract.js';
import { parseEntityValue } from '../nlu/index.js';
import type { BotModel, StepDef } from '../model.schema.js';
import { isChoiceStep, type ChoiceStep } from './appointment-steps.js';
import { runFlow } from './flow-runner.js';
import { chosenOption } from './option-choice.js';
import { handOff, say, type TurnDraft } from './turn-draft.js';

export type MessageStep = Extract<StepDef, { type: 'message' }>;
export type CollectStep = Extract<StepDef, { type: 'collect' }>;
export interface WaitingStep {
  flowId: string;
  stepId: string;
  step: MessageStep | CollectStep | ChoiceStep;
}

/**
 * The step the session waits on, if it still exists: a model promoted mid-conversation may
 * have renamed it, and then the citizen is simply treated as starting over.
 */
export function waitingStep(model: BotModel, draft: TurnDraft): WaitingStep | null {
  const at = draft.state.flow;
  if (!at) return null;
  const step = model.flows.find((f) => f.id === at.id)?.steps[at.step];
  if (step && (step.type === 'collect' || (step.type === 'message' && (step.buttons?.length ?? 0) > 0))) {
    return { flowId: at.id, stepId: at.step, step };
  }
  // A choice among options the hub computed waits only while those options are kept.
  if (step && isChoiceStep(step) && draft.state.offer?.flowId === at.id && draft.state.offer.step === at.step) {
    return { flowId: at.id, stepId: at.step, step };
  }
  delete draft.state.flow;
  return null;
}

/** The offered button the citizen chose: by reply id, by its number ("2"), or by its title in any language. */
export function chosenButton(step: MessageStep, input: TurnInput): { id: string; next: string } | null {
  return chosenOption(step.buttons ?? [], input, (b) => (b.title.en !== undefined ? [b.title.es, b.title.en] : [b.title.es]));
}

/**
 * An answer to a `collect` step. A valid value moves the flow on; a clear new intent leaves
 * the step to the caller (returns false); anything else costs an attempt, and the last
 * attempt goes to `onFail` or to a person.
 */
export async function answerCollect(draft: TurnDraft, waiting: WaitingStep & { step: CollectStep }, text: string, nlu: NluResult | null): Promise<boolean> {
  const { step, flowId, stepId } = waiting;
  const parsed = parseEntityValue(step.kind, text, draft.model, draft.checks, draft.now);
  // A "name" is any few letters, so "horario de atención" would pass as one: a known intent wins.
  const intentWins = nlu?.intent != null && (parsed === null || step.kind === 'name');
  if (intentWins) return false;
  if (parsed?.valid) {
    draft.state.collected[step.field] = parsed.value;
    await runFlow(draft, flowId, step.next);
    return true;
  }
  const attempts = (draft.state.flow?.attempts ?? 0) + 1;
  if (attempts >= step.maxAttempts) {
    if (step.onFail !== undefined) await runFlow(draft, flowId, step.onFail);
    else handOff(draft, 'collect_failed', { flowId, field: step.field });
    return true;
  }
  draft.state.flow = { id: flowId, step: stepId, attempts };
  say(draft, step.invalid);
  return true;
}
