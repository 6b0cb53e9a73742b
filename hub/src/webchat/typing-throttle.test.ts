import { describe, expect, it } from 'vitest';
import { TypingThrottle } from './typing-throttle.js';

describe('TypingThrottle', () => {
  it('passes changes, repeats the same state only after the repeat interval', () => {
    const t = new TypingThrottle(3000, 4);
    expect(t.shouldSend(true, 0)).toBe(true);
    expect(t.shouldSend(true, 500)).toBe(false);
    expect(t.shouldSend(false, 600)).toBe(true);
    expect(t.shouldSend(true, 700)).toBe(true);
    expect(t.shouldSend(true, 3800)).toBe(true);
  });

  it('caps a client toggling in a loop', () => {
    const t = new TypingThrottle(3000, 4);
    const sent = Array.from({ length: 20 }, (_, i) => t.shouldSend(i % 2 === 0, i * 10)).filter(Boolean).length;
    expect(sent).toBe(4);
    expect(t.shouldSend(true, 1500)).toBe(true);
  });
});
