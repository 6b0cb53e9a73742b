import type { ChannelClass } from '../core/router.types.js';
import type { QueueStaffing } from './queue-staffing.js';

const MINUTE = 60_000;

/** Completions observed in a recent window (from the event log), for the rate-based estimator. */
export interface RecentCompletions {
  /** Sessions released by the agents of the pool, in the conversation's channel class. */
  readonly completions: number;
  /** Length of the window they were counted in, e.g. 15 min. */
  readonly windowMs: number;
}

export interface WaitEstimateInput {
  /** From queuePosition: 1 = next. */
  readonly position: number;
  readonly channelClass: ChannelClass;
  /** From queueStaffing: the pool that will serve the conversation. */
  readonly staffing: Pick<QueueStaffing, 'agents' | 'sessions'>;
  /** Recent mean seat occupancy per session (assigned → released); null or absent = no history. */
  readonly averageHandleTimeMs?: number | null;
  readonly recentCompletions?: RecentCompletions | null;
}

export interface WaitEstimatorOptions {
  /** Used when the queue has no AHT history yet. */
  readonly defaultHandleTimeMs: Readonly<Record<ChannelClass, number>>;
  /** The rate-based estimate is used from this many completions in the window on. */
  readonly minCompletionsForRate: number;
}

/**
 * Defaults: text 6 min and voice 5 min are the contract's chat and phone AHT targets for DyC
 * (seed digest §6.3, L6796–L6804, L6963–L6971). The contract sets no email handle time (its 13 h
 * is a response deadline, not seat occupancy), so 30 min is a placeholder until the event log
 * has history. 10 completions: a count of n has a relative error of about 1/√n, ±32% at 10;
 * below that one slow or fast contact swings the rate too much.
 */
export const DEFAULT_WAIT_ESTIMATOR_OPTIONS: WaitEstimatorOptions = Object.freeze({
  defaultHandleTimeMs: Object.freeze({ text: 6 * MINUTE, voice: 5 * MINUTE, email: 30 * MINUTE }),
  minCompletionsForRate: 10,
});

/** Which formula produced the estimate (for the README's "when each is used" and for logs). */
export type WaitMethod = 'rate' | 'capacity' | 'capacity_default_aht';

export interface WaitEstimate {
  readonly ms: number;
  readonly method: WaitMethod;
}

/**
 * Capacity estimator: the pool has `sessions` seats, each freed on average every AHT, so seats
 * free up at sessions ÷ AHT; the conversation at `position` is served when the position-th seat
 * frees: position × AHT ÷ sessions. (Exact for a saturated pool with exponential handle times,
 * the M/M/c queue's waiting-time mean for the n-th in line.)
 */
export function capacityBasedWaitMs(position: number, sessions: number, averageHandleTimeMs: number): number {
  return (position * averageHandleTimeMs) / sessions;
}

/** Rate estimator: position ÷ throughput, throughput = completions ÷ window. */
export function rateBasedWaitMs(position: number, recent: RecentCompletions): number {
  return (position * recent.windowMs) / recent.completions;
}

const isPositive = (value: number | null | undefined): value is number =>
  value !== null && value !== undefined && Number.isFinite(value) && value > 0;

/**
 * Estimated wait for one waiting conversation, or null when nobody staffed qualifies for it
 * (unknown: the caller decides between "en breve", after-hours treatment or overflow). The
 * rate-based estimate wins when the window holds enough completions — it measures what the pool
 * really does, including the share other queues take; otherwise the capacity estimate, with the
 * queue's AHT or the class default. Neither choice depends on position or staffing, so the
 * estimate only grows with position and only shrinks as seats are added.
 */
export function estimateWait(
  input: WaitEstimateInput,
  options: WaitEstimatorOptions = DEFAULT_WAIT_ESTIMATOR_OPTIONS,
): WaitEstimate | null {
  const { position, staffing } = input;
  if (!Number.isInteger(position) || position < 1) {
    throw new RangeError(`position must be an integer ≥ 1, got ${position}`);
  }
  // History says nothing when nobody who could serve is on shift now.
  if (!(staffing.agents >= 1) || !isPositive(staffing.sessions)) return null;

  const recent = input.recentCompletions;
  if (
    recent !== null &&
    recent !== undefined &&
    isPositive(recent.windowMs) &&
    isPositive(recent.completions) &&
    recent.completions >= options.minCompletionsForRate
  ) {
    return { ms: rateBasedWaitMs(position, recent), method: 'rate' };
  }
  if (isPositive(input.averageHandleTimeMs)) {
    return { ms: capacityBasedWaitMs(position, staffing.sessions, input.averageHandleTimeMs), method: 'capacity' };
  }
  const fallback = options.defaultHandleTimeMs[input.channelClass];
  return { ms: capacityBasedWaitMs(position, staffing.sessions, fallback), method: 'capacity_default_aht' };
}

/** The queue's "estimated wait exceeds X" overflow rule (issue 3, item 1). */
export interface WaitOverflowRule {
  readonly maxEstimatedWaitMs: number;
  /**
   * Whether an unknown estimate (no staffed agent qualifies) also overflows. Off by default: the
   * time-based overflow rule and after-hours treatment already cover an unstaffed queue, and a
   * rule about a wait "exceeding X" should not fire on a wait nobody can estimate unless asked.
   */
  readonly overflowWhenUnknown?: boolean;
}

export function shouldOverflow(ewtMs: number | null, rule: WaitOverflowRule): boolean {
  if (ewtMs === null || Number.isNaN(ewtMs)) return rule.overflowWhenUnknown === true;
  return ewtMs > rule.maxEstimatedWaitMs;
}
