import type { Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';
import {
  checkCapacityTimeline,
  checkConversationStates,
  checkEvents,
  checkLoadCounters,
  checkOneAgentAtATime,
  takeSnapshot,
  type Snapshot,
} from '../../multiprocess/router-stress/invariants.js';
import type { StressWorld } from '../../multiprocess/router-stress/world.js';

/**
 * The router's invariants of the multi-process stress test (test/multiprocess/router-stress),
 * judged over one snapshot taken after the drain: no agent above capacity at any instant, no
 * conversation with two agents (nor two pending offers), load counters equal to what is held,
 * every conversation consistent, the events of every offer. Each list is empty when it holds.
 */
export interface RouterInvariants {
  overCapacity: string[];
  twoAgents: string[];
  loadCounters: string[];
  states: string[];
  events: string[];
  offers: number;
  conversations: number;
}

export async function routerInvariants(db: Kysely<Database>, world: StressWorld): Promise<{ snapshot: Snapshot; result: RouterInvariants }> {
  const snapshot = await takeSnapshot(db);
  const caps = new Map(snapshot.seats.map((s) => [s.user_id, { text: s.cap_text, voice: s.cap_voice, email: s.cap_email }]));
  const capacity = checkCapacityTimeline(snapshot, caps);
  const fixed = world.agents.filter((a) => caps.get(a.id)?.text !== a.capText).map((a) => `capacity of agent ${a.index} changed during the run`);
  return {
    snapshot,
    result: {
      overCapacity: [...fixed, ...capacity.problems],
      twoAgents: checkOneAgentAtATime(snapshot),
      loadCounters: checkLoadCounters(snapshot),
      states: checkConversationStates(snapshot),
      events: checkEvents(snapshot),
      offers: snapshot.offers.length,
      conversations: snapshot.conversations.length,
    },
  };
}
