import { compareIds } from './compare-ids.js';
import { liveHasRoom, type AgentPool, type LiveAgent } from './live-agent.js';
import type { ChannelClass } from './router.types.js';

/**
 * Round robin over qualified agents sorted by id: the first with room after the cursor, wrapping.
 *
 * Agents found without room are unlinked for good (loads only grow in a plan) through a
 * "next alive" array with path compression, so a long run of full agents is skipped in
 * near-constant time instead of being rescanned by every later conversation.
 */
export function createRotationPool(members: readonly LiveAgent[], channelClass: ChannelClass): AgentPool {
  const sorted = [...members].sort((a, b) => compareIds(a.snapshot.id, b.snapshot.id));
  const n = sorted.length;
  // next[i] = i while sorted[i] is alive; otherwise a later position (n = past the end).
  const next = Int32Array.from({ length: n + 1 }, (_, i) => i);

  function alive(from: number): number {
    let root = from;
    while ((next[root] ?? n) !== root) root = next[root] ?? n;
    let i = from;
    while (i !== root) {
      const following = next[i] ?? n;
      next[i] = root;
      i = following;
    }
    return root;
  }

  /** First position whose id is strictly greater than the cursor. */
  function after(cursor: string | undefined): number {
    if (cursor === undefined) return 0;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const id = sorted[mid]?.snapshot.id ?? '';
      if (id <= cursor) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function scan(from: number, to: number, isExcluded: (agent: LiveAgent) => boolean): LiveAgent | null {
    for (let i = alive(from); i < to; i = alive(i + 1)) {
      const agent = sorted[i];
      if (agent === undefined) break;
      if (!liveHasRoom(agent, channelClass)) next[i] = i + 1;
      else if (!isExcluded(agent)) return agent;
    }
    return null;
  }

  return {
    best(isExcluded, cursor) {
      const start = after(cursor);
      return scan(start, n, isExcluded) ?? scan(0, start, isExcluded);
    },
  };
}
