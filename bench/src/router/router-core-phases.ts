/**
 * The measurements of the router-core benchmark. Both planners run on the same world in the same
 * process; every phase also checks that the indexed planner decided exactly what the full scan
 * decided on the part both ran, so a fast wrong answer cannot pass as a speed-up.
 */
import type {
  AgentSnapshot,
  QueueSnapshot,
  RoutingDecision,
  RoutingPlan,
  RoutingSession,
  RoutingSnapshot,
  StrategyState,
  WaitingConversation,
} from '../../../hub/src/router/core/router-core.js';
import { median, microsSince, summarizeUs, type LatencyUs } from './router-latency.js';

export interface BulkResult {
  waiting: number;
  decisions: number;
  /** Milliseconds of each repetition (ordering, indexing and deciding included). */
  runsMs: number[];
  medianMs: number;
  decisionsPerSecond: number;
  /** Waiting conversations processed per second (each is a decision: assign, or keep waiting). */
  conversationsPerSecond: number;
}

export function measureBulk(world: RoutingSnapshot, plan: (s: RoutingSnapshot) => RoutingPlan, repeats: number): BulkResult & { plan: RoutingPlan } {
  const runsMs: number[] = [];
  let last: RoutingPlan | undefined;
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    last = plan(world);
    runsMs.push(microsSince(start) / 1_000);
  }
  if (last === undefined) throw new Error('repeats must be ≥ 1');
  const medianMs = median(runsMs);
  return {
    waiting: world.waiting.length,
    decisions: last.decisions.length,
    runsMs,
    medianMs,
    decisionsPerSecond: last.decisions.length / (medianMs / 1_000),
    conversationsPerSecond: world.waiting.length / (medianMs / 1_000),
    plan: last,
  };
}

export type SessionFactory = (
  agents: readonly AgentSnapshot[],
  queues: ReadonlyMap<string, QueueSnapshot>,
  state: StrategyState,
  now: number,
) => RoutingSession;

export interface ArrivalResult {
  arrivals: number;
  assigned: number;
  /** Creating the session (the skill index; pools are built lazily inside the first decisions). */
  setupMs: number;
  /** Sum of the timed route() calls. */
  routingMs: number;
  /** route() calls per second, each one decision (assign, or keep waiting). */
  decisionsPerSecond: number;
  allUs: LatencyUs;
  /** The first `headCount` arrivals only: the part the naive sample also routed. */
  headCount: number;
  headUs: LatencyUs;
  assignedUs: LatencyUs;
  leftWaitingUs: LatencyUs;
}

/** Routes conversations one at a time, in arrival order, against the loads of earlier decisions. */
export function measureArrivals(
  world: RoutingSnapshot,
  createSession: SessionFactory,
  list: readonly WaitingConversation[],
  headCount: number,
): ArrivalResult & { decisions: (RoutingDecision | null)[] } {
  const setupStart = process.hrtime.bigint();
  const session = createSession(world.agents, world.queues, world.strategyState, world.now);
  const setupMs = microsSince(setupStart) / 1_000;
  const all: number[] = [];
  const assigned: number[] = [];
  const left: number[] = [];
  const decisions: (RoutingDecision | null)[] = [];
  for (const conversation of list) {
    const start = process.hrtime.bigint();
    const decision = session.route(conversation);
    const us = microsSince(start);
    all.push(us);
    (decision === null ? left : assigned).push(us);
    decisions.push(decision);
  }
  const routingMs = all.reduce((sum, us) => sum + us, 0) / 1_000;
  return {
    arrivals: list.length,
    assigned: assigned.length,
    setupMs,
    routingMs,
    decisionsPerSecond: list.length / (routingMs / 1_000),
    allUs: summarizeUs(all),
    headCount: Math.min(headCount, all.length),
    headUs: summarizeUs(all.slice(0, headCount)),
    assignedUs: summarizeUs(assigned),
    leftWaitingUs: summarizeUs(left),
    decisions,
  };
}

export function sameDecisions(a: readonly (RoutingDecision | null)[], b: readonly (RoutingDecision | null)[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}
