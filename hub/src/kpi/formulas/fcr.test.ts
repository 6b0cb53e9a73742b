import { describe, expect, it } from 'vitest';
import { firstContactResolution } from './fcr.js';

describe('firstContactResolution', () => {
  it('is resolved on first contact / cases × 100', () => {
    // 68 / 80 × 100 = 85 %
    expect(firstContactResolution({ resolvedOnFirstContact: 68, cases: 80 }).value).toBe(85);
  });

  it('is sin tráfico without cases and rejects impossible counts', () => {
    expect(firstContactResolution({ resolvedOnFirstContact: 0, cases: 0 }).value).toBeNull();
    expect(() => firstContactResolution({ resolvedOnFirstContact: 3, cases: 2 })).toThrow(RangeError);
  });
});
