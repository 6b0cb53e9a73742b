import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './reconnect-backoff.js';

describe('reconnectDelay', () => {
  it('doubles from the base per consecutive failure and stops at the maximum', () => {
    const top = () => 1;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => reconnectDelay(n, 1000, 60_000, top))).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    expect(reconnectDelay(1000, 1000, 60_000, top)).toBe(60_000);
  });

  it('keeps at least half of the step and spreads the rest (jitter)', () => {
    expect(reconnectDelay(3, 1000, 60_000, () => 0)).toBe(2000);
    expect(reconnectDelay(3, 1000, 60_000, () => 0.5)).toBe(3000);
    for (let i = 0; i < 200; i++) {
      const d = reconnectDelay(7, 1000, 60_000);
      expect(d).toBeGreaterThanOrEqual(30_000);
      expect(d).toBeLessThanOrEqual(60_000);
    }
  });
});
