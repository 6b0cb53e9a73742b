import { z } from 'zod';
import { hasSpareCapacity } from '../core/agent-capacity.js';
import { relaxationSteps } from '../core/agent-eligibility.js';
import { compareIds } from '../core/compare-ids.js';
import type { AgentSnapshot, ChannelClass, QueueSnapshot, WaitingConversation } from '../core/router.types.js';
import { DEFAULT_WAIT_ESTIMATOR_OPTIONS, estimateWait, type WaitEstimate, type WaitEstimatorOptions } from './estimated-wait.js';
import { queuePositions } from './queue-position.js';
import { queueStaffing, servesQueue, type QueueStaffing } from './queue-staffing.js';
import {
  DEFAULT_NOTIFY_OPTIONS,
  queueTreatmentDisplay,
  sameTreatmentDisplay,
  shouldNotify,
  type NotifyOptions,
  type QueueTreatmentDisplay,
  type SentTreatment,
} from './queue-treatment-message.js';

/**
 * One refresh of the queue treatment, pure (README.md, "How it is computed and pushed"): every
 * waiting conversation's place, estimate and display, and whether its citizen is told now. The
 * use case (usecases/queue-treatment.usecase.ts) loads the snapshot and writes the result.
 */

const waitDisplaySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unknown') }),
  z.object({ kind: z.literal('under_minute') }),
  z.object({ kind: z.literal('minutes'), minutes: z.number().int().min(1) }),
]);
const displaySchema = z.object({ position: z.number().int().min(1), wait: waitDisplaySchema });

/**
 * conversations.treatment. The computed half (position … updatedAt) is rewritten when what the
 * citizen would read changes; the sent half only together with the message it records, so a
 * refresh never forgets what the citizen was actually told.
 */
export const storedTreatmentSchema = z.object({
  position: z.number().int().min(1),
  estimatedWaitMs: z.number().min(0).nullable(),
  method: z.enum(['rate', 'capacity', 'capacity_default_aht']).nullable(),
  display: displaySchema,
  updatedAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullish(),
  sentDisplay: displaySchema.nullish(),
});
export type StoredTreatment = z.output<typeof storedTreatmentSchema>;

/** A stored value that no longer parses (edited by hand, older shape) counts as nothing stored. */
export function parseStoredTreatment(value: unknown): StoredTreatment | null {
  const parsed = storedTreatmentSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** What the citizen was last told, for shouldNotify; null when they were never told. */
export function lastSent(stored: StoredTreatment | null): SentTreatment | null {
  if (!stored?.sentAt || !stored.sentDisplay) return null;
  return { display: stored.sentDisplay, sentAt: Date.parse(stored.sentAt) };
}

/** Seat occupancy of ended sessions: how many, and their summed length. */
export interface HandleTimeSample {
  readonly sessions: number;
  readonly totalMs: number;
}

/** The two figures the estimate takes from recent history (README.md, "History"). */
export interface WaitHistory {
  /** Length of the rate window the completions were counted in. */
  readonly windowMs: number;
  /** Sessions ended in the rate window, by historyKey(agentId, class). */
  readonly completions: ReadonlyMap<string, number>;
  /** Sessions ended in the handle-time window, by historyKey(queueId, class). */
  readonly handleTimes: ReadonlyMap<string, HandleTimeSample>;
}

export const EMPTY_HISTORY: WaitHistory = Object.freeze({ windowMs: 15 * 60_000, completions: new Map(), handleTimes: new Map() });

export const historyKey = (id: string, channelClass: ChannelClass): string => `${channelClass}:${id}`;

/**
 * The queue's AHT, pulled towards the class default by `priorSessions` imaginary sessions of
 * default length: one 20-second chat must not make the next citizen read "menos de 1 min", and
 * after a few dozen sessions the observed mean dominates. null without history (estimateWait then
 * uses the default itself and says so in its method).
 */
export function blendedHandleTimeMs(sample: HandleTimeSample | undefined, defaultMs: number, priorSessions: number): number | null {
  if (sample === undefined || !(sample.sessions > 0) || !Number.isFinite(sample.totalMs) || sample.totalMs < 0) return null;
  const prior = Math.max(0, priorSessions);
  return (sample.totalMs + prior * defaultMs) / (sample.sessions + prior);
}

/** Sessions of one class an agent could take right now (the router will offer them at its next pass). */
export function freeSeats(agent: AgentSnapshot, channelClass: ChannelClass): number {
  if (agent.state !== 'available' || !hasSpareCapacity(agent, channelClass)) return 0;
  return channelClass === 'voice' ? 1 : Math.max(0, Math.floor(agent.capacity[channelClass]) - agent.load[channelClass]);
}

export interface TreatmentCandidate extends WaitingConversation {
  /** Epoch ms it entered its current queue (the first notice waits from here). */
  readonly queueEnteredAt: number;
  /** Outside the campaign's business hours: its after-hours message applies, not this one. */
  readonly afterHours: boolean;
  readonly stored: StoredTreatment | null;
}

export interface TreatmentPlanOptions {
  readonly notify: NotifyOptions;
  readonly estimator: WaitEstimatorOptions;
  /** The first message waits this long after the conversation entered its queue. */
  readonly firstNoticeAfterMs: number;
  /** Weight of the class default in the AHT, in sessions (blendedHandleTimeMs). */
  readonly handleTimePriorSessions: number;
}

export const DEFAULT_TREATMENT_PLAN_OPTIONS: TreatmentPlanOptions = Object.freeze({
  notify: DEFAULT_NOTIFY_OPTIONS,
  estimator: DEFAULT_WAIT_ESTIMATOR_OPTIONS,
  firstNoticeAfterMs: 1000,
  handleTimePriorSessions: 5,
});

/** Why the citizen is told now: first notice, just became next, or a throttled update. */
export type NotifyReason = 'first' | 'next_in_line' | 'update';

export interface ConversationTreatment {
  readonly conversation: TreatmentCandidate;
  readonly position: number;
  readonly estimate: WaitEstimate | null;
  readonly display: QueueTreatmentDisplay;
  /** What the citizen would read differs from what is stored (or nothing is stored): write it. */
  readonly changed: boolean;
  readonly notify: NotifyReason | null;
}

export interface TreatmentSnapshot {
  readonly waiting: readonly TreatmentCandidate[];
  readonly queues: ReadonlyMap<string, QueueSnapshot>;
  /** Staffed agents (available or in after-contact work), with their loads. */
  readonly agents: readonly AgentSnapshot[];
  readonly history: WaitHistory;
  readonly now: number;
}

interface Pool {
  readonly staffing: QueueStaffing;
  readonly completions: number;
  readonly free: number;
  readonly averageHandleTimeMs: number | null;
}

/**
 * Position, estimate and notification decision of every waiting conversation whose queue is
 * known, in routing order. A citizen is told only when they really wait: not outside business
 * hours, not before `firstNoticeAfterMs` in the queue, and not when their pool has a free seat
 * for them (position ≤ free seats: the next routing pass offers it, within the second).
 */
export function planQueueTreatment(snapshot: TreatmentSnapshot, options: TreatmentPlanOptions = DEFAULT_TREATMENT_PLAN_OPTIONS): ConversationTreatment[] {
  const { queues, agents, history, now } = snapshot;
  const positions = queuePositions(snapshot.waiting, queues, agents);
  const pools = new Map<string, Pool>();
  const poolOf = (queue: QueueSnapshot, channelClass: ChannelClass, steps: number): Pool => {
    const key = `${channelClass}\u0000${steps}\u0000${queue.id}`;
    let pool = pools.get(key);
    if (pool === undefined) {
      const staffing = queueStaffing(agents, queue, channelClass, steps);
      let completions = 0;
      for (const id of staffing.agentIds) completions += history.completions.get(historyKey(id, channelClass)) ?? 0;
      let free = 0;
      for (const agent of agents) if (servesQueue(agent, queue, channelClass, steps)) free += freeSeats(agent, channelClass);
      const averageHandleTimeMs = blendedHandleTimeMs(
        history.handleTimes.get(historyKey(queue.id, channelClass)),
        options.estimator.defaultHandleTimeMs[channelClass],
        options.handleTimePriorSessions,
      );
      pool = { staffing, completions, free, averageHandleTimeMs };
      pools.set(key, pool);
    }
    return pool;
  };

  const plan: ConversationTreatment[] = [];
  for (const conversation of snapshot.waiting) {
    const position = positions.get(conversation.id);
    const queue = queues.get(conversation.queueId);
    if (position === undefined || queue === undefined) continue;
    const pool = poolOf(queue, conversation.channelClass, relaxationSteps(conversation.relaxedLevels));
    const estimate = estimateWait(
      {
        position,
        channelClass: conversation.channelClass,
        staffing: pool.staffing,
        averageHandleTimeMs: pool.averageHandleTimeMs,
        recentCompletions: { completions: pool.completions, windowMs: history.windowMs },
      },
      options.estimator,
    );
    const display = queueTreatmentDisplay(position, estimate?.ms ?? null);
    const { stored } = conversation;
    const changed = stored === null || !sameTreatmentDisplay(stored.display, display);
    plan.push({ conversation, position, estimate, display, changed, notify: notifyReason(conversation, display, position <= pool.free, now, options) });
  }
  return plan;
}

function notifyReason(conversation: TreatmentCandidate, display: QueueTreatmentDisplay, servedNextPass: boolean, now: number, options: TreatmentPlanOptions): NotifyReason | null {
  if (conversation.afterHours || servedNextPass) return null;
  const previous = lastSent(conversation.stored);
  if (previous === null) return now - conversation.queueEnteredAt >= options.firstNoticeAfterMs ? 'first' : null;
  if (!shouldNotify(previous, display, now, options.notify)) return null;
  return display.position === 1 && previous.display.position > 1 ? 'next_in_line' : 'update';
}

const REASON_RANK: Readonly<Record<NotifyReason, number>> = { next_in_line: 0, first: 1, update: 2 };

/**
 * The messages one refresh sends when more are due than it may send: "you are next" first, then
 * first notices, then updates, front of the line first. The rest are due again at the next refresh
 * (the comparison is always with what was sent), so a cap delays messages, it never drops one.
 */
export function notificationsToSend(plan: readonly ConversationTreatment[], max: number): ConversationTreatment[] {
  const due = plan.filter((t) => t.notify !== null);
  due.sort(
    (a, b) =>
      REASON_RANK[a.notify ?? 'update'] - REASON_RANK[b.notify ?? 'update'] ||
      a.position - b.position ||
      a.conversation.enqueuedAt - b.conversation.enqueuedAt ||
      compareIds(a.conversation.id, b.conversation.id),
  );
  return due.slice(0, Math.max(0, max));
}
