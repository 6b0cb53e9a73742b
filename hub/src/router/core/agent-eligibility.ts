import { hasSpareCapacity } from './agent-capacity.js';
import type { AgentSnapshot, QueueSnapshot, SkillRequirement, WaitingConversation } from './router.types.js';

/**
 * The level a requirement asks for after `relaxedLevels` overflow steps. The floor of 1 keeps the
 * skill itself required: relaxing lowers how good an agent must be, never whether they have it.
 */
export function effectiveMinLevel(requirement: SkillRequirement, relaxedLevels: number): number {
  return Math.max(1, requirement.minLevel - relaxationSteps(relaxedLevels));
}

/** Whole overflow steps; anything that is not a positive number (NaN included) relaxes nothing. */
export function relaxationSteps(relaxedLevels: number | undefined): number {
  return relaxedLevels !== undefined && relaxedLevels > 0 ? Math.floor(relaxedLevels) : 0;
}

export function meetsSkills(
  skills: ReadonlyMap<string, number>,
  requirements: readonly SkillRequirement[],
  relaxedLevels: number,
): boolean {
  for (const requirement of requirements) {
    const level = skills.get(requirement.skillId);
    // Written as "not at least" so a NaN level or minimum fails closed instead of passing.
    if (level === undefined || !(level >= effectiveMinLevel(requirement, relaxedLevels))) return false;
  }
  return true;
}

/** The rules that depend on the queue only (state and skills), not on the conversation or load. */
export function qualifiesFor(agent: AgentSnapshot, queue: QueueSnapshot, relaxedLevels: number): boolean {
  return agent.state === 'available' && meetsSkills(agent.skills, queue.requiredSkills, relaxedLevels);
}

/** Every rule: available, not excluded (RONA/reject), skilled enough after relaxation, room left. */
export function isEligible(agent: AgentSnapshot, queue: QueueSnapshot, conversation: WaitingConversation): boolean {
  return (
    qualifiesFor(agent, queue, conversation.relaxedLevels ?? 0) &&
    conversation.excludedAgentIds?.has(agent.id) !== true &&
    hasSpareCapacity(agent, conversation.channelClass)
  );
}

/** Agents that may be offered this conversation now, in input order (the full scan). */
export function eligibleAgents(
  agents: readonly AgentSnapshot[],
  queue: QueueSnapshot,
  conversation: WaitingConversation,
): AgentSnapshot[] {
  return agents.filter((agent) => isEligible(agent, queue, conversation));
}

/**
 * How well the agent matches the queue: the sum of their levels over its required skills (a fixed
 * set per queue, so the sum orders agents exactly as the mean would). Higher is better.
 */
export function skillScore(agent: Pick<AgentSnapshot, 'skills'>, queue: QueueSnapshot): number {
  let score = 0;
  for (const requirement of queue.requiredSkills) score += agent.skills.get(requirement.skillId) ?? 0;
  return score;
}
