import type { SkillRequirement } from '../core/router.types.js';
import { shouldOverflow } from '../queue-treatment/estimated-wait.js';
import { MAX_RELAX_LEVELS, MIN_SKILL_LEVEL, type OverflowStep, type QueueConfig } from './queue-config.schema.js';

/**
 * Overflow over time (issue 3, item 1), pure: the caller passes the clock and the estimate, stores
 * the returned position, and schedules a durable timer for `dueAt` (item 10).
 *
 * Steps run strictly in list order: step k is considered only once steps 0…k−1 were applied.
 * `afterSeconds` counts from when the conversation entered its *current* queue, so each queue's
 * rules read on their own ("in this queue, after 300 s…"); the core's `enqueuedAt`, which orders
 * the line, is a different value and is never reset by a move.
 */

export interface OverflowState {
  /** Epoch ms the conversation entered its current queue (reset by a move, not by a relaxation). */
  readonly enqueuedAt: number;
  readonly stepsApplied: number;
  readonly now: number;
  /** Current estimated wait in this queue; null when nobody staffed qualifies (unknown). */
  readonly estimatedWaitMs: number | null;
}

export type OverflowDecision =
  | { readonly kind: 'due'; readonly stepIndex: number; readonly step: OverflowStep }
  /** Time-based step in the future: schedule a timer for dueAt (epoch ms). */
  | { readonly kind: 'scheduled'; readonly stepIndex: number; readonly dueAt: number }
  /** Estimate-based step not met yet: check again whenever the estimate is refreshed. */
  | { readonly kind: 'on_estimate'; readonly stepIndex: number; readonly thresholdMs: number }
  | { readonly kind: 'done' };

export function nextOverflowStep(config: Pick<QueueConfig, 'overflow'>, state: OverflowState): OverflowDecision {
  if (!Number.isInteger(state.stepsApplied) || state.stepsApplied < 0) {
    throw new RangeError(`stepsApplied must be an integer ≥ 0, got ${state.stepsApplied}`);
  }
  const stepIndex = state.stepsApplied;
  const step = config.overflow[stepIndex];
  if (step === undefined) return { kind: 'done' };
  if ('afterSeconds' in step.trigger) {
    const dueAt = state.enqueuedAt + step.trigger.afterSeconds * 1000;
    return state.now >= dueAt ? { kind: 'due', stepIndex, step } : { kind: 'scheduled', stepIndex, dueAt };
  }
  const thresholdMs = step.trigger.estimatedWaitOverSeconds * 1000;
  // Unknown estimate does not fire (shouldOverflow's default): time-based steps and after-hours
  // treatment cover an unstaffed queue.
  return shouldOverflow(state.estimatedWaitMs, { maxEstimatedWaitMs: thresholdMs })
    ? { kind: 'due', stepIndex, step }
    : { kind: 'on_estimate', stepIndex, thresholdMs };
}

/** Where a waiting conversation stands in the overflow rules; the caller persists all of it. */
export interface OverflowPosition {
  readonly queueId: string;
  /** Fed to the core's WaitingConversation.relaxedLevels. */
  readonly relaxedLevels: number;
  readonly stepsApplied: number;
  /** Overflow clock of the current queue (see OverflowState.enqueuedAt). */
  readonly enqueuedAt: number;
  /** Queues the conversation was moved out of; it is never moved back into one (loop guard). */
  readonly visitedQueueIds: readonly string[];
}

export function startOverflow(queueId: string, now: number): OverflowPosition {
  return { queueId, relaxedLevels: 0, stepsApplied: 0, enqueuedAt: now, visitedQueueIds: [] };
}

export type StepOutcome = 'relaxed' | 'moved' | 'skipped_cycle' | 'skipped_unknown_queue';

export interface AppliedStep {
  readonly queueId: string;
  readonly stepIndex: number;
  readonly outcome: StepOutcome;
  readonly position: OverflowPosition;
}

const skip = (position: OverflowPosition): OverflowPosition => ({ ...position, stepsApplied: position.stepsApplied + 1 });

/**
 * The position after `step`. A relaxation accumulates (capped where it stops having any effect);
 * a move starts the target queue afresh — its own steps, its own levels — because relaxation is
 * relative to the requirements of the queue it was configured on. A move back into a queue the
 * conversation already left, or into itself, is skipped even when validation was bypassed.
 */
export function applyOverflowStep(position: OverflowPosition, step: OverflowStep, now: number): { position: OverflowPosition; outcome: StepOutcome } {
  if ('relaxLevels' in step.action) {
    const relaxedLevels = Math.min(MAX_RELAX_LEVELS, position.relaxedLevels + step.action.relaxLevels);
    return { position: { ...skip(position), relaxedLevels }, outcome: 'relaxed' };
  }
  const target = step.action.moveToQueueId;
  if (target === position.queueId || position.visitedQueueIds.includes(target)) return { position: skip(position), outcome: 'skipped_cycle' };
  return {
    position: { queueId: target, relaxedLevels: 0, stepsApplied: 0, enqueuedAt: now, visitedQueueIds: [...position.visitedQueueIds, position.queueId] },
    outcome: 'moved',
  };
}

export interface SettledOverflow {
  readonly position: OverflowPosition;
  /** In the order applied; empty when nothing was due. */
  readonly applied: readonly AppliedStep[];
  /** What comes next in the final queue: a timer to schedule, an estimate to watch, or nothing. */
  readonly next: OverflowDecision;
}

/**
 * Applies every step due at `now`, following moves across queues (a timer fired late after a
 * restart may owe several). Terminates without trusting validation: each pass either consumes a
 * step of the current queue or enters a queue not visited before, and an explicit bound backs that.
 */
export function settleOverflow(
  configs: ReadonlyMap<string, Pick<QueueConfig, 'overflow'>>,
  start: OverflowPosition,
  now: number,
  estimatedWaitMs: (queueId: string) => number | null,
): SettledOverflow {
  const applied: AppliedStep[] = [];
  let position = start;
  const bound = [...configs.values()].reduce((sum, c) => sum + c.overflow.length + 1, 1);
  for (let pass = 0; pass < bound; pass += 1) {
    const config = configs.get(position.queueId);
    if (config === undefined) break;
    const next = nextOverflowStep(config, { enqueuedAt: position.enqueuedAt, stepsApplied: position.stepsApplied, now, estimatedWaitMs: estimatedWaitMs(position.queueId) });
    if (next.kind !== 'due') return { position, applied, next };
    const { step, stepIndex } = next;
    const queueId = position.queueId;
    if ('moveToQueueId' in step.action && !configs.has(step.action.moveToQueueId)) {
      position = skip(position);
      applied.push({ queueId, stepIndex, outcome: 'skipped_unknown_queue', position });
      continue;
    }
    const result = applyOverflowStep(position, step, now);
    position = result.position;
    applied.push({ queueId, stepIndex, outcome: result.outcome, position });
  }
  return { position, applied, next: { kind: 'done' } };
}

/** The levels the core will ask for after `relaxedLevels` (same rule as the core: never below 1). */
export function effectiveRequirements(config: Pick<QueueConfig, 'requiredSkills'>, relaxedLevels: number): SkillRequirement[] {
  return config.requiredSkills.map((r) => ({ skillId: r.skillId, minLevel: Math.max(MIN_SKILL_LEVEL, r.minLevel - relaxedLevels) }));
}
