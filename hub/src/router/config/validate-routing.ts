import { CAPACITY_LIMITS, capacityRangeMessage } from './campaign-routing.schema.js';
import { findOverflowCycles } from './overflow-graph.js';
import { MIN_SKILL_LEVEL, type QueueConfig } from './queue-config.schema.js';
import { bilingual, type RoutingProblem } from './routing-problem.js';
import { CHANNEL_CLASSES } from '../core/router.types.js';

/**
 * Rules that need more than one object (issue 3, "Bad input"): they run after the schemas, on the
 * campaign's whole set of queues as it would be after the change, so a cycle closed by editing
 * one queue is caught on that edit.
 */

export interface RoutingQueue {
  readonly id: string;
  readonly campaignId: string;
  readonly config: QueueConfig;
}

/** Shape of a capacity override as stored; re-checked here because rows may bypass the schema. */
export interface CapacityOverrideRow {
  readonly agentId: string;
  readonly text?: number;
  readonly voice?: number;
  readonly email?: number;
}

export interface RoutingValidationInput {
  readonly campaignId: string;
  /** Skill ids defined in the campaign. */
  readonly skillIds: Iterable<string>;
  /** Every queue of the campaign after the change. */
  readonly queues: readonly RoutingQueue[];
  /** Queues of other campaigns (queueId → campaignId), so a move into one is named as such. */
  readonly foreignQueues?: ReadonlyMap<string, string>;
  readonly capacityOverrides?: readonly CapacityOverrideRow[];
}

type QueueProblem = Omit<RoutingProblem, 'queueId'>;
const error = (path: string, es: string, en: string): QueueProblem => ({ path, message: bilingual(es, en), severity: 'error' });
const warning = (path: string, es: string, en: string): QueueProblem => ({ path, message: bilingual(es, en), severity: 'warning' });

export function validateRouting(input: RoutingValidationInput): RoutingProblem[] {
  const skills = new Set(input.skillIds);
  const byId = new Map<string, RoutingQueue>();
  const problems: RoutingProblem[] = [];
  const push = (queueId: string | undefined, found: readonly QueueProblem[]): void => {
    for (const p of found) problems.push(queueId === undefined ? p : { ...p, queueId });
  };

  for (const queue of input.queues) {
    if (byId.has(queue.id)) push(queue.id, [error('', `fila repetida: ${queue.id}`, `duplicate queue: ${queue.id}`)]);
    byId.set(queue.id, queue);
    if (queue.campaignId !== input.campaignId) {
      push(queue.id, [error('', `la fila «${queue.config.name}» pertenece a otra campaña`, `queue "${queue.config.name}" belongs to another campaign`)]);
    }
  }

  for (const queue of byId.values()) {
    push(queue.id, unknownSkills(queue.config, skills));
    push(queue.id, moveTargets(queue, byId, input));
    push(queue.id, stepOrder(queue.config));
    push(queue.id, relaxationEffect(queue.config));
  }

  const nameOf = (id: string): string => byId.get(id)?.config.name ?? id;
  const graph = new Map([...byId.values()].map((q) => [q.id, q.config.overflow.flatMap((s) => ('moveToQueueId' in s.action ? [s.action.moveToQueueId] : []))]));
  for (const cycle of findOverflowCycles(graph).cycles) {
    const names = cycle.map(nameOf).join(' → ');
    // Reported on every edge of the example, so whichever queue the administrator is editing shows it.
    cycle.slice(0, -1).forEach((from, i) => {
      const to = cycle[i + 1];
      const stepIndex = byId.get(from)?.config.overflow.findIndex((s) => 'moveToQueueId' in s.action && s.action.moveToQueueId === to) ?? -1;
      push(from, [error(`overflow.${stepIndex}.action.moveToQueueId`, `ciclo de desborde: ${names}`, `overflow cycle: ${names}`)]);
    });
  }

  push(undefined, capacityOverrideProblems(input.capacityOverrides ?? []));
  return problems;
}

function unknownSkills(config: QueueConfig, skills: ReadonlySet<string>): QueueProblem[] {
  return config.requiredSkills.flatMap((r, i) =>
    skills.has(r.skillId) ? [] : [error(`requiredSkills.${i}.skillId`, `habilidad desconocida en la campaña: ${r.skillId}`, `unknown skill in this campaign: ${r.skillId}`)],
  );
}

function moveTargets(queue: RoutingQueue, byId: ReadonlyMap<string, RoutingQueue>, input: RoutingValidationInput): QueueProblem[] {
  const found: QueueProblem[] = [];
  let movedAt: number | undefined;
  queue.config.overflow.forEach((step, i) => {
    // A move takes the conversation out of this queue, so nothing after it can ever run.
    if (movedAt !== undefined) {
      found.push(error(`overflow.${i}`, `paso inalcanzable: el paso ${movedAt} ya mueve la conversación a otra fila`, `unreachable step: step ${movedAt} already moves the conversation away`));
    }
    if (!('moveToQueueId' in step.action)) return;
    movedAt ??= i;
    const target = step.action.moveToQueueId;
    const path = `overflow.${i}.action.moveToQueueId`;
    const local = byId.get(target);
    const foreignCampaign = local === undefined ? input.foreignQueues?.get(target) : local.campaignId !== input.campaignId ? local.campaignId : undefined;
    if (foreignCampaign !== undefined && foreignCampaign !== input.campaignId) {
      found.push(error(path, `la fila destino ${target} es de otra campaña; use una transferencia`, `target queue ${target} belongs to another campaign; use a transfer`));
    } else if (local === undefined) {
      found.push(error(path, `fila destino desconocida: ${target}`, `unknown target queue: ${target}`));
    }
  });
  return found;
}

function stepOrder(config: QueueConfig): QueueProblem[] {
  const found: QueueProblem[] = [];
  let previous: { seconds: number; index: number } | undefined;
  config.overflow.forEach((step, i) => {
    if (!('afterSeconds' in step.trigger)) return;
    const seconds = step.trigger.afterSeconds;
    const path = `overflow.${i}.trigger.afterSeconds`;
    // Steps apply in list order, so a smaller time after a larger one would fire late, silently.
    if (previous !== undefined && seconds <= previous.seconds) {
      found.push(error(path, `debe ser mayor que ${previous.seconds} s del paso ${previous.index}`, `must be greater than step ${previous.index}'s ${previous.seconds} s`));
    }
    if (config.maxWaitSeconds !== undefined && seconds >= config.maxWaitSeconds) {
      found.push(warning(path, `nunca se aplica: la espera máxima de la fila es ${config.maxWaitSeconds} s`, `never applies: the queue's maximum wait is ${config.maxWaitSeconds} s`));
    }
    previous = { seconds, index: i };
  });
  return found;
}

/**
 * The core lowers every requirement by the accumulated relaxation and never below level 1. A step
 * that lowers nothing is an error (the administrator expects it to widen the pool and it cannot);
 * one that overshoots but still lowers something is only a warning.
 */
function relaxationEffect(config: QueueConfig): QueueProblem[] {
  const found: QueueProblem[] = [];
  const highest = Math.max(MIN_SKILL_LEVEL, ...config.requiredSkills.map((r) => r.minLevel));
  const room = highest - MIN_SKILL_LEVEL;
  let relaxed = 0;
  config.overflow.forEach((step, i) => {
    if (!('relaxLevels' in step.action)) return;
    const path = `overflow.${i}.action.relaxLevels`;
    if (relaxed >= room) {
      found.push(error(path, 'la relajación no tiene efecto: todos los niveles requeridos ya están en 1', 'relaxation has no effect: every required level is already 1'));
    } else if (relaxed + step.action.relaxLevels > room) {
      found.push(warning(path, `relaja más de lo posible; los niveles no bajan de 1 (basta con ${room - relaxed})`, `relaxes more than possible; levels never go below 1 (${room - relaxed} is enough)`));
    }
    relaxed += step.action.relaxLevels;
  });
  return found;
}

function capacityOverrideProblems(overrides: readonly CapacityOverrideRow[]): RoutingProblem[] {
  const found: RoutingProblem[] = [];
  const seen = new Set<string>();
  overrides.forEach((row, i) => {
    if (seen.has(row.agentId)) found.push(error(`capacityOverrides.${i}.agentId`, `agente repetido: ${row.agentId}`, `duplicate agent: ${row.agentId}`));
    seen.add(row.agentId);
    for (const channelClass of CHANNEL_CLASSES) {
      const value = row[channelClass];
      const { min, max } = CAPACITY_LIMITS[channelClass];
      if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
        found.push({ path: `capacityOverrides.${i}.${channelClass}`, message: `${capacityRangeMessage(channelClass)} (${value})`, severity: 'error' });
      }
    }
  });
  return found;
}
