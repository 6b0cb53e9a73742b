import { describe, expect, it } from 'vitest';
import { averageSpeedOfAnswer } from './asa.js';

describe('averageSpeedOfAnswer (L11400)', () => {
  it('averages the wait after the IVR over answered contacts', () => {
    // waits 5 s, 15 s, 40 s → 60,000 ms / 3 = 20,000 ms
    const result = averageSpeedOfAnswer({ answered: 3, totalAnswerWaitMs: 60_000 });
    expect(result.value).toBe(20_000);
    expect(result).toMatchObject({ numerator: 60_000, denominator: 3, status: 'ok', unit: 'ms' });
    expect(result.explanation).toBe('60000 ms / 3 = 20000 ms (20.0 s)');
  });

  it('is "sin tráfico" (null, not NaN) when nobody was answered', () => {
    const result = averageSpeedOfAnswer({ answered: 0, totalAnswerWaitMs: 0 });
    expect(result.value).toBeNull();
    expect(result.status).toBe('sin_trafico');
    expect(result.explanation).toContain('sin tráfico');
  });

  it('rejects negative or fractional inputs', () => {
    expect(() => averageSpeedOfAnswer({ answered: -1, totalAnswerWaitMs: 0 })).toThrow(RangeError);
    expect(() => averageSpeedOfAnswer({ answered: 1.5, totalAnswerWaitMs: 0 })).toThrow(RangeError);
    expect(() => averageSpeedOfAnswer({ answered: 1, totalAnswerWaitMs: Number.NaN })).toThrow(RangeError);
  });
});
