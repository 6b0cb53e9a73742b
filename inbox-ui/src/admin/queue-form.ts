import {
  AFTER_HOURS_MODES,
  CHANNEL_CLASSES,
  CITIZEN_MESSAGE_MAX,
  MAX_OVERFLOW_STEPS,
  MAX_RELAX_LEVELS,
  MAX_REQUIRED_SKILLS,
  MAX_SECONDS,
  MAX_SKILL_LEVEL,
  MIN_SKILL_LEVEL,
  PRIORITY_RANGE,
  QUEUE_NAME_MAX,
  STRATEGIES,
  type AfterHoursMode,
  type ChannelClass,
  type StrategyName,
} from './admin-limits.js';
import type { AdminQueue, OverflowStep, QueueBody } from './admin-types.js';
import { checkInt, parseIntStrict, type ClientProblems } from './form-problems.js';

/**
 * The queue editor's model (text inputs hold strings) and its conversion to the body of
 * POST /campaigns/:id/queues and PUT /queues/:id (router/config/queue-config.schema.ts).
 */

export type TriggerKind = 'afterSeconds' | 'estimatedWaitOverSeconds';
export type ActionKind = 'moveToQueueId' | 'relaxLevels';

export interface OverflowStepForm {
  triggerKind: TriggerKind;
  seconds: string;
  actionKind: ActionKind;
  targetQueueId: string;
  relaxLevels: string;
}

export interface QueueForm {
  name: string;
  priority: string;
  requiredSkills: { skillId: string; minLevel: string }[];
  strategy: StrategyName;
  maxWaitSeconds: string;
  channelClasses: ChannelClass[];
  overflow: OverflowStepForm[];
  afterHoursMode: AfterHoursMode;
  afterHoursEs: string;
  afterHoursEn: string;
  tier: 1 | 2;
  isDefault: boolean;
}

export function emptyStep(): OverflowStepForm {
  return { triggerKind: 'afterSeconds', seconds: '', actionKind: 'relaxLevels', targetQueueId: '', relaxLevels: '1' };
}

export function stepToForm(step: OverflowStep): OverflowStepForm {
  const form = emptyStep();
  if ('afterSeconds' in step.trigger) form.seconds = String(step.trigger.afterSeconds);
  else {
    form.triggerKind = 'estimatedWaitOverSeconds';
    form.seconds = String(step.trigger.estimatedWaitOverSeconds);
  }
  if ('moveToQueueId' in step.action) {
    form.actionKind = 'moveToQueueId';
    form.targetQueueId = step.action.moveToQueueId;
  } else {
    form.relaxLevels = String(step.action.relaxLevels);
  }
  return form;
}

/** The step as the API takes it; numbers that do not parse go through as NaN only if validation was skipped. */
export function formToStep(form: OverflowStepForm): OverflowStep {
  const seconds = parseIntStrict(form.seconds) ?? Number.NaN;
  return {
    trigger: form.triggerKind === 'afterSeconds' ? { afterSeconds: seconds } : { estimatedWaitOverSeconds: seconds },
    action: form.actionKind === 'moveToQueueId' ? { moveToQueueId: form.targetQueueId } : { relaxLevels: parseIntStrict(form.relaxLevels) ?? Number.NaN },
  };
}

export const DEFAULT_AFTER_HOURS_ES = 'Nuestro horario de atención terminó. Le responderemos en cuanto abramos.';

export function emptyQueueForm(isFirst: boolean): QueueForm {
  return {
    name: '',
    priority: '50',
    requiredSkills: [],
    strategy: 'longest_idle',
    maxWaitSeconds: '',
    channelClasses: ['text'],
    overflow: [],
    afterHoursMode: 'keep_queued',
    afterHoursEs: DEFAULT_AFTER_HOURS_ES,
    afterHoursEn: '',
    tier: 1,
    isDefault: isFirst,
  };
}

const isStrategy = (s: string): s is StrategyName => (STRATEGIES as readonly string[]).includes(s);
const isMode = (s: string): s is AfterHoursMode => (AFTER_HOURS_MODES as readonly string[]).includes(s);

export function queueToForm(queue: AdminQueue): QueueForm {
  return {
    name: queue.name,
    priority: String(queue.priority),
    requiredSkills: queue.requiredSkills.map((s) => ({ skillId: s.skillId, minLevel: String(s.minLevel) })),
    strategy: isStrategy(queue.strategy) ? queue.strategy : 'longest_idle',
    maxWaitSeconds: queue.maxWaitSeconds === null ? '' : String(queue.maxWaitSeconds),
    channelClasses: CHANNEL_CLASSES.filter((c) => queue.channelClasses.includes(c)),
    overflow: queue.overflow.map(stepToForm),
    afterHoursMode: isMode(queue.afterHours.mode) ? queue.afterHours.mode : 'keep_queued',
    afterHoursEs: queue.afterHours.message.es,
    afterHoursEn: queue.afterHours.message.en ?? '',
    tier: queue.tier,
    isDefault: queue.isDefault,
  };
}

export function formToQueueBody(form: QueueForm): QueueBody {
  const maxWait = parseIntStrict(form.maxWaitSeconds);
  const en = form.afterHoursEn.trim();
  return {
    name: form.name.trim(),
    priority: parseIntStrict(form.priority) ?? Number.NaN,
    requiredSkills: form.requiredSkills.map((s) => ({ skillId: s.skillId, minLevel: parseIntStrict(s.minLevel) ?? Number.NaN })),
    strategy: form.strategy,
    ...(form.maxWaitSeconds.trim() !== '' && maxWait !== null ? { maxWaitSeconds: maxWait } : {}),
    channelClasses: CHANNEL_CLASSES.filter((c) => form.channelClasses.includes(c)),
    overflow: form.overflow.map(formToStep),
    afterHours: { mode: form.afterHoursMode, message: { es: form.afterHoursEs.trim(), ...(en ? { en } : {}) } },
    tier: form.tier,
    isDefault: form.isDefault,
  };
}

/**
 * What the browser can tell without the rest of the campaign. Cycles, unknown skills, the order
 * of steps and relaxations that change nothing are the hub's (validate-routing.ts); its answer is
 * shown on the same paths.
 */
export function validateQueueForm(form: QueueForm, ctx: { queueId: string | null; queueIds: ReadonlySet<string> }): ClientProblems {
  const problems: ClientProblems = {};
  const set = (path: string, problem: ReturnType<typeof checkInt>) => {
    if (problem) problems[path] = problem;
  };
  const name = form.name.trim();
  if (name === '') problems['name'] = { key: 'v.required' };
  else if (name.length > QUEUE_NAME_MAX) problems['name'] = { key: 'v.maxLength', values: { max: QUEUE_NAME_MAX } };
  set('priority', checkInt(form.priority, PRIORITY_RANGE.min, PRIORITY_RANGE.max));
  set('maxWaitSeconds', checkInt(form.maxWaitSeconds, 1, MAX_SECONDS, false));
  if (form.requiredSkills.length > MAX_REQUIRED_SKILLS) problems['requiredSkills'] = { key: 'v.maxItems', values: { max: MAX_REQUIRED_SKILLS } };
  const seen = new Set<string>();
  form.requiredSkills.forEach((s, i) => {
    if (s.skillId === '') problems[`requiredSkills.${i}.skillId`] = { key: 'v.required' };
    else if (seen.has(s.skillId)) problems[`requiredSkills.${i}.skillId`] = { key: 'v.duplicate' };
    seen.add(s.skillId);
    set(`requiredSkills.${i}.minLevel`, checkInt(s.minLevel, MIN_SKILL_LEVEL, MAX_SKILL_LEVEL));
  });
  if (form.channelClasses.length === 0) problems['channelClasses'] = { key: 'v.channelClasses' };
  if (form.overflow.length > MAX_OVERFLOW_STEPS) problems['overflow'] = { key: 'v.maxItems', values: { max: MAX_OVERFLOW_STEPS } };
  form.overflow.forEach((step, i) => {
    set(`overflow.${i}.trigger.${step.triggerKind}`, checkInt(step.seconds, 1, MAX_SECONDS));
    if (step.actionKind === 'relaxLevels') {
      set(`overflow.${i}.action.relaxLevels`, checkInt(step.relaxLevels, 1, MAX_RELAX_LEVELS));
    } else if (step.targetQueueId === '') {
      problems[`overflow.${i}.action.moveToQueueId`] = { key: 'v.required' };
    } else if (ctx.queueId !== null && step.targetQueueId === ctx.queueId) {
      problems[`overflow.${i}.action.moveToQueueId`] = { key: 'v.overflowSelf' };
    } else if (!ctx.queueIds.has(step.targetQueueId)) {
      problems[`overflow.${i}.action.moveToQueueId`] = { key: 'v.unknownQueue' };
    }
  });
  const es = form.afterHoursEs.trim();
  if (es === '') problems['afterHours.message.es'] = { key: 'v.required' };
  else if (es.length > CITIZEN_MESSAGE_MAX) problems['afterHours.message.es'] = { key: 'v.maxLength', values: { max: CITIZEN_MESSAGE_MAX } };
  if (form.afterHoursEn.trim().length > CITIZEN_MESSAGE_MAX) problems['afterHours.message.en'] = { key: 'v.maxLength', values: { max: CITIZEN_MESSAGE_MAX } };
  return problems;
}

/** The list with one item moved by `delta` places (clamped), for reordering steps. */
export function moveItem<T>(list: readonly T[], index: number, delta: number): T[] {
  const target = Math.max(0, Math.min(list.length - 1, index + delta));
  if (target === index || index < 0 || index >= list.length) return [...list];
  const next = [...list];
  const [item] = next.splice(index, 1);
  next.splice(target, 0, item as T);
  return next;
}

/** The field a hub path names, said as the form says it ("Desborde, paso 2"), or null. */
export function queuePathLabel(path: string): ClientProblems[string] | null {
  const step = /^overflow\.(\d+)/.exec(path);
  if (step) return { key: 'queues.pathStep', values: { n: Number(step[1]) + 1 } };
  const skill = /^requiredSkills\.(\d+)/.exec(path);
  if (skill) return { key: 'queues.pathSkill', values: { n: Number(skill[1]) + 1 } };
  const fields: Record<string, ClientProblems[string]['key']> = {
    name: 'queues.name',
    priority: 'queues.priority',
    strategy: 'queues.strategy',
    maxWaitSeconds: 'queues.maxWait',
    channelClasses: 'queues.classes',
    'afterHours.message.es': 'afterHours.es',
    'afterHours.message.en': 'afterHours.en',
    'afterHours.mode': 'afterHours.mode',
    afterHours: 'afterHours.title',
    tier: 'queues.tier',
    isDefault: 'queues.default',
  };
  const key = fields[path];
  return key ? { key } : null;
}
