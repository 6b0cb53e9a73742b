import { loadRatio } from './agent-capacity.js';
import { skillScore } from './agent-eligibility.js';
import { compareRotation, strategyFor } from './routing-strategies.js';
import type {
  AgentSnapshot,
  ChannelClass,
  QueueSnapshot,
  RankKey,
  RoutingDecision,
  StrategyState,
  WaitingConversation,
} from './router.types.js';

export interface AgentPick {
  readonly agent: AgentSnapshot;
  readonly reason: RoutingDecision['reason'];
  /** The state to pass to the next call (a new object when the strategy moved a cursor). */
  readonly strategyState: StrategyState;
}

export function rankKey(agent: AgentSnapshot, queue: QueueSnapshot, channelClass: ChannelClass): RankKey {
  return {
    id: agent.id,
    score: skillScore(agent, queue),
    idleSince: agent.idleSince,
    loadRatio: loadRatio(agent.capacity, agent.load, channelClass),
    assignedToday: agent.assignedToday,
  };
}

export function withRoundRobinCursor(state: StrategyState, queueId: string, agentId: string): StrategyState {
  return Object.freeze({ roundRobinCursor: Object.freeze({ ...state.roundRobinCursor, [queueId]: agentId }) });
}

/**
 * Chooses among agents already known to be eligible (eligibleAgents): the sticky agent when they
 * are among them, otherwise the best by the queue's strategy. Sticky picks leave the round-robin
 * cursor alone: a returning contact going back to their agent is not that agent's turn.
 */
export function pickAgent(
  eligible: readonly AgentSnapshot[],
  queue: QueueSnapshot,
  conversation: WaitingConversation,
  strategyState: StrategyState,
): AgentPick | null {
  const preferredId = conversation.preferredAgentId;
  if (preferredId !== undefined) {
    const sticky = eligible.find((agent) => agent.id === preferredId);
    if (sticky !== undefined) return { agent: sticky, reason: 'sticky', strategyState };
  }
  const strategy = strategyFor(queue.strategy);
  const compare =
    strategy.kind === 'ranked' ? strategy.compare : compareRotation(strategyState.roundRobinCursor[queue.id]);
  let best: AgentSnapshot | undefined;
  let bestKey: RankKey | undefined;
  for (const agent of eligible) {
    const key = rankKey(agent, queue, conversation.channelClass);
    if (bestKey === undefined || compare(key, bestKey) < 0) {
      best = agent;
      bestKey = key;
    }
  }
  if (best === undefined) return null;
  const nextState =
    strategy.kind === 'rotation' ? withRoundRobinCursor(strategyState, queue.id, best.id) : strategyState;
  return { agent: best, reason: queue.strategy, strategyState: nextState };
}
