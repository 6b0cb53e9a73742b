import { BUILTIN_ENTITIES, type BotModel, type FlowDef, type StepDef } from '../model.schema.js';
import type { BotModelProblem } from './model-problem.js';

const BUILTIN_KINDS = new Set<string>([...BUILTIN_ENTITIES, 'name', 'text']);

/**
 * What zod cannot see: names that must point at something that exists. A flow with a
 * dangling step would strand the citizen mid-conversation, so it never reaches training.
 */
export function crossReferenceProblems(model: BotModel): BotModelProblem[] {
  const problems: BotModelProblem[] = [];
  problems.push(...duplicates(model.intents.map((i) => i.name), 'intents', 'intención'));
  problems.push(...duplicates(model.entities.map((e) => e.name), 'entities', 'entidad'));
  problems.push(...duplicates(model.flows.map((f) => f.id), 'flows', 'flujo'));

  const flowIds = new Set(model.flows.map((f) => f.id));
  for (const intent of model.intents) {
    const at = `intents.${intent.name}`;
    if (intent.phrases.es.length === 0 && intent.phrases.en.length === 0) {
      problems.push({ path: `${at}.phrases`, message: `La intención «${intent.name}» no tiene frases de entrenamiento en ningún idioma.` });
    }
    if (intent.flow !== undefined && !flowIds.has(intent.flow)) {
      problems.push({ path: `${at}.flow`, message: `La intención «${intent.name}» usa el flujo «${intent.flow}», que no existe.` });
    }
    if (intent.flow === undefined && !intent.handoff && intent.answers.length === 0) {
      problems.push({ path: `${at}.answers`, message: `La intención «${intent.name}» no tiene respuestas (agregue una, un flujo o márquela como paso a asesor).` });
    }
  }

  const customEntities = new Set(model.entities.map((e) => e.name));
  for (const flow of model.flows) problems.push(...flowProblems(flow, customEntities));
  return problems;
}

function duplicates(names: string[], list: string, noun: string): BotModelProblem[] {
  const seen = new Set<string>();
  const reported = new Set<string>();
  const problems: BotModelProblem[] = [];
  for (const name of names) {
    if (seen.has(name) && !reported.has(name)) {
      reported.add(name);
      problems.push({ path: `${list}.${name}`, message: `Hay más de una ${noun} llamada «${name}»; los nombres deben ser únicos.` });
    }
    seen.add(name);
  }
  return problems;
}

function flowProblems(flow: FlowDef, customEntities: Set<string>): BotModelProblem[] {
  const problems: BotModelProblem[] = [];
  const at = `flows.${flow.id}`;
  const exists = (step: string): boolean => Object.hasOwn(flow.steps, step);
  if (!exists(flow.start)) {
    problems.push({ path: `${at}.start`, message: `El flujo «${flow.id}» empieza en «${flow.start}», que no existe en el flujo.` });
  }
  for (const [stepId, step] of Object.entries(flow.steps)) {
    for (const ref of stepReferences(step)) {
      if (exists(ref.target)) continue;
      problems.push({
        path: `${at}.steps.${stepId}.${ref.path}`,
        message: `El paso «${stepId}» apunta a «${ref.target}», que no existe en el flujo «${flow.id}».`,
      });
    }
    if (step.type === 'appointment_book') {
      const target = exists(step.slotsStep) ? flow.steps[step.slotsStep] : undefined;
      if (target !== undefined && target.type !== 'appointment_slots') {
        problems.push({
          path: `${at}.steps.${stepId}.slotsStep`,
          message: `El paso «${stepId}» vuelve a ofrecer horarios en «${step.slotsStep}», que no es un paso de tipo «appointment_slots».`,
        });
      }
    }
    if (step.type === 'collect' && !BUILTIN_KINDS.has(step.kind) && !customEntities.has(step.kind)) {
      problems.push({
        path: `${at}.steps.${stepId}.kind`,
        message: `El paso «${stepId}» pide un dato de tipo «${step.kind}», que no es un tipo incluido ni una entidad del modelo.`,
      });
    }
  }
  return problems;
}

function stepReferences(step: StepDef): { path: string; target: string }[] {
  switch (step.type) {
    case 'message':
      return [
        ...(step.next !== undefined ? [{ path: 'next', target: step.next }] : []),
        ...(step.buttons ?? []).map((b, i) => ({ path: `buttons.${i}.next`, target: b.next })),
      ];
    case 'collect':
      return [{ path: 'next', target: step.next }, ...(step.onFail !== undefined ? [{ path: 'onFail', target: step.onFail }] : [])];
    case 'folio_status':
      return step.next !== undefined ? [{ path: 'next', target: step.next }] : [];
    case 'branch':
      return [...step.cases.map((c, i) => ({ path: `cases.${i}.next`, target: c.next })), { path: 'default', target: step.default }];
    case 'handoff':
    case 'resolve':
      return [];
    case 'appointment_service':
    case 'appointment_slots':
      return [{ path: 'next', target: step.next }, ...optional('onFail', step.onFail)];
    case 'appointment_book':
      return [{ path: 'slotsStep', target: step.slotsStep }, ...optional('next', step.next), ...optional('onRefused', step.onRefused)];
    case 'appointment_lookup':
      return [...optional('next', step.next), ...optional('onNotFound', step.onNotFound)];
    case 'appointment_cancel':
      return optional('next', step.next);
  }
}

function optional(path: string, target: string | undefined): { path: string; target: string }[] {
  return target !== undefined ? [{ path, target }] : [];
}
