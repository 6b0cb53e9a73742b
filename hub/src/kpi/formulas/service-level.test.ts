import { describe, expect, it } from 'vitest';
import { serviceLevel } from './service-level.js';

const counts = { attendedWithinThreshold: 150, attended: 180, received: 200, thresholdMs: 20_000 };

describe('serviceLevel: X % within Y s, both denominators', () => {
  it('divides by received for DyC (L7881)', () => {
    // 150 / 200 × 100 = 75 %
    const result = serviceLevel({ ...counts, denominator: 'received' });
    expect(result.value).toBe(75);
    expect(result.seedRef).toContain('L7881');
  });

  it('divides by attended for the T&C (L10213)', () => {
    // (180 − 30) / 180 × 100 = 83.33 %
    const result = serviceLevel({ ...counts, denominator: 'attended' });
    expect(result.value).toBeCloseTo(83.333_333, 5);
    expect(result.explanation).toBe('(180 − 30) / 180 × 100 = 83.33 %');
  });

  it('is 100 % when everything was answered within the threshold', () => {
    expect(serviceLevel({ attendedWithinThreshold: 9, attended: 9, received: 9, thresholdMs: 20_000, denominator: 'received' }).value).toBe(100);
  });

  it('is 0 % by received but sin tráfico by attended when all were abandoned', () => {
    const all = { attendedWithinThreshold: 0, attended: 0, received: 12, thresholdMs: 20_000 };
    expect(serviceLevel({ ...all, denominator: 'received' }).value).toBe(0);
    expect(serviceLevel({ ...all, denominator: 'attended' }).status).toBe('sin_trafico');
  });

  it('rejects inconsistent counts', () => {
    expect(() => serviceLevel({ ...counts, attendedWithinThreshold: 181, denominator: 'attended' })).toThrow(RangeError);
    expect(() => serviceLevel({ ...counts, attended: 201, denominator: 'attended' })).toThrow(RangeError);
  });
});
