import { describe, expect, it } from 'vitest';
import { eligibleAgents, skillScore } from './agent-eligibility.js';
import { agent, queue, waiting } from './router-core.fixtures.js';
import type { AgentState } from './router.types.js';

const pensions = queue('pensions', { pensions: 3, nss: 2 });
const ids = (list: readonly { id: string }[]) => list.map((a) => a.id);

describe('eligibleAgents', () => {
  it('requires every skill at its minimum level', () => {
    const agents = [
      agent('both', { pensions: 3, nss: 2 }),
      agent('low', { pensions: 2, nss: 5 }),
      agent('one', { pensions: 5 }),
    ];
    expect(ids(eligibleAgents(agents, pensions, waiting('c', 'pensions')))).toEqual(['both']);
  });

  it('only available agents receive offers', () => {
    const states: AgentState[] = ['after_contact_work', 'lunch', 'training', 'coaching', 'personal', 'not_ready', 'offline'];
    const agents = [agent('on', { pensions: 5, nss: 5 }), ...states.map((state) => agent(state, { pensions: 5, nss: 5 }, { state }))];
    expect(ids(eligibleAgents(agents, pensions, waiting('c', 'pensions')))).toEqual(['on']);
  });

  it('overflow relaxation lowers each minimum by one per step, never below 1, never dropping a skill', () => {
    const agents = [agent('l1', { pensions: 1, nss: 1 }), agent('l2', { pensions: 2, nss: 1 }), agent('none', { pensions: 5 })];
    expect(ids(eligibleAgents(agents, pensions, waiting('c', 'pensions', { relaxedLevels: 1 })))).toEqual(['l2']);
    expect(ids(eligibleAgents(agents, pensions, waiting('c', 'pensions', { relaxedLevels: 2 })))).toEqual(['l1', 'l2']);
    expect(ids(eligibleAgents(agents, pensions, waiting('c', 'pensions', { relaxedLevels: 9 })))).toEqual(['l1', 'l2']);
    // A corrupt step count relaxes nothing rather than letting everyone through.
    expect(ids(eligibleAgents(agents, pensions, waiting('c', 'pensions', { relaxedLevels: Number.NaN })))).toEqual([]);
  });

  it('an agent who rejected the offer or let it time out (RONA) is not offered it again', () => {
    const agents = [agent('rona', { pensions: 5, nss: 5 }), agent('next', { pensions: 3, nss: 2 })];
    const conversation = waiting('c', 'pensions', { excludedAgentIds: new Set(['rona']) });
    expect(ids(eligibleAgents(agents, pensions, conversation))).toEqual(['next']);
  });

  it('needs room in the conversation’s channel class', () => {
    const agents = [agent('full', { pensions: 5, nss: 5 }, { load: { text: 4 } }), agent('chat', { pensions: 5, nss: 5 }, { load: { text: 1 } })];
    expect(ids(eligibleAgents(agents, pensions, waiting('c', 'pensions')))).toEqual(['chat']);
    expect(ids(eligibleAgents(agents, pensions, waiting('v', 'pensions', { channelClass: 'voice' })))).toEqual([]);
    expect(ids(eligibleAgents(agents, pensions, waiting('e', 'pensions', { channelClass: 'email' })))).toEqual(['full', 'chat']);
  });
});

describe('skillScore', () => {
  it('sums the agent’s levels over the queue’s required skills', () => {
    expect(skillScore(agent('a', { pensions: 4, nss: 2, billing: 5 }), pensions)).toBe(6);
    expect(skillScore(agent('b', { pensions: 1 }), pensions)).toBe(1);
  });
});
