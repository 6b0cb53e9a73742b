import type { AppointmentOfficialId, AppointmentPort, TurnInput } from '../engine.contract.js';
import type { StepDef } from '../model.schema.js';
import { chosenOption } from './option-choice.js';
import { handOff, say, type TurnDraft } from './turn-draft.js';

/**
 * The appointment steps (issue 11): offer the campaign's services and its nearest free slots as
 * options, book, look up and cancel by folio — all through `BotPorts.appointments`, so the hub's
 * booking rules and locks decide, never the engine. Each returns the step to run next, or
 * undefined when the flow waits for the citizen or ends.
 */

export type ServiceStep = Extract<StepDef, { type: 'appointment_service' }>;
export type SlotsStep = Extract<StepDef, { type: 'appointment_slots' }>;
type BookStep = Extract<StepDef, { type: 'appointment_book' }>;
type LookupStep = Extract<StepDef, { type: 'appointment_lookup' }>;
type CancelStep = Extract<StepDef, { type: 'appointment_cancel' }>;
/** Steps that wait for the citizen to pick one of the options the hub computed. */
export type ChoiceStep = ServiceStep | SlotsStep;
type Option = { id: string; title: string };

/** The collected fields the appointment steps write (templates read them). */
export const APPOINTMENT_FIELDS = {
  service: 'appointment_service',
  serviceName: 'appointment_service_name',
  slot: 'appointment_slot',
  when: 'appointment_when',
  folio: 'appointment_folio',
  status: 'appointment_status',
} as const;

export function isChoiceStep(step: StepDef): step is ChoiceStep {
  return step.type === 'appointment_service' || step.type === 'appointment_slots';
}

/** The calendar is missing or down: the step's `onFail`, else a person (who can book from the inbox). */
function fail(draft: TurnDraft, flowId: string, onFail: string | undefined): string | undefined {
  if (onFail !== undefined) return onFail;
  handOff(draft, 'flow', { flowId });
  return undefined;
}

/** Says the step's text with the options and waits on the step for the citizen's choice. */
function offer(draft: TurnDraft, flowId: string, stepId: string, text: ChoiceStep['text'], options: Option[]): undefined {
  say(draft, text, { buttons: options.map((o) => ({ id: o.id, title: { es: o.title } })) });
  draft.state.flow = { id: flowId, step: stepId, attempts: 0 };
  draft.state.offer = { flowId, step: stepId, options };
  return undefined;
}

export async function runServiceStep(draft: TurnDraft, flowId: string, stepId: string, step: ServiceStep): Promise<string | undefined> {
  const port = draft.ports.appointments;
  const collected = draft.state.collected;
  let services: { id: string; name: string }[];
  try {
    services = port ? await port.services(draft.state.language) : [];
  } catch {
    return fail(draft, flowId, step.onFail);
  }
  if (step.serviceId !== undefined) {
    const fixed = services.find((s) => s.id === step.serviceId);
    if (!fixed) return fail(draft, flowId, step.onFail);
    collected[APPOINTMENT_FIELDS.service] = fixed.id;
    collected[APPOINTMENT_FIELDS.serviceName] = fixed.name;
    return step.next;
  }
  const only = services.length === 1 ? services[0] : undefined;
  if (only) {
    collected[APPOINTMENT_FIELDS.service] = only.id;
    collected[APPOINTMENT_FIELDS.serviceName] = only.name;
    return step.next;
  }
  if (services.length === 0) return fail(draft, flowId, step.onFail);
  return offer(
    draft,
    flowId,
    stepId,
    step.text,
    services.slice(0, 10).map((s) => ({ id: s.id, title: s.name })),
  );
}

export async function runSlotsStep(draft: TurnDraft, flowId: string, stepId: string, step: SlotsStep): Promise<string | undefined> {
  const port = draft.ports.appointments;
  const serviceId = draft.state.collected[APPOINTMENT_FIELDS.service];
  if (!port || serviceId === undefined || serviceId === '') return fail(draft, flowId, step.onFail);
  let slots;
  try {
    slots = await port.nearestSlots({ serviceId, limit: step.limit, language: draft.state.language });
  } catch {
    return fail(draft, flowId, step.onFail);
  }
  if (slots.length === 0) {
    say(draft, step.none);
    return step.onFail;
  }
  return offer(
    draft,
    flowId,
    stepId,
    step.text,
    slots.slice(0, step.limit).map((s) => ({ id: s.id, title: s.label })),
  );
}

/**
 * The option of the waiting choice step the citizen picked (reply id, number or title), and the
 * step that follows; null when the answer is none of them (the caller tries intents, then falls back).
 */
export function takeOffer(draft: TurnDraft, flowId: string, stepId: string, step: ChoiceStep, input: TurnInput): string | null {
  const offered = draft.state.offer;
  if (!offered || offered.flowId !== flowId || offered.step !== stepId) return null;
  const chosen = chosenOption(offered.options, input, (o) => [o.title]);
  if (!chosen) return null;
  const collected = draft.state.collected;
  if (step.type === 'appointment_service') {
    collected[APPOINTMENT_FIELDS.service] = chosen.id;
    collected[APPOINTMENT_FIELDS.serviceName] = chosen.title;
  } else {
    collected[APPOINTMENT_FIELDS.slot] = chosen.id;
    collected[APPOINTMENT_FIELDS.when] = chosen.title;
  }
  delete draft.state.offer;
  return step.next;
}

/** Shows the waiting step's options again (after a reply that was none of them). */
export function reofferChoice(draft: TurnDraft, step: ChoiceStep): void {
  const options = draft.state.offer?.options ?? [];
  say(draft, step.text, { buttons: options.map((o) => ({ id: o.id, title: { es: o.title } })) });
}

/** The id the citizen gave: the NSS field first, then the CURP field. */
function officialIdOf(collected: Record<string, string>, fields: { nssField: string; curpField: string }): AppointmentOfficialId | null {
  const nss = collected[fields.nssField];
  if (nss !== undefined && nss !== '') return { kind: 'nss', value: nss };
  const curp = collected[fields.curpField];
  if (curp !== undefined && curp !== '') return { kind: 'curp', value: curp };
  return null;
}

export async function runBookStep(draft: TurnDraft, flowId: string, step: BookStep): Promise<string | undefined> {
  const port: AppointmentPort | null | undefined = draft.ports.appointments;
  const collected = draft.state.collected;
  const serviceId = collected[APPOINTMENT_FIELDS.service];
  const slotId = collected[APPOINTMENT_FIELDS.slot];
  const officialId = officialIdOf(collected, step);
  const birthDate = collected[step.birthDateField];
  if (!port || !serviceId || !slotId || !officialId) return fail(draft, flowId, undefined);
  let result;
  try {
    result = await port.book({ serviceId, slotId, officialId, language: draft.state.language, ...(birthDate ? { birthDate } : {}) });
  } catch {
    // Whether it booked is unknown: a person checks the calendar rather than the bot guessing.
    return fail(draft, flowId, undefined);
  }
  delete collected[APPOINTMENT_FIELDS.slot];
  // Until booked, the slot is only a choice: it must not read as the citizen's appointment (templates, the agent's summary).
  if (!result.ok) delete collected[APPOINTMENT_FIELDS.when];
  if (result.ok) {
    collected[APPOINTMENT_FIELDS.folio] = result.folio;
    collected[APPOINTMENT_FIELDS.when] = result.label;
    say(draft, step.booked);
    return step.next;
  }
  if (result.reason === 'slot_taken') {
    const slotsStep = draft.model.flows.find((f) => f.id === flowId)?.steps[step.slotsStep];
    const slots = result.slots ?? [];
    if (slotsStep?.type !== 'appointment_slots' || slots.length === 0) {
      say(draft, step.taken);
      return step.slotsStep;
    }
    const options = slots.slice(0, slotsStep.limit).map((s) => ({ id: s.id, title: s.label }));
    return offer(draft, flowId, step.slotsStep, step.taken, options);
  }
  say(draft, { es: result.message });
  return step.onRefused;
}

export async function runLookupStep(draft: TurnDraft, flowId: string, step: LookupStep): Promise<string | undefined> {
  const port = draft.ports.appointments;
  const collected = draft.state.collected;
  const folio = collected[step.folioField];
  const officialId = officialIdOf(collected, step);
  if (!port || !folio || !officialId) return fail(draft, flowId, undefined);
  let found;
  try {
    found = await port.lookUp({ folio, officialId, language: draft.state.language });
  } catch {
    return fail(draft, flowId, undefined);
  }
  if (!found) {
    collected[APPOINTMENT_FIELDS.folio] = folio;
    say(draft, step.notFound);
    return step.onNotFound;
  }
  collected[APPOINTMENT_FIELDS.folio] = found.folio;
  collected[APPOINTMENT_FIELDS.when] = found.label;
  collected[APPOINTMENT_FIELDS.status] = found.status;
  say(draft, step.found);
  return step.next;
}

export async function runCancelStep(draft: TurnDraft, flowId: string, step: CancelStep): Promise<string | undefined> {
  const port = draft.ports.appointments;
  const collected = draft.state.collected;
  const folio = collected[step.folioField];
  const officialId = officialIdOf(collected, step);
  if (!port || !folio || !officialId) return fail(draft, flowId, undefined);
  let result;
  try {
    result = await port.cancel({ folio, officialId, language: draft.state.language });
  } catch {
    return fail(draft, flowId, undefined);
  }
  collected[APPOINTMENT_FIELDS.folio] = result.ok ? result.folio : folio;
  if (result.ok) {
    collected[APPOINTMENT_FIELDS.when] = result.label;
    say(draft, step.cancelled);
  } else if (result.reason === 'not_found') {
    say(draft, step.notFound);
  } else {
    say(draft, { es: result.message });
  }
  return step.next;
}
