import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planAssignmentsNaive } from './plan-assignments-naive.js';
import { rankKey } from './pick-agent.js';
import {
  oracleBefore,
  oracleCanTake,
  shuffled,
  worldArb,
  type Loads,
} from './router-core.arbitraries.js';
import { planAssignments } from './routing-session.js';
import { compareRotation, strategies } from './routing-strategies.js';
import type { AgentSnapshot, RoutingPlan, RoutingSnapshot } from './router.types.js';

const RUNS = { numRuns: 400 };

const planners = [
  ['planAssignments (indexed)', planAssignments],
  ['planAssignmentsNaive (full scan)', planAssignmentsNaive],
] as const;

/** The agents' loads after the plan's decisions, computed without judging them. */
function finalLoads(world: RoutingSnapshot, plan: RoutingPlan): Map<string, Loads> {
  const loads = new Map(world.agents.map((agent) => [agent.id, { ...agent.load }]));
  for (const decision of plan.decisions) {
    const load = loads.get(decision.agentId);
    if (load !== undefined) load[decision.channelClass] += 1;
  }
  return loads;
}

/**
 * Replays the plan decision by decision from the snapshot's loads, checking each against the
 * oracle at that moment, and returns the final loads.
 */
function replay(world: RoutingSnapshot, plan: RoutingPlan): Map<string, Loads> {
  const loads = new Map(world.agents.map((agent) => [agent.id, { ...agent.load }]));
  const agentsById = new Map(world.agents.map((agent) => [agent.id, agent]));
  const conversations = new Map(world.waiting.map((conversation) => [conversation.id, conversation]));
  const assigned = new Set<string>();
  let cursors: Readonly<Record<string, string>> = world.strategyState.roundRobinCursor;
  const idle = new Map(world.agents.map((agent) => [agent.id, { idleSince: agent.idleSince, today: agent.assignedToday }]));
  for (const decision of plan.decisions) {
    const conversation = conversations.get(decision.conversationId);
    const agent = agentsById.get(decision.agentId);
    const queue = world.queues.get(decision.queueId);
    const load = loads.get(decision.agentId);
    // (3) never twice, and only conversations that were waiting, to agents that exist.
    expect(assigned.has(decision.conversationId), `${decision.conversationId} assigned twice`).toBe(false);
    if (conversation === undefined || agent === undefined || queue === undefined || load === undefined) {
      throw new Error(`decision for unknown ids: ${JSON.stringify(decision)}`);
    }
    expect(decision.queueId).toBe(conversation.queueId);
    expect(decision.channelClass).toBe(conversation.channelClass);
    // (1)+(2) the agent could take it at that moment: state, RONA exclusions, skills after
    // relaxation, and room in the class (voice exclusive).
    expect(oracleCanTake(agent, load, queue, conversation), `${agent.id} cannot take ${conversation.id}`).toBe(true);
    const eligibleNow = world.agents.filter((other) => oracleCanTake(other, loads.get(other.id) ?? other.load, queue, conversation));
    const stickyEligible = eligibleNow.some((other) => other.id === conversation.preferredAgentId);
    // Sticky first: the preferred agent gets it whenever they can take it.
    expect(decision.reason).toBe(stickyEligible ? 'sticky' : queue.strategy);
    if (!stickyEligible) {
      // The strategy's best among everyone eligible at that moment.
      const strategy = strategies[queue.strategy];
      const compare = strategy.kind === 'ranked' ? strategy.compare : compareRotation(cursors[queue.id]);
      const keyOf = (candidate: AgentSnapshot) => {
        const stamp = idle.get(candidate.id);
        return rankKey(
          { ...candidate, load: loads.get(candidate.id) ?? candidate.load, idleSince: stamp?.idleSince ?? 0, assignedToday: stamp?.today ?? 0 },
          queue,
          conversation.channelClass,
        );
      };
      const chosen = keyOf(agent);
      for (const other of eligibleNow) expect(compare(keyOf(other), chosen)).toBeGreaterThanOrEqual(0);
      if (strategy.kind === 'rotation') cursors = { ...cursors, [queue.id]: agent.id };
    }
    assigned.add(decision.conversationId);
    load[conversation.channelClass] += 1;
    const stamp = idle.get(agent.id);
    if (stamp !== undefined) idle.set(agent.id, { idleSince: Math.max(stamp.idleSince, world.now), today: stamp.today + 1 });
  }
  expect(plan.strategyState.roundRobinCursor).toEqual(cursors);
  return loads;
}

describe.each(planners)('%s invariants', (_name, plan) => {
  it('(1)(2)(3) every decision is eligible when made, nobody goes over capacity, nothing is assigned twice', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const result = plan(world);
        const loads = replay(world, result);
        for (const decision of result.decisions) {
          const agent = world.agents.find((candidate) => candidate.id === decision.agentId);
          const load = loads.get(decision.agentId);
          if (agent === undefined || load === undefined) throw new Error('unknown agent');
          const cls = decision.channelClass;
          // (1) stated on the final loads as well: within capacity, one call at most and never
          // alongside text. (An email taken before a call is allowed: email waits, see README.)
          if (cls === 'voice') expect(load.voice === 1 && load.text === 0).toBe(true);
          else if (cls === 'text') expect(load.voice === 0 && load.text <= agent.capacity.text).toBe(true);
          else expect(load.email <= agent.capacity.email).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('(4) work conservation: nothing is left waiting while someone could take it', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const result = plan(world);
        const loads = finalLoads(world, result);
        const assigned = new Set(result.decisions.map((decision) => decision.conversationId));
        for (const conversation of world.waiting) {
          const queue = world.queues.get(conversation.queueId);
          if (assigned.has(conversation.id) || queue === undefined) continue;
          for (const agent of world.agents) {
            const load = loads.get(agent.id) ?? agent.load;
            expect(oracleCanTake(agent, load, queue, conversation), `${conversation.id} left while ${agent.id} free`).toBe(false);
          }
        }
      }),
      RUNS,
    );
  });

  it('(5) priority: no later conversation took an agent an earlier waiting one could have had', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const result = plan(world);
        const loads = finalLoads(world, result);
        const assigned = new Set(result.decisions.map((decision) => decision.conversationId));
        const waitingLeft = world.waiting.filter((c) => !assigned.has(c.id) && world.queues.has(c.queueId));
        for (const decision of result.decisions) {
          const later = world.waiting.find((c) => c.id === decision.conversationId);
          const agent = world.agents.find((a) => a.id === decision.agentId);
          const load = loads.get(decision.agentId);
          if (later === undefined || agent === undefined || load === undefined) throw new Error('unknown ids');
          // The agent's loads as if this decision had not been made.
          const without = { ...load, [later.channelClass]: load[later.channelClass] - 1 };
          for (const earlier of waitingLeft) {
            const queue = world.queues.get(earlier.queueId);
            if (queue === undefined || !oracleBefore(earlier, later, world.queues)) continue;
            expect(oracleCanTake(agent, without, queue, earlier), `${later.id} served before ${earlier.id}`).toBe(false);
          }
        }
      }),
      RUNS,
    );
  });
});

describe('planAssignments vs planAssignmentsNaive', () => {
  it('(6) the indexed planner makes exactly the decisions of the full scan, in the same order', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        expect(planAssignments(world)).toEqual(planAssignmentsNaive(world));
      }),
      { numRuns: 1500 },
    );
  });

  it('(7) deterministic: same input, and the same input listed in another order, give the same plan', () => {
    fc.assert(
      fc.property(worldArb, fc.integer(), (world, seed) => {
        const first = planAssignments(world);
        expect(planAssignments(world)).toEqual(first);
        const relisted: RoutingSnapshot = {
          ...world,
          agents: shuffled(world.agents, seed),
          waiting: shuffled(world.waiting, seed + 1),
          queues: new Map(shuffled([...world.queues], seed + 2)),
        };
        expect(planAssignments(relisted)).toEqual(first);
      }),
      RUNS,
    );
  });

  it('(8) pure: the snapshot is left exactly as it was given', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const before = structuredClone(world);
        planAssignments(world);
        planAssignmentsNaive(world);
        expect(world).toEqual(before);
      }),
      RUNS,
    );
  });
});
