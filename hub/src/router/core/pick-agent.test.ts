import { describe, expect, it } from 'vitest';
import { pickAgent } from './pick-agent.js';
import { agent, queue, T0, waiting } from './router-core.fixtures.js';
import { EMPTY_STRATEGY_STATE, type StrategyState } from './router.types.js';

const c = waiting('c', 'q');

describe('longest_idle', () => {
  const q = queue('q', { billing: 2 }, 'longest_idle');

  it('prefers the best skill match, then the agent idle the longest', () => {
    const expert = agent('expert', { billing: 5 }, { idleSince: T0 - 1_000 });
    const idleNovice = agent('novice', { billing: 2 }, { idleSince: T0 - 900_000 });
    expect(pickAgent([idleNovice, expert], q, c, EMPTY_STRATEGY_STATE)?.agent.id).toBe('expert');
    const idleExpert = agent('idle', { billing: 5 }, { idleSince: T0 - 5_000 });
    expect(pickAgent([expert, idleExpert], q, c, EMPTY_STRATEGY_STATE)?.agent.id).toBe('idle');
  });

  it('between equally idle agents the less loaded one, then the smaller id', () => {
    const busy = agent('a', { billing: 3 }, { idleSince: T0, load: { text: 2 } });
    const free = agent('b', { billing: 3 }, { idleSince: T0, load: { text: 1 } });
    expect(pickAgent([busy, free], q, c, EMPTY_STRATEGY_STATE)?.agent.id).toBe('b');
    const twin = agent('a', { billing: 3 }, { idleSince: T0, load: { text: 1 } });
    expect(pickAgent([free, twin], q, c, EMPTY_STRATEGY_STATE)?.agent.id).toBe('a');
  });
});

describe('least_busy', () => {
  const q = queue('q', { billing: 2 }, 'least_busy');

  it('prefers the fewest sessions relative to capacity, then skill, then idle', () => {
    const twoOfFour = agent('x', { billing: 5 }, { load: { text: 2 } });
    const oneOfTwo = agent('y', { billing: 5 }, { load: { text: 1 }, capacity: { text: 2 } });
    const oneOfFour = agent('z', { billing: 2 }, { load: { text: 1 } });
    expect(pickAgent([twoOfFour, oneOfTwo, oneOfFour], q, c, EMPTY_STRATEGY_STATE)?.agent.id).toBe('z');
    const oneOfFourExpert = agent('w', { billing: 4 }, { load: { text: 1 } });
    expect(pickAgent([oneOfFour, oneOfFourExpert], q, c, EMPTY_STRATEGY_STATE)?.agent.id).toBe('w');
  });

  it('counts only the conversation’s class (emails do not make a chat agent busier)', () => {
    const manyEmails = agent('m', { billing: 3 }, { load: { email: 9 } });
    const oneChat = agent('o', { billing: 3 }, { load: { text: 1 } });
    expect(pickAgent([oneChat, manyEmails], q, c, EMPTY_STRATEGY_STATE)?.agent.id).toBe('m');
  });
});

describe('round_robin', () => {
  const q = queue('q', { billing: 1 }, 'round_robin');
  const agents = [agent('a2', { billing: 5 }), agent('a1', { billing: 1 }), agent('a3', { billing: 1 })];

  it('takes turns by id from the cursor in the returned state, wrapping around, ignoring skill', () => {
    const seen: string[] = [];
    let state: StrategyState = EMPTY_STRATEGY_STATE;
    for (let i = 0; i < 4; i++) {
      const pick = pickAgent(agents, q, c, state);
      if (pick === null) throw new Error('no pick');
      seen.push(pick.agent.id);
      state = pick.strategyState;
    }
    expect(seen).toEqual(['a1', 'a2', 'a3', 'a1']);
    expect(state.roundRobinCursor).toEqual({ q: 'a1' });
    expect(EMPTY_STRATEGY_STATE.roundRobinCursor).toEqual({});
  });

  it('skips to the next id when the cursor’s agent is gone', () => {
    const state: StrategyState = { roundRobinCursor: { q: 'a15', other: 'zz' } };
    const pick = pickAgent(agents, q, c, state);
    expect(pick?.agent.id).toBe('a2');
    expect(pick?.strategyState.roundRobinCursor).toEqual({ q: 'a2', other: 'zz' });
  });
});

describe('sticky routing', () => {
  const q = queue('q', { billing: 1 }, 'round_robin');
  const agents = [agent('a1', { billing: 5 }), agent('a2', { billing: 1 })];

  it('gives a returning contact their previous agent when eligible, without moving the cursor', () => {
    const pick = pickAgent(agents, q, waiting('c', 'q', { preferredAgentId: 'a2' }), EMPTY_STRATEGY_STATE);
    expect(pick?.agent.id).toBe('a2');
    expect(pick?.reason).toBe('sticky');
    expect(pick?.strategyState).toBe(EMPTY_STRATEGY_STATE);
  });

  it('falls back to the strategy when the previous agent is not among the eligible', () => {
    const pick = pickAgent(agents, q, waiting('c', 'q', { preferredAgentId: 'gone' }), EMPTY_STRATEGY_STATE);
    expect(pick?.agent.id).toBe('a1');
    expect(pick?.reason).toBe('round_robin');
  });
});

it('nobody eligible → no pick', () => {
  expect(pickAgent([], queue('q', {}), c, EMPTY_STRATEGY_STATE)).toBeNull();
});
