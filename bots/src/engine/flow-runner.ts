import type { StepDef } from '../model.schema.js';
import { runBookStep, runCancelStep, runLookupStep, runServiceStep, runSlotsStep } from './appointment-steps.js';
import { foldForCompare } from './engine-texts.js';
import { handOff, say, type TurnDraft } from './turn-draft.js';

/**
 * Steps that run straight on are bounded per turn: a validated model has no dangling steps, but
 * a branch loop without a waiting step would otherwise spin forever.
 */
const MAX_STEPS_PER_TURN = 50;

/** Kinds that identify one thing whatever the sentence: one the NLU already saw need not be asked again. */
const SELF_EVIDENT_KINDS = new Set(['folio', 'nss', 'curp', 'rfc', 'email', 'phone']);

/**
 * Runs a flow from `stepId` until a step waits for the citizen (a message with buttons, a
 * collect whose value is not known yet) or the flow ends (no next step, handoff, resolve).
 */
export async function runFlow(draft: TurnDraft, flowId: string, stepId: string): Promise<void> {
  const flow = draft.model.flows.find((f) => f.id === flowId);
  // Running, not waiting: a step that waits sets it again.
  delete draft.state.flow;
  delete draft.state.offer;
  let current: string | undefined = stepId;
  for (let count = 0; current !== undefined; count++) {
    const step: StepDef | undefined = flow?.steps[current];
    if (!flow || !step || count >= MAX_STEPS_PER_TURN) {
      handOff(draft, 'flow', { flowId });
      return;
    }
    current = await runStep(draft, flowId, current, step);
  }
}

/** One step; returns the step to run next, or undefined when the flow waits or ends. */
async function runStep(draft: TurnDraft, flowId: string, stepId: string, step: StepDef): Promise<string | undefined> {
  const state = draft.state;
  switch (step.type) {
    case 'message': {
      say(draft, step.text, { buttons: step.buttons, links: step.links });
      if (step.buttons && step.buttons.length > 0) return wait(draft, flowId, stepId);
      return step.next;
    }
    case 'collect': {
      const known = state.collected[step.field] ?? (SELF_EVIDENT_KINDS.has(step.kind) ? state.collected[step.kind] : undefined);
      if (known !== undefined && known !== '') {
        state.collected[step.field] = known;
        return step.next;
      }
      say(draft, step.prompt);
      return wait(draft, flowId, stepId);
    }
    case 'folio_status':
      return folioStatus(draft, flowId, step);
    case 'branch': {
      const value = foldForCompare(state.collected[step.field] ?? '');
      return step.cases.find((c) => foldForCompare(c.equals) === value)?.next ?? step.default;
    }
    case 'handoff':
      handOff(draft, 'flow', { queueId: step.queueId, skills: step.skills, text: step.text, flowId });
      return undefined;
    case 'resolve':
      if (step.text) say(draft, step.text);
      draft.action = { type: 'resolved', survey: step.survey };
      return undefined;
    case 'appointment_service':
      return runServiceStep(draft, flowId, stepId, step);
    case 'appointment_slots':
      return runSlotsStep(draft, flowId, stepId, step);
    case 'appointment_book':
      return runBookStep(draft, flowId, step);
    case 'appointment_lookup':
      return runLookupStep(draft, flowId, step);
    case 'appointment_cancel':
      return runCancelStep(draft, flowId, step);
  }
}

function wait(draft: TurnDraft, flowId: string, stepId: string): undefined {
  draft.state.flow = { id: flowId, step: stepId, attempts: 0 };
  return undefined;
}

async function folioStatus(draft: TurnDraft, flowId: string, step: Extract<StepDef, { type: 'folio_status' }>): Promise<string | undefined> {
  const state = draft.state;
  const folio = state.collected[step.field] ?? '';
  if (folio !== '') state.collected.folio ??= folio;
  let found;
  try {
    found = folio === '' ? null : await draft.ports.folioStatus(folio, state.language);
  } catch {
    // The lookup is down: a person can still look the folio up, "not found" would mislead.
    handOff(draft, 'flow', { flowId });
    return undefined;
  }
  if (found) {
    state.collected.status = found.statusText;
    state.collected.updated = formatUpdated(found.updatedAt, state.language);
    say(draft, step.found);
  } else {
    say(draft, step.notFound);
  }
  return step.next;
}

function formatUpdated(iso: string, language: 'es' | 'en'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // Citizens read the institution's local time; 24-hour clock avoids "a. m." spelling variants across ICU versions.
  const locale = language === 'en' ? 'en-US' : 'es-MX';
  const timeZone = 'America/Mexico_City';
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone }).format(date);
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(date);
  return `${day}, ${time}`;
}
