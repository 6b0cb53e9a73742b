/** Readable builders for the router core's unit tests. */
import type { AgentSnapshot, ChannelClass, QueueSnapshot, StrategyName, WaitingConversation } from './router.types.js';

export const T0 = Date.UTC(2026, 10, 26, 15, 0, 0);

export function agent(
  id: string,
  skills: Record<string, number>,
  overrides: Partial<Omit<AgentSnapshot, 'skills' | 'load' | 'capacity'>> & {
    load?: Partial<Record<ChannelClass, number>>;
    capacity?: Partial<Record<ChannelClass, number>>;
  } = {},
): AgentSnapshot {
  const { load, capacity, ...rest } = overrides;
  return {
    id,
    skills: new Map(Object.entries(skills)),
    capacity: { text: 4, voice: 1, email: 10, ...capacity },
    load: { text: 0, voice: 0, email: 0, ...load },
    state: 'available',
    idleSince: T0 - 60_000,
    assignedToday: 0,
    ...rest,
  };
}

export function queue(
  id: string,
  requiredSkills: Record<string, number>,
  strategy: StrategyName = 'longest_idle',
  priority = 50,
): QueueSnapshot {
  return {
    id,
    priority,
    strategy,
    requiredSkills: Object.entries(requiredSkills).map(([skillId, minLevel]) => ({ skillId, minLevel })),
  };
}

export function waiting(
  id: string,
  queueId: string,
  overrides: Partial<Omit<WaitingConversation, 'id' | 'queueId'>> = {},
): WaitingConversation {
  return { id, queueId, channelClass: 'text', enqueuedAt: T0 - 30_000, ...overrides };
}

export function queuesById(...queues: QueueSnapshot[]): ReadonlyMap<string, QueueSnapshot> {
  return new Map(queues.map((q) => [q.id, q]));
}
