/**
 * Test support for the router core's property tests: small random worlds (fast-check) and an
 * oracle written independently of the code under test, so a slip in the core's eligibility or
 * capacity rules shows up as a disagreement instead of being reused by the checks.
 */
import fc from 'fast-check';
import { strategyNames } from './routing-strategies.js';
import { AGENT_STATES } from './router.types.js';
import type {
  AgentSnapshot,
  AgentState,
  ChannelClass,
  QueueSnapshot,
  RoutingSnapshot,
  WaitingConversation,
} from './router.types.js';

export type Loads = Record<ChannelClass, number>;

const SKILLS = ['billing', 'pensions', 'nss', 'appointments'] as const;
// From the registry, so a newly registered strategy is property-tested against the full scan too.
const STRATEGY_NAMES = strategyNames();
const AWAY_STATES = AGENT_STATES.filter((state) => state !== 'available');
const MAX_AGENTS = 10;

/** Ids whose string order differs from numeric order (a10 < a2), on purpose. */
const agentId = (i: number): string => `a${i}`;
const someAgentId = fc.integer({ min: 0, max: MAX_AGENTS + 1 }).map(agentId);

const agentArb = fc.record({
  skills: fc.uniqueArray(fc.record({ skill: fc.constantFrom(...SKILLS), level: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 3, max: 5 })) }), {
    selector: (entry) => entry.skill,
    minLength: 2,
    maxLength: SKILLS.length,
  }),
  capacity: fc.record({ text: fc.integer({ min: 0, max: 4 }).map((n) => (n === 0 ? 0 : Math.max(n, 2))), voice: fc.integer({ min: 0, max: 1 }), email: fc.integer({ min: 0, max: 3 }) }),
  // Not clamped to capacity or voice exclusivity: a supervisor may lower a capacity below the
  // current load, and the router must then add nothing rather than trust the input.
  load: fc.record({
    text: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3 })),
    voice: fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.constant(1), weight: 1 }),
    email: fc.integer({ min: 0, max: 2 }),
  }),
  state: fc.oneof(
    { arbitrary: fc.constant<AgentState>('available'), weight: 5 },
    { arbitrary: fc.constantFrom<AgentState>(...AWAY_STATES), weight: 1 },
  ),
  idleSince: fc.integer({ min: 0, max: 6 }),
  assignedToday: fc.integer({ min: 0, max: 3 }),
});

const queueArb = fc.record({
  priority: fc.integer({ min: 1, max: 3 }),
  requiredSkills: fc.uniqueArray(
    fc.record({ skillId: fc.constantFrom(...SKILLS), minLevel: fc.integer({ min: 1, max: 4 }) }),
    { selector: (requirement) => requirement.skillId, maxLength: 2 },
  ),
  strategy: fc.constantFrom(...STRATEGY_NAMES),
});

const conversationArb = fc.record(
  {
    queue: fc.integer({ min: 0, max: 3 }), // 3 may not exist: an unknown queue
    channelClass: fc.constantFrom<ChannelClass>('text', 'text', 'voice', 'email'),
    enqueuedAt: fc.integer({ min: 0, max: 5 }),
    priority: fc.integer({ min: 1, max: 3 }),
    preferredAgentId: someAgentId,
    excludedAgentIds: fc.uniqueArray(someAgentId, { maxLength: 4 }),
    relaxedLevels: fc.integer({ min: 0, max: 3 }),
  },
  { requiredKeys: ['queue', 'channelClass', 'enqueuedAt'] },
);

export const worldArb: fc.Arbitrary<RoutingSnapshot> = fc
  .record({
    agents: fc.array(agentArb, { maxLength: MAX_AGENTS, size: 'medium' }),
    queues: fc.array(queueArb, { minLength: 1, maxLength: 3 }),
    conversations: fc.array(conversationArb, { maxLength: 24, size: 'medium' }),
    duplicates: fc.array(fc.nat(), { maxLength: 2 }),
    cursors: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), someAgentId), { maxLength: 2 }),
    now: fc.integer({ min: 3, max: 8 }),
  })
  .map(({ agents, queues, conversations, duplicates, cursors, now }) => {
    const waiting: WaitingConversation[] = conversations.map(({ queue, excludedAgentIds, ...rest }, i) => ({
      ...rest,
      id: `c${i}`,
      queueId: `q${queue}`,
      ...(excludedAgentIds === undefined ? {} : { excludedAgentIds: new Set(excludedAgentIds) }),
    }));
    // A caller listing the same conversation twice must still get one agent for it.
    for (const pick of duplicates) {
      const copy = waiting[pick % Math.max(1, waiting.length)];
      if (copy !== undefined) waiting.push(copy);
    }
    return {
      agents: agents.map(({ skills, ...rest }, i) => ({
        ...rest,
        id: agentId(i),
        skills: new Map(skills.map((entry) => [entry.skill, entry.level])),
      })),
      queues: new Map(queues.map((queue, i): [string, QueueSnapshot] => [`q${i}`, { ...queue, id: `q${i}` }])),
      waiting,
      strategyState: { roundRobinCursor: Object.fromEntries(cursors.map(([q, a]) => [`q${q}`, a])) },
      now,
    };
  });

/** Fisher–Yates driven by a seed: the same world listed in another order. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    const a = out[i];
    const b = out[j];
    if (a !== undefined && b !== undefined) {
      out[i] = b;
      out[j] = a;
    }
  }
  return out;
}

/** The rules as the issue states them, spelled out once more without the core's helpers. */
export function oracleCanTake(
  agent: AgentSnapshot,
  load: Loads,
  queue: QueueSnapshot,
  conversation: WaitingConversation,
): boolean {
  if (agent.state !== 'available') return false;
  if (conversation.excludedAgentIds !== undefined && conversation.excludedAgentIds.has(agent.id)) return false;
  const relax = conversation.relaxedLevels ?? 0;
  for (const { skillId, minLevel } of queue.requiredSkills) {
    const level = agent.skills.get(skillId);
    if (level === undefined || level < Math.max(1, minLevel - relax)) return false;
  }
  if (conversation.channelClass === 'voice') return agent.capacity.voice >= 1 && load.voice === 0 && load.text === 0;
  if (load.voice > 0) return false;
  return load[conversation.channelClass] + 1 <= agent.capacity[conversation.channelClass];
}

export function oraclePriority(conversation: WaitingConversation, queues: ReadonlyMap<string, QueueSnapshot>): number {
  return conversation.priority ?? queues.get(conversation.queueId)?.priority ?? Infinity;
}

/** True when `a` must be served before `b`: lower priority number, then earlier, then id. */
export function oracleBefore(
  a: WaitingConversation,
  b: WaitingConversation,
  queues: ReadonlyMap<string, QueueSnapshot>,
): boolean {
  const pa = oraclePriority(a, queues);
  const pb = oraclePriority(b, queues);
  if (pa !== pb) return pa < pb;
  if (a.enqueuedAt !== b.enqueuedAt) return a.enqueuedAt < b.enqueuedAt;
  return a.id < b.id;
}
