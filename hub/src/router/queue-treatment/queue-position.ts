import { relaxationSteps } from '../core/agent-eligibility.js';
import type { AgentSnapshot, ChannelClass, QueueSnapshot, WaitingConversation } from '../core/router.types.js';
import { orderWaiting } from '../core/waiting-order.js';
import { servesQueue } from './queue-staffing.js';

/**
 * Conversations that draw on the same pool of agents: one queue, one relaxation step, one channel
 * class. Everything waiting with the same key competes with identical rules, so positions are
 * counted per key instead of per conversation (100,000 waiting, a few hundred keys).
 */
interface PoolKey {
  readonly id: string;
  readonly queue: QueueSnapshot;
  readonly steps: number;
  readonly channelClass: ChannelClass;
}

/**
 * 1-based place of every waiting conversation among those that will be served before it from the
 * agents it is waiting for (README.md in this folder). A conversation B counts ahead of A when
 * B comes first in the router's order (`orderWaiting`: priority, then longest waiting, then id)
 * and B is in the same channel class and either
 *  - in A's queue (same line, whatever either's relaxation step), or
 *  - in another queue, and at least one staffed agent qualifies for both (each at its own
 *    relaxation step): B will take a seat A could have had, because the router serves the most
 *    urgent work an agent is skilled for.
 * With no staffed agents this is simply the place within the queue. Conversations whose queue is
 * unknown get no position and count for nobody (the router never serves them). A conversation
 * listed twice is counted once.
 */
export function queuePositions(
  waiting: readonly WaitingConversation[],
  queuesById: ReadonlyMap<string, QueueSnapshot>,
  agents: readonly AgentSnapshot[],
): Map<string, number> {
  const positions = new Map<string, number>();
  const keys = new Map<string, PoolKey>();
  const aheadByKey = new Map<string, number>();
  const pools = new Map<string, readonly AgentSnapshot[]>();
  const competing = new Map<string, boolean>();

  const poolOf = (key: PoolKey): readonly AgentSnapshot[] => {
    let pool = pools.get(key.id);
    if (pool === undefined) {
      pool = agents.filter((agent) => servesQueue(agent, key.queue, key.channelClass, key.steps));
      pools.set(key.id, pool);
    }
    return pool;
  };
  const competes = (mine: PoolKey, theirs: PoolKey): boolean => {
    if (mine.channelClass !== theirs.channelClass) return false;
    if (mine.queue.id === theirs.queue.id) return true;
    const pairId = `${mine.id}\u0001${theirs.id}`;
    let answer = competing.get(pairId);
    if (answer === undefined) {
      answer = poolOf(mine).some((agent) => servesQueue(agent, theirs.queue, theirs.channelClass, theirs.steps));
      competing.set(pairId, answer);
    }
    return answer;
  };

  for (const conversation of orderWaiting(waiting, queuesById)) {
    if (positions.has(conversation.id)) continue;
    const queue = queuesById.get(conversation.queueId);
    if (queue === undefined) continue;
    const steps = relaxationSteps(conversation.relaxedLevels);
    const keyId = `${conversation.channelClass}\u0000${steps}\u0000${queue.id}`;
    let key = keys.get(keyId);
    if (key === undefined) {
      key = { id: keyId, queue, steps, channelClass: conversation.channelClass };
      keys.set(keyId, key);
    }
    let ahead = 0;
    for (const [otherId, count] of aheadByKey) {
      const other = keys.get(otherId);
      if (other !== undefined && competes(key, other)) ahead += count;
    }
    positions.set(conversation.id, ahead + 1);
    aheadByKey.set(keyId, (aheadByKey.get(keyId) ?? 0) + 1);
  }
  return positions;
}

/** The position of one conversation (see queuePositions), or null when it is not waiting. */
export function queuePosition(
  conversationId: string,
  waiting: readonly WaitingConversation[],
  queuesById: ReadonlyMap<string, QueueSnapshot>,
  agents: readonly AgentSnapshot[],
): number | null {
  return queuePositions(waiting, queuesById, agents).get(conversationId) ?? null;
}
