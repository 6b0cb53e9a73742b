import { isEligible, meetsSkills, relaxationSteps, skillScore } from './agent-eligibility.js';
import { liveAssign, liveHasRoom, toLiveAgent, type AgentPool, type LiveAgent } from './live-agent.js';
import { runPlan } from './plan-runner.js';
import { createRankedPool } from './ranked-agent-pool.js';
import { createRotationPool } from './rotation-agent-pool.js';
import { strategyFor } from './routing-strategies.js';
import type {
  AgentSnapshot,
  ChannelClass,
  QueueSnapshot,
  RoutingPlan,
  RoutingSession,
  RoutingSnapshot,
  StrategyState,
  WaitingConversation,
} from './router.types.js';

/**
 * Relaxation beyond the highest minLevel changes nothing (the floor is 1), so such steps share a
 * pool instead of building identical ones.
 */
function relaxationStep(queue: QueueSnapshot, relaxedLevels: number | undefined): number {
  const highest = queue.requiredSkills.reduce((max, requirement) => Math.max(max, requirement.minLevel), 1);
  return Math.min(relaxationSteps(relaxedLevels), Math.max(0, highest - 1));
}

/**
 * The optimised session: the same decisions as createNaiveRoutingSession (property-tested), but
 * it never scans all agents. Available agents are indexed by skill once; each (queue, relaxation
 * step, channel class) that comes up gets a pool of the agents qualifying for it, built from the
 * shortest skill list, and kept ordered by the queue's strategy (ranked-agent-pool.ts,
 * rotation-agent-pool.ts). A decision then costs a heap peek or a short cursor walk.
 */
export function createRoutingSession(
  agents: readonly AgentSnapshot[],
  queues: ReadonlyMap<string, QueueSnapshot>,
  initialState: StrategyState,
  now: number,
): RoutingSession {
  const live = agents.map(toLiveAgent);
  const byId = new Map(live.map((agent) => [agent.snapshot.id, agent]));
  const bySkill = new Map<string, LiveAgent[]>();
  const everyoneAvailable: LiveAgent[] = [];
  for (const agent of live) {
    if (agent.snapshot.state !== 'available') continue;
    everyoneAvailable.push(agent);
    for (const skillId of agent.snapshot.skills.keys()) {
      const holders = bySkill.get(skillId);
      if (holders === undefined) bySkill.set(skillId, [agent]);
      else holders.push(agent);
    }
  }
  const pools = new Map<string, AgentPool>();
  const cursors = new Map(Object.entries(initialState.roundRobinCursor));

  function candidates(queue: QueueSnapshot, step: number): LiveAgent[] {
    let shortest: readonly LiveAgent[] = everyoneAvailable;
    for (const requirement of queue.requiredSkills) {
      const holders = bySkill.get(requirement.skillId) ?? [];
      if (holders.length < shortest.length) shortest = holders;
    }
    return shortest.filter((agent) => meetsSkills(agent.snapshot.skills, queue.requiredSkills, step));
  }

  function poolFor(queue: QueueSnapshot, step: number, channelClass: ChannelClass): AgentPool {
    const key = `${queue.id}\u0000${step}\u0000${channelClass}`;
    const existing = pools.get(key);
    if (existing !== undefined) return existing;
    const members = candidates(queue, step).filter((agent) => liveHasRoom(agent, channelClass));
    const strategy = strategyFor(queue.strategy);
    const pool =
      strategy.kind === 'ranked'
        ? createRankedPool(
            members.map((agent) => ({ agent, score: skillScore(agent.snapshot, queue) })),
            channelClass,
            strategy.compare,
          )
        : createRotationPool(members, channelClass);
    pools.set(key, pool);
    return pool;
  }

  function stickyAgent(queue: QueueSnapshot, conversation: WaitingConversation): LiveAgent | null {
    if (conversation.preferredAgentId === undefined) return null;
    const agent = byId.get(conversation.preferredAgentId);
    if (agent === undefined) return null;
    const view: AgentSnapshot = { ...agent.snapshot, load: agent.load };
    return isEligible(view, queue, conversation) ? agent : null;
  }

  return {
    route(conversation) {
      const queue = queues.get(conversation.queueId);
      if (queue === undefined) return null;
      let agent = stickyAgent(queue, conversation);
      const reason = agent === null ? queue.strategy : 'sticky';
      if (agent === null) {
        const step = relaxationStep(queue, conversation.relaxedLevels);
        const excluded = conversation.excludedAgentIds;
        const isExcluded =
          excluded === undefined || excluded.size === 0
            ? () => false
            : (candidate: LiveAgent) => excluded.has(candidate.snapshot.id);
        agent = poolFor(queue, step, conversation.channelClass).best(isExcluded, cursors.get(queue.id));
      }
      if (agent === null) return null;
      liveAssign(agent, conversation.channelClass, now);
      if (reason === 'round_robin') cursors.set(queue.id, agent.snapshot.id);
      return {
        conversationId: conversation.id,
        agentId: agent.snapshot.id,
        queueId: queue.id,
        channelClass: conversation.channelClass,
        reason,
      };
    },
    strategyState() {
      return Object.freeze({ roundRobinCursor: Object.freeze(Object.fromEntries(cursors)) });
    },
  };
}

/**
 * Assigns as many waiting conversations as the agents can take, most urgent first (see
 * plan-runner.ts for why one pass is enough and why nothing blocks the line). Pure: the snapshot
 * is not modified; the caller claims the returned decisions atomically and stores strategyState.
 */
export function planAssignments(snapshot: RoutingSnapshot): RoutingPlan {
  return runPlan(
    createRoutingSession(snapshot.agents, snapshot.queues, snapshot.strategyState, snapshot.now),
    snapshot,
  );
}
