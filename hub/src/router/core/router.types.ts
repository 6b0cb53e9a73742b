/**
 * Data the pure router core works on. Everything is a snapshot: the core never reads a clock, a
 * database or a global, and never mutates what it is given (README.md in this folder).
 */

/** How a session occupies a seat; channels (WhatsApp, SMS, chat…) map onto one of these. */
export type ChannelClass = 'text' | 'voice' | 'email';

export const CHANNEL_CLASSES = ['text', 'voice', 'email'] as const satisfies readonly ChannelClass[];

/** Only `available` receives offers; `busy` is derived from load, so it is not a state here. */
export const AGENT_STATES = ['available', 'after_contact_work', 'lunch', 'training', 'coaching', 'personal', 'not_ready', 'offline'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/** Keys of the strategy registry (routing-strategies.ts); a queue names one of them. */
export type StrategyName = 'longest_idle' | 'least_busy' | 'round_robin';

export interface AgentSnapshot {
  readonly id: string;
  /** skillId → level 1–5. A skill the agent lacks is absent (never eligible, even relaxed). */
  readonly skills: ReadonlyMap<string, number>;
  /** Sessions the agent may hold per class, e.g. text 4, voice 1, email 10 (voice: 0 or 1). */
  readonly capacity: Readonly<Record<ChannelClass, number>>;
  /** Sessions held now, including offers not yet accepted (an offer reserves the slot). */
  readonly load: Readonly<Record<ChannelClass, number>>;
  readonly state: AgentState;
  /** Epoch ms of the agent's last release or assignment. */
  readonly idleSince: number;
  readonly assignedToday: number;
}

export interface SkillRequirement {
  readonly skillId: string;
  /** 1–5. */
  readonly minLevel: number;
}

export interface QueueSnapshot {
  readonly id: string;
  /** 1–99, 1 = most urgent (SPEC §2: "order = priority, then longest waiting"). */
  readonly priority: number;
  readonly requiredSkills: readonly SkillRequirement[];
  readonly strategy: StrategyName;
}

export interface WaitingConversation {
  readonly id: string;
  readonly queueId: string;
  readonly channelClass: ChannelClass;
  /** Epoch ms when it entered the queue (kept across overflow steps so it keeps its place). */
  readonly enqueuedAt: number;
  /** Overrides the queue's priority for this conversation (1 = most urgent). */
  readonly priority?: number;
  /** Sticky routing: the contact's previous agent, preferred when eligible. */
  readonly preferredAgentId?: string;
  /** Agents who rejected the offer or let it time out (RONA); never offered it again. */
  readonly excludedAgentIds?: ReadonlySet<string>;
  /** Overflow step: each step lowers every required minLevel by 1, never below 1. */
  readonly relaxedLevels?: number;
}

/**
 * Strategy memory carried between calls instead of hidden in module state: the caller stores the
 * returned value and passes it to the next call.
 */
export interface StrategyState {
  /** queueId → id of the agent round_robin chose last for that queue. */
  readonly roundRobinCursor: Readonly<Record<string, string>>;
}

export const EMPTY_STRATEGY_STATE: StrategyState = Object.freeze({ roundRobinCursor: Object.freeze({}) });

/**
 * What a ranked strategy compares. Dynamic fields (idleSince, loadRatio, assignedToday) only grow
 * while a plan runs, which is what lets the optimised planner re-rank agents lazily.
 */
export interface RankKey {
  readonly id: string;
  /** skillScore(agent, queue). */
  readonly score: number;
  readonly idleSince: number;
  /** load ÷ capacity in the conversation's channel class. */
  readonly loadRatio: number;
  readonly assignedToday: number;
}

export interface RoutingDecision {
  readonly conversationId: string;
  readonly agentId: string;
  readonly queueId: string;
  readonly channelClass: ChannelClass;
  /** Why this agent: their sticky preference, or the queue's strategy. */
  readonly reason: 'sticky' | StrategyName;
}

export interface RoutingSnapshot {
  readonly agents: readonly AgentSnapshot[];
  readonly queues: ReadonlyMap<string, QueueSnapshot>;
  readonly waiting: readonly WaitingConversation[];
  readonly strategyState: StrategyState;
  /** Epoch ms of the snapshot; an assignment stamps the agent's idleSince with it. */
  readonly now: number;
}

export interface RoutingPlan {
  /** In the order they were decided (most urgent conversation first). */
  readonly decisions: readonly RoutingDecision[];
  readonly strategyState: StrategyState;
}

/** One routing decision at a time against loads that include the session's earlier decisions. */
export interface RoutingSession {
  route(conversation: WaitingConversation): RoutingDecision | null;
  strategyState(): StrategyState;
}
