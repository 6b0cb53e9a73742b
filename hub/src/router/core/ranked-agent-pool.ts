import { BinaryHeap } from './binary-heap.js';
import { liveHasRoom, liveLoadRatio, type AgentPool, type LiveAgent } from './live-agent.js';
import type { ChannelClass, RankKey } from './router.types.js';

interface RankEntry extends RankKey {
  readonly agent: LiveAgent;
}

function entryFor(agent: LiveAgent, score: number, channelClass: ChannelClass): RankEntry {
  return {
    agent,
    id: agent.snapshot.id,
    score,
    idleSince: agent.idleSince,
    loadRatio: liveLoadRatio(agent, channelClass),
    assignedToday: agent.assignedToday,
  };
}

/**
 * A heap of qualified agents ordered by a ranked strategy, re-ranked lazily.
 *
 * An assignment changes an agent's key in every pool they belong to; rather than find and fix
 * each entry, the heap keeps the stale entry. Each agent has exactly one entry, whose key is never
 * better than the agent's current key (keys only worsen during a plan: the ranked-strategy
 * contract in routing-strategies.ts). So when the top entry is still current it is the true best;
 * when it is stale it is replaced by a current one and the heap is asked again.
 * Agents without room are dropped for good: within a plan loads only grow.
 */
export function createRankedPool(
  members: readonly { agent: LiveAgent; score: number }[],
  channelClass: ChannelClass,
  compare: (a: RankKey, b: RankKey) => number,
): AgentPool {
  const heap = new BinaryHeap(
    members.map((member) => entryFor(member.agent, member.score, channelClass)),
    compare,
  );
  return {
    best(isExcluded) {
      const setAside: RankEntry[] = [];
      let found: LiveAgent | null = null;
      for (let top = heap.peek(); top !== undefined; top = heap.peek()) {
        const agent = top.agent;
        if (!liveHasRoom(agent, channelClass)) {
          heap.pop();
        } else if (top.assignedToday !== agent.assignedToday) {
          // Every assignment bumps assignedToday, so it tells whether the key is stale.
          heap.pop();
          heap.push(entryFor(agent, top.score, channelClass));
        } else if (isExcluded(agent)) {
          // Excluded for this conversation only: back in the heap afterwards for the others.
          const excluded = heap.pop();
          if (excluded !== undefined) setAside.push(excluded);
        } else {
          found = agent;
          break;
        }
      }
      for (const entry of setAside) heap.push(entry);
      return found;
    },
  };
}
