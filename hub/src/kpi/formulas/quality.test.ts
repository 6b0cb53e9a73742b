import { describe, expect, it } from 'vitest';
import { qualityScore } from './quality.js';

describe('qualityScore: Σ scores / 100 monitorings (L10240)', () => {
  it('divides by the contractual 100, not by the number scored', () => {
    // 100 monitorings at 96 → 9,600 / 100 = 96 %
    expect(qualityScore(Array.from({ length: 100 }, () => 96)).value).toBe(96);
    // only 90 monitorings at 100 → 9,000 / 100 = 90 %
    expect(qualityScore(Array.from({ length: 90 }, () => 100)).value).toBe(90);
  });

  it('takes a campaign sample size and is sin tráfico when it is 0', () => {
    expect(qualityScore([80, 90], 2).value).toBe(85);
    expect(qualityScore([], 0).value).toBeNull();
  });

  it('rejects out-of-range scores and oversize samples', () => {
    expect(() => qualityScore([101])).toThrow(RangeError);
    expect(() => qualityScore([50, 50, 50], 2)).toThrow(RangeError);
  });
});
