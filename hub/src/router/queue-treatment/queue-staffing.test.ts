import { describe, expect, it } from 'vitest';
import { agent, queue } from '../core/router-core.fixtures.js';
import { queueStaffing, servesQueue, sessionsPerAgent } from './queue-staffing.js';

describe('queueStaffing', () => {
  const pensions = queue('pensions', { pensions: 3 });

  it('counts staffed agents who qualify and sums their seats in the class, busy or not', () => {
    const agents = [
      agent('idle', { pensions: 3 }),
      agent('full', { pensions: 5 }, { load: { text: 4 } }),
      agent('wrap-up', { pensions: 4 }, { state: 'after_contact_work' }),
      agent('two-seats', { pensions: 3 }, { capacity: { text: 2 } }),
    ];
    expect(queueStaffing(agents, pensions, 'text')).toEqual({
      agentIds: ['idle', 'full', 'wrap-up', 'two-seats'],
      agents: 4,
      sessions: 4 + 4 + 4 + 2,
    });
  });

  it('leaves out aux, not_ready (after RONA), offline, the unskilled and the too junior', () => {
    const agents = [
      agent('lunch', { pensions: 5 }, { state: 'lunch' }),
      agent('rona', { pensions: 5 }, { state: 'not_ready' }),
      agent('gone', { pensions: 5 }, { state: 'offline' }),
      agent('other-skill', { billing: 5 }),
      agent('junior', { pensions: 2 }),
    ];
    expect(queueStaffing(agents, pensions, 'text')).toEqual({ agentIds: [], agents: 0, sessions: 0 });
  });

  it('counts the junior once the conversation has been relaxed one step', () => {
    expect(queueStaffing([agent('junior', { pensions: 2 })], pensions, 'text', 1).agents).toBe(1);
  });

  it('counts a voice seat as one call and leaves out agents without the class', () => {
    const agents = [
      agent('phone', {}, { capacity: { voice: 1 } }),
      agent('odd', {}, { capacity: { voice: 3 } }),
      agent('chat-only', {}, { capacity: { voice: 0 } }),
    ];
    expect(queueStaffing(agents, queue('general', {}), 'voice')).toMatchObject({ agents: 2, sessions: 2 });
  });
});

describe('sessionsPerAgent', () => {
  it('treats a capacity that is not a positive finite number as none', () => {
    for (const text of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(sessionsPerAgent({ capacity: { text, voice: 0, email: 0 } }, 'text')).toBe(0);
    }
    expect(servesQueue(agent('a', {}, { capacity: { email: 0 } }), queue('q', {}), 'email')).toBe(false);
  });
});
