import { meetsSkills } from '../core/agent-eligibility.js';
import type { AgentSnapshot, AgentState, ChannelClass, QueueSnapshot } from '../core/router.types.js';

/**
 * States of agents who will take this queue's work without anyone acting: `available` (a "busy"
 * agent is `available` with load — busy is not a state) and `after_contact_work`, which ends by
 * itself within the campaign's maximum. Counting wrap-up keeps the estimate from jumping every
 * time an agent finishes a contact. Aux states (`not_ready` after RONA included) and `offline`
 * need the agent to come back first, so they are not counted.
 */
export const STAFFED_STATES: ReadonlySet<AgentState> = new Set<AgentState>(['available', 'after_contact_work']);

/**
 * Sessions of one class an agent works at once: text and email up to their capacity; voice is a
 * switch (capacity 0 = no calls, otherwise exactly one, as in the router core). A capacity that
 * is not a positive finite number counts as none, so bad data yields "unknown", never "no wait".
 */
export function sessionsPerAgent(agent: Pick<AgentSnapshot, 'capacity'>, channelClass: ChannelClass): number {
  const capacity = agent.capacity[channelClass];
  if (!Number.isFinite(capacity) || !(capacity >= 1)) return 0;
  return channelClass === 'voice' ? 1 : Math.floor(capacity);
}

/**
 * Whether the agent is part of the pool that serves this queue in this class: staffed, with
 * sessions in the class, and skilled enough after `relaxedLevels` overflow steps. The skill rule
 * is the router core's own (`meetsSkills`); the state rule is wider than `qualifiesFor` on purpose
 * (it also counts wrap-up, see STAFFED_STATES). Load is ignored: a full agent still frees seats.
 */
export function servesQueue(
  agent: AgentSnapshot,
  queue: QueueSnapshot,
  channelClass: ChannelClass,
  relaxedLevels = 0,
): boolean {
  return (
    STAFFED_STATES.has(agent.state) &&
    sessionsPerAgent(agent, channelClass) > 0 &&
    meetsSkills(agent.skills, queue.requiredSkills, relaxedLevels)
  );
}

/** The pool that will serve a waiting conversation: who, how many, and how many seats in total. */
export interface QueueStaffing {
  readonly agentIds: readonly string[];
  /** k: staffed agents who qualify. */
  readonly agents: number;
  /** Σ sessionsPerAgent over them: the "servers" of the wait estimate (4 chats = 4 seats). */
  readonly sessions: number;
}

export function queueStaffing(
  agents: readonly AgentSnapshot[],
  queue: QueueSnapshot,
  channelClass: ChannelClass,
  relaxedLevels = 0,
): QueueStaffing {
  const agentIds: string[] = [];
  let sessions = 0;
  for (const agent of agents) {
    if (!servesQueue(agent, queue, channelClass, relaxedLevels)) continue;
    agentIds.push(agent.id);
    sessions += sessionsPerAgent(agent, channelClass);
  }
  return { agentIds, agents: agentIds.length, sessions };
}
