import { describe, expect, it } from 'vitest';
import { planAssignmentsNaive } from './plan-assignments-naive.js';
import { agent, queue, queuesById, T0, waiting } from './router-core.fixtures.js';
import { planAssignments } from './routing-session.js';
import { EMPTY_STRATEGY_STATE, type RoutingSnapshot } from './router.types.js';

const planners = [
  ['indexed', planAssignments],
  ['naive', planAssignmentsNaive],
] as const;

function snapshot(parts: Pick<RoutingSnapshot, 'agents' | 'queues' | 'waiting'> & Partial<RoutingSnapshot>): RoutingSnapshot {
  return { strategyState: EMPTY_STRATEGY_STATE, now: T0, ...parts };
}

const pairs = (plan: { decisions: readonly { conversationId: string; agentId: string }[] }) =>
  plan.decisions.map((d) => `${d.conversationId}→${d.agentId}`);

describe.each(planners)('%s planner', (_name, plan) => {
  it('a fifth chat waits when the only agent holds four; the oldest four are served', () => {
    const world = snapshot({
      agents: [agent('ana', { dh: 1 })],
      queues: queuesById(queue('dh', { dh: 1 })),
      waiting: [1, 2, 3, 4, 5].map((n) => waiting(`c${n}`, 'dh', { enqueuedAt: T0 - 10_000 + n })),
    });
    expect(pairs(plan(world))).toEqual(['c1→ana', 'c2→ana', 'c3→ana', 'c4→ana']);
  });

  it('no head-of-line blocking: an urgent conversation nobody can take does not hold up the rest', () => {
    const world = snapshot({
      agents: [agent('ana', { billing: 2 })],
      queues: queuesById(queue('legal', { legal: 1 }, 'longest_idle', 1), queue('billing', { billing: 1 }, 'longest_idle', 90)),
      waiting: [
        waiting('legal-1', 'legal', { enqueuedAt: T0 - 99_000 }),
        waiting('voice-1', 'billing', { channelClass: 'voice', enqueuedAt: T0 - 60_000, excludedAgentIds: new Set(['ana']) }),
        waiting('billing-1', 'billing'),
      ],
    });
    expect(pairs(plan(world))).toEqual(['billing-1→ana']);
  });

  it('a shift-start storm under longest_idle spreads chats across seats instead of filling one', () => {
    const world = snapshot({
      agents: ['a', 'b', 'c'].map((id, i) => agent(id, { dh: 3 }, { idleSince: T0 - 1_000 * (i + 1) })),
      queues: queuesById(queue('dh', { dh: 1 })),
      waiting: [1, 2, 3, 4, 5, 6].map((n) => waiting(`c${n}`, 'dh', { enqueuedAt: T0 - 100 + n })),
    });
    expect(pairs(plan(world))).toEqual(['c1→c', 'c2→b', 'c3→a', 'c4→a', 'c5→b', 'c6→c']);
  });

  it('a call takes the whole seat: the caller waits for a seat with no chats, chats avoid the caller’s agent', () => {
    const world = snapshot({
      agents: [agent('chatting', { dh: 3 }, { load: { text: 1 } }), agent('free', { dh: 3 })],
      queues: queuesById(queue('dh', { dh: 1 })),
      waiting: [
        waiting('call', 'dh', { channelClass: 'voice', enqueuedAt: T0 - 50_000 }),
        waiting('call-2', 'dh', { channelClass: 'voice', enqueuedAt: T0 - 40_000 }),
        waiting('chat', 'dh'),
        waiting('mail', 'dh', { channelClass: 'email' }),
      ],
    });
    expect(pairs(plan(world))).toEqual(['call→free', 'chat→chatting', 'mail→chatting']);
  });

  it('RONA: the agent who let the offer time out is skipped, the next one gets it; alone, it waits', () => {
    const agents = [agent('slow', { dh: 5 }), agent('next', { dh: 2 })];
    const queues = queuesById(queue('dh', { dh: 1 }));
    const excluded = new Set(['slow']);
    expect(pairs(plan(snapshot({ agents, queues, waiting: [waiting('c', 'dh', { excludedAgentIds: excluded })] })))).toEqual(['c→next']);
    const alone = snapshot({ agents: [agent('slow', { dh: 5 })], queues, waiting: [waiting('c', 'dh', { excludedAgentIds: excluded })] });
    expect(plan(alone).decisions).toEqual([]);
  });

  it('sticky: the previous agent gets the returning contact, unless full', () => {
    const queues = queuesById(queue('dh', { dh: 1 }));
    const agents = [agent('best', { dh: 5 }), agent('previous', { dh: 1 })];
    const sticky = plan(snapshot({ agents, queues, waiting: [waiting('c', 'dh', { preferredAgentId: 'previous' })] }));
    expect(sticky.decisions).toEqual([{ conversationId: 'c', agentId: 'previous', queueId: 'dh', channelClass: 'text', reason: 'sticky' }]);
    const full = [agent('best', { dh: 5 }), agent('previous', { dh: 1 }, { load: { text: 4 } })];
    expect(pairs(plan(snapshot({ agents: full, queues, waiting: [waiting('c', 'dh', { preferredAgentId: 'previous' })] })))).toEqual(['c→best']);
  });

  it('an overflowed conversation (relaxed one level) reaches a less skilled agent the others could not', () => {
    const world = snapshot({
      agents: [agent('junior', { pensions: 2 })],
      queues: queuesById(queue('pensions', { pensions: 3 })),
      waiting: [waiting('strict', 'pensions', { enqueuedAt: T0 - 9_000 }), waiting('relaxed', 'pensions', { relaxedLevels: 1 })],
    });
    expect(pairs(plan(world))).toEqual(['relaxed→junior']);
  });

  it('round robin continues across plans through the returned strategy state', () => {
    const agents = ['r1', 'r2', 'r3'].map((id) => agent(id, { dh: 1 }, { capacity: { text: 9 } }));
    const queues = queuesById(queue('dh', { dh: 1 }, 'round_robin'));
    const first = plan(snapshot({ agents, queues, waiting: [waiting('c1', 'dh'), waiting('c2', 'dh', { enqueuedAt: T0 })] }));
    expect(pairs(first)).toEqual(['c1→r1', 'c2→r2']);
    const second = plan(snapshot({ agents, queues, waiting: [waiting('c3', 'dh'), waiting('c4', 'dh', { enqueuedAt: T0 })], strategyState: first.strategyState }));
    expect(pairs(second)).toEqual(['c3→r3', 'c4→r1']);
    expect(second.strategyState.roundRobinCursor).toEqual({ dh: 'r1' });
  });

  it('adds nothing to an agent already above a capacity a supervisor just lowered', () => {
    const world = snapshot({
      agents: [agent('over', { dh: 1 }, { capacity: { text: 2 }, load: { text: 3 } })],
      queues: queuesById(queue('dh', { dh: 1 })),
      waiting: [waiting('c', 'dh')],
    });
    expect(plan(world).decisions).toEqual([]);
  });
});
