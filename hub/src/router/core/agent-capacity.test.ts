import { describe, expect, it } from 'vitest';
import { applyCapacity, hasSpareCapacity } from './agent-capacity.js';
import { agent, T0 } from './router-core.fixtures.js';

describe('capacity per channel class', () => {
  it('holds up to the text capacity (4 by default) and no fifth chat', () => {
    expect(hasSpareCapacity(agent('a', {}, { load: { text: 3 } }), 'text')).toBe(true);
    expect(hasSpareCapacity(agent('a', {}, { load: { text: 4 } }), 'text')).toBe(false);
    expect(hasSpareCapacity(agent('a', {}, { capacity: { text: 5 }, load: { text: 4 } }), 'text')).toBe(true);
  });

  it('a call takes the whole seat: no chat or email during a call, no call during a chat', () => {
    const onCall = agent('a', {}, { load: { voice: 1 } });
    expect(hasSpareCapacity(onCall, 'text')).toBe(false);
    expect(hasSpareCapacity(onCall, 'email')).toBe(false);
    expect(hasSpareCapacity(onCall, 'voice')).toBe(false);
    expect(hasSpareCapacity(agent('a', {}, { load: { text: 1 } }), 'voice')).toBe(false);
    expect(hasSpareCapacity(agent('a', {}), 'voice')).toBe(true);
  });

  it('voice capacity is a switch: 0 means no calls, and more than 1 still means one call', () => {
    expect(hasSpareCapacity(agent('a', {}, { capacity: { voice: 0 } }), 'voice')).toBe(false);
    expect(hasSpareCapacity(agent('a', {}, { capacity: { voice: 3 }, load: { voice: 1 } }), 'voice')).toBe(false);
  });

  it('email is counted apart from text and does not block a call', () => {
    const fullOfChats = agent('a', {}, { load: { text: 4 } });
    expect(hasSpareCapacity(fullOfChats, 'email')).toBe(true);
    expect(hasSpareCapacity(agent('a', {}, { load: { email: 10 } }), 'email')).toBe(false);
    expect(hasSpareCapacity(agent('a', {}, { load: { email: 3 } }), 'voice')).toBe(true);
    expect(hasSpareCapacity(agent('a', {}, { capacity: { email: 0 } }), 'email')).toBe(false);
  });

  it('applyCapacity returns a new agent with one more session, stamped idle at now, input untouched', () => {
    const before = agent('a', {}, { load: { text: 1 }, idleSince: T0 - 5_000, assignedToday: 7 });
    const after = applyCapacity(before, 'text', T0);
    expect(after.load).toEqual({ text: 2, voice: 0, email: 0 });
    expect(after.idleSince).toBe(T0);
    expect(after.assignedToday).toBe(8);
    expect(before.load.text).toBe(1);
    // A snapshot clock behind the agent's own stamp must not make them look idler.
    expect(applyCapacity(agent('b', {}, { idleSince: T0 + 10 }), 'text', T0).idleSince).toBe(T0 + 10);
  });
});
