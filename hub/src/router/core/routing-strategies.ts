import { compareIds } from './compare-ids.js';
import type { RankKey, StrategyName } from './router.types.js';

/**
 * A strategy is data in a typed registry (CONVENTIONS 7), never code that reads the database
 * (the Rocket.Chat counter-example in CONVENTIONS 4).
 *
 * - `ranked`: a total order over RankKey, best first. Contract: it must end in an id tie-break
 *   (so both planners pick the same agent) and an agent must never rank *better* after taking a
 *   session (larger idleSince, loadRatio or assignedToday) — the optimised planner relies on that
 *   to re-rank lazily (ranked-agent-pool.ts).
 * - `rotation`: round robin by agent id from a per-queue cursor kept in StrategyState.
 */
export type Strategy =
  | { readonly kind: 'ranked'; readonly compare: (a: RankKey, b: RankKey) => number }
  | { readonly kind: 'rotation' };

/**
 * Best skill match, then longest idle (issue 3 item 3). Equal idleSince mostly happens between
 * agents stamped by the same plan; preferring the less loaded one then spreads a shift-start storm
 * across seats instead of filling them one by one in id order.
 */
export function compareLongestIdle(a: RankKey, b: RankKey): number {
  return b.score - a.score || a.idleSince - b.idleSince || a.loadRatio - b.loadRatio || compareIds(a.id, b.id);
}

/** Fewest sessions relative to capacity in the conversation's class, then skill, then idle. */
export function compareLeastBusy(a: RankKey, b: RankKey): number {
  return a.loadRatio - b.loadRatio || b.score - a.score || a.idleSince - b.idleSince || compareIds(a.id, b.id);
}

/**
 * Round robin: the first id after the queue's cursor, wrapping to the smallest. Ignores skill
 * score on purpose — every qualified agent gets a turn.
 */
export function compareRotation(cursor: string | undefined): (a: RankKey, b: RankKey) => number {
  const afterCursor = (id: string): number => (cursor === undefined || id > cursor ? 0 : 1);
  return (a, b) => afterCursor(a.id) - afterCursor(b.id) || compareIds(a.id, b.id);
}

export const strategies = {
  longest_idle: { kind: 'ranked', compare: compareLongestIdle },
  least_busy: { kind: 'ranked', compare: compareLeastBusy },
  round_robin: { kind: 'rotation' },
} as const satisfies Record<StrategyName, Strategy>;

export function strategyFor(name: StrategyName): Strategy {
  return strategies[name];
}

export function isStrategyName(name: string): name is StrategyName {
  return Object.hasOwn(strategies, name);
}

/** Every registered strategy, e.g. for a zod enum at the HTTP boundary or for property tests. */
export function strategyNames(): StrategyName[] {
  return Object.keys(strategies).filter(isStrategyName);
}
