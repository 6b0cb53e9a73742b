import { loadRatio, spareCapacity } from './agent-capacity.js';
import type { AgentSnapshot, ChannelClass } from './router.types.js';

/**
 * The optimised session's private working copy of one agent: what a plan changes (load, idle
 * stamp, count) is copied out of the snapshot so the snapshot itself is never mutated.
 */
export interface LiveAgent {
  readonly index: number;
  readonly snapshot: AgentSnapshot;
  readonly load: Record<ChannelClass, number>;
  idleSince: number;
  assignedToday: number;
}

export function toLiveAgent(snapshot: AgentSnapshot, index: number): LiveAgent {
  return {
    index,
    snapshot,
    load: { ...snapshot.load },
    idleSince: snapshot.idleSince,
    assignedToday: snapshot.assignedToday,
  };
}

export function liveHasRoom(agent: LiveAgent, channelClass: ChannelClass): boolean {
  return spareCapacity(agent.snapshot.capacity, agent.load, channelClass);
}

export function liveLoadRatio(agent: LiveAgent, channelClass: ChannelClass): number {
  return loadRatio(agent.snapshot.capacity, agent.load, channelClass);
}

/** Same stamping rule as applyCapacity (agent-capacity.ts), on the working copy. */
export function liveAssign(agent: LiveAgent, channelClass: ChannelClass, now: number): void {
  agent.load[channelClass] += 1;
  agent.idleSince = Math.max(agent.idleSince, now);
  agent.assignedToday += 1;
}

/** A pool: the agents who qualify for one queue at one relaxation step in one channel class. */
export interface AgentPool {
  /** The best agent with room who is not excluded, or null. Does not assign. */
  best(isExcluded: (agent: LiveAgent) => boolean, cursor: string | undefined): LiveAgent | null;
}
