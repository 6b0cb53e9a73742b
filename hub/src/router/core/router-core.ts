/** The pure router core's public surface (README.md in this folder). */
export { applyCapacity, hasSpareCapacity, spareCapacity } from './agent-capacity.js';
export {
  effectiveMinLevel,
  eligibleAgents,
  isEligible,
  meetsSkills,
  qualifiesFor,
  relaxationSteps,
  skillScore,
} from './agent-eligibility.js';
export { pickAgent, rankKey, type AgentPick } from './pick-agent.js';
export { createNaiveRoutingSession, planAssignmentsNaive } from './plan-assignments-naive.js';
export { createRoutingSession, planAssignments } from './routing-session.js';
export {
  compareLeastBusy,
  compareLongestIdle,
  compareRotation,
  isStrategyName,
  strategies,
  strategyNames,
  type Strategy,
} from './routing-strategies.js';
export { effectivePriority, orderWaiting } from './waiting-order.js';
export {
  CHANNEL_CLASSES,
  EMPTY_STRATEGY_STATE,
  type AgentSnapshot,
  type AgentState,
  type ChannelClass,
  type QueueSnapshot,
  type RankKey,
  type RoutingDecision,
  type RoutingPlan,
  type RoutingSession,
  type RoutingSnapshot,
  type SkillRequirement,
  type StrategyName,
  type StrategyState,
  type WaitingConversation,
} from './router.types.js';
