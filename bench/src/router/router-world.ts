/**
 * A seeded synthetic contact center for the router-core benchmark (issue 3, SPEC §8): 10,000
 * agents with 3–8 of 200 skills at levels 1–5, 4 text slots each, ~50 queues needing 1–3 skills,
 * 100,000 waiting text conversations. Same seed, same world.
 */
import type {
  AgentSnapshot,
  AgentState,
  QueueSnapshot,
  RoutingSnapshot,
  StrategyName,
  WaitingConversation,
} from '../../../hub/src/router/core/router-core.js';
import { EMPTY_STRATEGY_STATE } from '../../../hub/src/router/core/router-core.js';
import { mulberry32 } from '../prng.js';

export interface WorldSettings {
  seed: number;
  agents: number;
  skills: number;
  queues: number;
  waiting: number;
}

export const FULL_WORLD: WorldSettings = { seed: 20261126, agents: 10_000, skills: 200, queues: 50, waiting: 100_000 };

const NOW = Date.UTC(2026, 10, 26, 15, 0, 0);
const AWAY: readonly AgentState[] = ['after_contact_work', 'lunch', 'training', 'not_ready', 'offline'];

export function generateWorld(settings: WorldSettings): RoutingSnapshot {
  const random = mulberry32(settings.seed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  const skillIds = Array.from({ length: settings.skills }, (_, i) => `skill-${String(i).padStart(3, '0')}`);

  const queues: QueueSnapshot[] = Array.from({ length: settings.queues }, (_, i) => {
    const required = new Set<string>();
    const count = int(1, 3);
    while (required.size < count) required.add(pick(skillIds));
    const roll = random();
    const strategy: StrategyName = roll < 0.6 ? 'longest_idle' : roll < 0.85 ? 'least_busy' : 'round_robin';
    return {
      id: `queue-${String(i).padStart(2, '0')}`,
      priority: int(1, 99),
      strategy,
      requiredSkills: [...required].map((skillId) => ({ skillId, minLevel: int(1, 3) })),
    };
  });

  // Agents are hired for one or two queues (so every queue has staff, as on a real floor) and
  // carry other skills besides; their levels are random, so some fall short of a queue's minimum.
  const agents: AgentSnapshot[] = Array.from({ length: settings.agents }, (_, i) => {
    const skills = new Map<string, number>();
    const homes = int(1, 2);
    for (let h = 0; h < homes; h++) {
      for (const requirement of pick(queues).requiredSkills) {
        if (skills.size < 8) skills.set(requirement.skillId, int(1, 5));
      }
    }
    const target = Math.max(skills.size, int(3, 8));
    while (skills.size < target) skills.set(pick(skillIds), int(1, 5));
    return {
      id: `agent-${String(i).padStart(5, '0')}`,
      skills,
      capacity: { text: 4, voice: 1, email: 10 },
      load: { text: 0, voice: 0, email: 0 },
      state: random() < 0.95 ? 'available' : pick(AWAY),
      idleSince: NOW - int(0, 3_600_000),
      assignedToday: int(0, 40),
    };
  });

  const waiting: WaitingConversation[] = Array.from({ length: settings.waiting }, (_, i) => {
    const roll = random();
    const excluded = random() < 0.03 ? new Set([pick(agents).id, pick(agents).id]) : undefined;
    return {
      id: `conv-${String(i).padStart(6, '0')}`,
      queueId: pick(queues).id,
      channelClass: 'text',
      enqueuedAt: NOW - int(0, 1_800_000),
      ...(roll < 0.03 ? { priority: int(1, 10) } : {}),
      ...(random() < 0.05 ? { preferredAgentId: pick(agents).id } : {}),
      ...(excluded === undefined ? {} : { excludedAgentIds: excluded }),
      ...(random() < 0.1 ? { relaxedLevels: int(1, 2) } : {}),
    };
  });

  return {
    agents,
    queues: new Map(queues.map((queue) => [queue.id, queue])),
    waiting,
    strategyState: EMPTY_STRATEGY_STATE,
    now: NOW,
  };
}

/** Conversations in arrival order, for the one-arrival-at-a-time measurement. */
export function arrivals(world: RoutingSnapshot): WaitingConversation[] {
  return [...world.waiting].sort((a, b) => a.enqueuedAt - b.enqueuedAt || (a.id < b.id ? -1 : 1));
}
