import type { AgentSnapshot, ChannelClass } from './router.types.js';

type Loads = Readonly<Record<ChannelClass, number>>;

/**
 * Whether one more session of `channelClass` fits, given capacity and current loads.
 *
 * A voice call takes the whole seat (SPEC §2 "voice = whole seat"): while on voice nothing else
 * is offered, and voice is offered only to a seat with no text session. Email is counted apart
 * from text and does not block a call: it is asynchronous and waits while the agent talks.
 * Voice capacity is a switch (0 = no voice): at most one call, whatever the number says.
 */
export function spareCapacity(capacity: Loads, load: Loads, channelClass: ChannelClass): boolean {
  switch (channelClass) {
    case 'voice':
      return capacity.voice >= 1 && load.voice === 0 && load.text === 0;
    case 'text':
      return load.voice === 0 && load.text < capacity.text;
    case 'email':
      return load.voice === 0 && load.email < capacity.email;
  }
}

export function hasSpareCapacity(agent: AgentSnapshot, channelClass: ChannelClass): boolean {
  return spareCapacity(agent.capacity, agent.load, channelClass);
}

/**
 * The agent after taking one more session of `channelClass` at `now` (a new object; the input is
 * untouched). idleSince never moves backwards, so a clock slightly behind the agent's own stamp
 * cannot make a just-assigned agent look idler than before.
 */
export function applyCapacity(agent: AgentSnapshot, channelClass: ChannelClass, now: number): AgentSnapshot {
  return {
    ...agent,
    load: { ...agent.load, [channelClass]: agent.load[channelClass] + 1 },
    idleSince: Math.max(agent.idleSince, now),
    assignedToday: agent.assignedToday + 1,
  };
}

/** load ÷ capacity in one class; a class without capacity counts as full. */
export function loadRatio(capacity: Loads, load: Loads, channelClass: ChannelClass): number {
  const cap = capacity[channelClass];
  return cap > 0 ? load[channelClass] / cap : 1;
}
