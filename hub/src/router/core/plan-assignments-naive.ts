import { applyCapacity } from './agent-capacity.js';
import { eligibleAgents } from './agent-eligibility.js';
import { pickAgent } from './pick-agent.js';
import { runPlan } from './plan-runner.js';
import type {
  AgentSnapshot,
  QueueSnapshot,
  RoutingPlan,
  RoutingSession,
  RoutingSnapshot,
  StrategyState,
} from './router.types.js';

/**
 * The reference session: every decision scans all agents with eligibleAgents and picks with
 * pickAgent. O(agents) per decision, but obviously right, so it is the oracle for the optimised session in property tests and the baseline in the benchmark.
 * Agent ids are assumed unique (they are primary keys where the snapshot comes from).
 */
export function createNaiveRoutingSession(
  agents: readonly AgentSnapshot[],
  queues: ReadonlyMap<string, QueueSnapshot>,
  initialState: StrategyState,
  now: number,
): RoutingSession {
  const working = [...agents];
  const indexById = new Map(working.map((agent, index) => [agent.id, index]));
  let state = initialState;
  return {
    route(conversation) {
      const queue = queues.get(conversation.queueId);
      if (queue === undefined) return null;
      const pick = pickAgent(eligibleAgents(working, queue, conversation), queue, conversation, state);
      if (pick === null) return null;
      const index = indexById.get(pick.agent.id);
      if (index === undefined) return null;
      working[index] = applyCapacity(pick.agent, conversation.channelClass, now);
      state = pick.strategyState;
      return {
        conversationId: conversation.id,
        agentId: pick.agent.id,
        queueId: queue.id,
        channelClass: conversation.channelClass,
        reason: pick.reason,
      };
    },
    strategyState: () => state,
  };
}

/** planAssignments by full scan: same decisions, O(waiting × agents). */
export function planAssignmentsNaive(snapshot: RoutingSnapshot): RoutingPlan {
  return runPlan(
    createNaiveRoutingSession(snapshot.agents, snapshot.queues, snapshot.strategyState, snapshot.now),
    snapshot,
  );
}
