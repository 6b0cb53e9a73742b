import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agent, queue, queuesById, T0, waiting } from '../core/router-core.fixtures.js';
import type { AgentSnapshot, ChannelClass, WaitingConversation } from '../core/router.types.js';
import { orderWaiting } from '../core/waiting-order.js';
import { queuePosition, queuePositions } from './queue-position.js';

const at = (secondsAgo: number): number => T0 - secondsAgo * 1000;

describe('queuePosition', () => {
  const queues = queuesById(
    queue('pensions', { pensions: 3 }, 'longest_idle', 50),
    queue('urgent-pensions', { pensions: 4 }, 'longest_idle', 1),
    queue('billing', { billing: 3 }, 'longest_idle', 1),
  );

  it('is the place in the queue by longest waiting when nothing else competes', () => {
    const list = [waiting('c', 'pensions', { enqueuedAt: at(10) }), waiting('a', 'pensions', { enqueuedAt: at(90) }), waiting('b', 'pensions', { enqueuedAt: at(50) })];
    expect([...queuePositions(list, queues, [])]).toEqual([['a', 1], ['b', 2], ['c', 3]]);
  });

  it('counts a more urgent conversation of another queue when an agent could serve both', () => {
    const list = [
      waiting('mine-1', 'pensions', { enqueuedAt: at(300) }),
      waiting('mine-2', 'pensions', { enqueuedAt: at(200) }),
      waiting('urgent', 'urgent-pensions', { enqueuedAt: at(5) }),
    ];
    const senior = agent('senior', { pensions: 4 });
    // The router offers `urgent` first (priority 1) to the senior agent, who also serves pensions.
    expect(queuePosition('mine-1', list, queues, [senior])).toBe(2);
    expect(queuePosition('mine-2', list, queues, [senior])).toBe(3);
    expect(queuePosition('urgent', list, queues, [senior])).toBe(1);
    // Only a level-3 agent on shift: nobody can take both, so the urgent one does not count.
    expect(queuePosition('mine-1', list, queues, [agent('junior', { pensions: 3 })])).toBe(1);
    // The shared agent is at lunch: for now they take nobody's seat.
    expect(queuePosition('mine-1', list, queues, [agent('senior', { pensions: 4 }, { state: 'lunch' })])).toBe(1);
  });

  it('ignores other queues whose agents never serve this one, and other channel classes', () => {
    const list = [
      waiting('bill', 'billing', { enqueuedAt: at(500) }),
      waiting('call', 'pensions', { channelClass: 'voice', enqueuedAt: at(400) }),
      waiting('chat', 'pensions', { enqueuedAt: at(1) }),
    ];
    const agents = [agent('p', { pensions: 5 }), agent('b', { billing: 5 })];
    expect(queuePosition('chat', list, queues, agents)).toBe(1);
    expect(queuePosition('call', list, queues, agents)).toBe(1);
  });

  it('counts the whole queue whatever the relaxation step, and relaxed pools overlap more', () => {
    const list = [
      waiting('urgent', 'urgent-pensions', { enqueuedAt: at(5), relaxedLevels: 1 }),
      waiting('relaxed', 'pensions', { enqueuedAt: at(100), relaxedLevels: 2 }),
      waiting('strict', 'pensions', { enqueuedAt: at(50) }),
    ];
    const junior = agent('junior', { pensions: 3 });
    // `urgent` relaxed to level 3: the junior serves both it and the pensions queue.
    expect(queuePosition('relaxed', list, queues, [junior])).toBe(2);
    expect(queuePosition('strict', list, queues, [junior])).toBe(3);
  });

  it('gives no position to conversations that are not waiting or whose queue is unknown', () => {
    const list = [waiting('lost', 'nowhere', { enqueuedAt: at(999) }), waiting('a', 'pensions')];
    expect(queuePosition('lost', list, queues, [])).toBeNull();
    expect(queuePosition('absent', list, queues, [])).toBeNull();
    expect(queuePosition('a', list, queues, [])).toBe(1);
  });

  it('counts a conversation listed twice once', () => {
    const list = [waiting('a', 'pensions', { enqueuedAt: at(9) }), waiting('a', 'pensions', { enqueuedAt: at(9) }), waiting('b', 'pensions', { enqueuedAt: at(1) })];
    expect(queuePosition('b', list, queues, [])).toBe(2);
  });
});

describe('queuePositions (properties)', () => {
  const queues = queuesById(
    queue('q1', { s1: 2 }, 'longest_idle', 1),
    queue('q2', { s2: 3 }, 'longest_idle', 2),
    queue('q3', { s1: 4, s2: 1 }, 'longest_idle', 2),
    queue('q4', {}, 'longest_idle', 3),
  );
  const classes: ChannelClass[] = ['text', 'voice', 'email'];
  const waitingArb: fc.Arbitrary<WaitingConversation[]> = fc.uniqueArray(
    fc.record({
      id: fc.integer({ min: 0, max: 40 }).map((i) => `w${i}`),
      queueId: fc.constantFrom('q1', 'q2', 'q3', 'q4'),
      channelClass: fc.constantFrom(...classes),
      enqueuedAt: fc.integer({ min: 0, max: 20 }),
      relaxedLevels: fc.integer({ min: 0, max: 3 }),
    }),
    { selector: (c) => c.id, maxLength: 25 },
  );
  const levelArb = fc.integer({ min: 0, max: 5 });
  const agentsArb: fc.Arbitrary<AgentSnapshot[]> = fc.array(
    fc.record({ s1: levelArb, s2: levelArb, away: fc.boolean() }).map(({ s1, s2, away }) => {
      // Level 0 = the agent lacks the skill.
      const skills = Object.fromEntries([['s1', s1], ['s2', s2]].filter(([, level]) => level !== 0));
      return agent(`a${s1}${s2}`, skills, away ? { state: 'training' } : {});
    }),
    { maxLength: 6 },
  );

  it('lies between the place in its own line and the place among all of its class', () => {
    fc.assert(
      fc.property(waitingArb, agentsArb, (list, agents) => {
        const positions = queuePositions(list, queues, agents);
        const ordered = orderWaiting(list, queues);
        ordered.forEach((conversation, index) => {
          const before = ordered.slice(0, index).filter((c) => c.channelClass === conversation.channelClass);
          const ownLine = before.filter((c) => c.queueId === conversation.queueId).length + 1;
          const position = positions.get(conversation.id);
          expect(position).toBeGreaterThanOrEqual(ownLine);
          expect(position).toBeLessThanOrEqual(before.length + 1);
        });
      }),
    );
  });

  it('agrees with a direct scan: same line, or an earlier conversation a staffed agent could also serve', () => {
    // Written apart from the module: levels and states checked inline, one pass per conversation.
    const serves = (a: AgentSnapshot, c: WaitingConversation): boolean => {
      const required = queues.get(c.queueId)?.requiredSkills ?? [];
      const capacity = a.capacity[c.channelClass];
      return (
        (a.state === 'available' || a.state === 'after_contact_work') &&
        capacity >= 1 &&
        required.every((r) => (a.skills.get(r.skillId) ?? 0) >= Math.max(1, r.minLevel - (c.relaxedLevels ?? 0)))
      );
    };
    fc.assert(
      fc.property(waitingArb, agentsArb, (list, agents) => {
        const positions = queuePositions(list, queues, agents);
        const ordered = orderWaiting(list, queues);
        ordered.forEach((mine, index) => {
          const ahead = ordered
            .slice(0, index)
            .filter(
              (other) =>
                other.channelClass === mine.channelClass &&
                (other.queueId === mine.queueId || agents.some((a) => serves(a, mine) && serves(a, other))),
            ).length;
          expect(positions.get(mine.id)).toBe(ahead + 1);
        });
      }),
    );
  });

  it('equals the place in its own line when no agent is staffed', () => {
    fc.assert(
      fc.property(waitingArb, (list) => {
        const positions = queuePositions(list, queues, []);
        const seen = new Map<string, number>();
        for (const c of orderWaiting(list, queues)) {
          const line = `${c.queueId}/${c.channelClass}`;
          seen.set(line, (seen.get(line) ?? 0) + 1);
          expect(positions.get(c.id)).toBe(seen.get(line));
        }
      }),
    );
  });

  it('does not depend on how the caller listed the conversations or the agents', () => {
    fc.assert(
      fc.property(waitingArb, agentsArb, (list, agents) => {
        const expected = [...queuePositions(list, queues, agents)].sort();
        expect([...queuePositions([...list].reverse(), queues, [...agents].reverse())].sort()).toEqual(expected);
      }),
    );
  });
});
