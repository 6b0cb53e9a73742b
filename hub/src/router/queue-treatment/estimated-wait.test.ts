import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChannelClass } from '../core/router.types.js';
import {
  DEFAULT_WAIT_ESTIMATOR_OPTIONS,
  type WaitEstimateInput,
  estimateWait,
  shouldOverflow,
} from './estimated-wait.js';
import { displayWait } from './wait-display.js';

const MIN = 60_000;
const staffed = (agents: number, sessionsEach: number): WaitEstimateInput['staffing'] => ({ agents, sessions: agents * sessionsEach });

describe('estimateWait — capacity estimator (position × AHT ÷ seats)', () => {
  it('worked example: 9th in line, 3 agents × 4 chats, AHT 6 min → 9 × 6 / 12 = 4.5 min, shown as 5 min', () => {
    const estimate = estimateWait({ position: 9, channelClass: 'text', staffing: staffed(3, 4), averageHandleTimeMs: 6 * MIN });
    expect(estimate).toEqual({ ms: 4.5 * MIN, method: 'capacity' });
    expect(displayWait(estimate?.ms ?? null)).toEqual({ kind: 'minutes', minutes: 5 });
  });

  it('next in line with 12 seats free every 6 min: 30 s, shown as under a minute', () => {
    const estimate = estimateWait({ position: 1, channelClass: 'text', staffing: staffed(3, 4), averageHandleTimeMs: 6 * MIN });
    expect(estimate?.ms).toBe(30_000);
    expect(displayWait(estimate?.ms ?? null)).toEqual({ kind: 'under_minute' });
  });

  it('a call takes the whole seat: 4th caller, 2 phone agents, AHT 5 min → 10 min', () => {
    expect(estimateWait({ position: 4, channelClass: 'voice', staffing: staffed(2, 1), averageHandleTimeMs: 5 * MIN })?.ms).toBe(10 * MIN);
  });

  it('uses the class default AHT when the queue has no history (text 6, voice 5, email 30 min)', () => {
    const expectations: [ChannelClass, number][] = [['text', 6], ['voice', 5], ['email', 30]];
    for (const [channelClass, minutes] of expectations) {
      for (const averageHandleTimeMs of [undefined, null, 0, -5, Number.NaN]) {
        expect(estimateWait({ position: 2, channelClass, staffing: { agents: 1, sessions: 2 }, averageHandleTimeMs })).toEqual({
          ms: minutes * MIN,
          method: 'capacity_default_aht',
        });
      }
    }
  });

  it('takes configured defaults', () => {
    const options = { ...DEFAULT_WAIT_ESTIMATOR_OPTIONS, defaultHandleTimeMs: { text: 9 * MIN, voice: 1, email: 1 } };
    expect(estimateWait({ position: 1, channelClass: 'text', staffing: staffed(1, 3) }, options)?.ms).toBe(3 * MIN);
  });
});

describe('estimateWait — rate estimator (position ÷ completions per minute)', () => {
  const base = { channelClass: 'text', staffing: staffed(3, 4), averageHandleTimeMs: 6 * MIN } as const;

  it('uses the observed rate once the window holds enough completions: 30 in 15 min = 2/min, 9th → 4.5 min', () => {
    const estimate = estimateWait({ ...base, position: 9, recentCompletions: { completions: 30, windowMs: 15 * MIN } });
    expect(estimate).toEqual({ ms: 4.5 * MIN, method: 'rate' });
  });

  it('a slower pool than the AHT suggests (other queues take seats) shows in the rate estimate', () => {
    const estimate = estimateWait({ ...base, position: 9, recentCompletions: { completions: 10, windowMs: 15 * MIN } });
    expect(estimate).toEqual({ ms: 13.5 * MIN, method: 'rate' });
  });

  it('falls back to the capacity estimate with too few completions, or none, or a broken window', () => {
    for (const recentCompletions of [
      { completions: 9, windowMs: 15 * MIN },
      { completions: 0, windowMs: 15 * MIN },
      { completions: 30, windowMs: 0 },
      { completions: Number.NaN, windowMs: 15 * MIN },
      null,
    ]) {
      expect(estimateWait({ ...base, position: 9, recentCompletions })?.method).toBe('capacity');
    }
  });

  it('the threshold is configurable', () => {
    const options = { ...DEFAULT_WAIT_ESTIMATOR_OPTIONS, minCompletionsForRate: 3 };
    expect(estimateWait({ ...base, position: 1, recentCompletions: { completions: 3, windowMs: 15 * MIN } }, options)).toEqual({
      ms: 5 * MIN,
      method: 'rate',
    });
  });
});

describe('estimateWait — unknown and bad input', () => {
  it('is null (unknown), not infinite, when nobody staffed qualifies — even with history', () => {
    const recentCompletions = { completions: 50, windowMs: 15 * MIN };
    expect(estimateWait({ position: 3, channelClass: 'text', staffing: { agents: 0, sessions: 0 }, recentCompletions })).toBeNull();
    expect(estimateWait({ position: 3, channelClass: 'text', staffing: { agents: 2, sessions: 0 } })).toBeNull();
  });

  it('rejects a position that is not a whole number from 1', () => {
    for (const position of [0, -1, 1.5, Number.NaN]) {
      expect(() => estimateWait({ position, channelClass: 'text', staffing: staffed(1, 4) })).toThrow(RangeError);
    }
  });
});

describe('estimateWait (properties)', () => {
  const inputArb = fc.record({
    position: fc.integer({ min: 1, max: 500 }),
    channelClass: fc.constantFrom<ChannelClass>('text', 'voice', 'email'),
    agents: fc.integer({ min: 1, max: 50 }),
    sessionsEach: fc.integer({ min: 1, max: 10 }),
    averageHandleTimeMs: fc.option(fc.integer({ min: 1, max: 4 * 3_600_000 }), { nil: null }),
    recentCompletions: fc.option(
      fc.record({ completions: fc.integer({ min: 0, max: 200 }), windowMs: fc.constantFrom(5 * MIN, 15 * MIN) }),
      { nil: null },
    ),
  });
  type Drawn = typeof inputArb extends fc.Arbitrary<infer T> ? T : never;
  const wait = (input: Drawn, changes: Partial<Drawn> = {}): number => {
    const { agents, sessionsEach, ...rest } = { ...input, ...changes };
    const estimate = estimateWait({ ...rest, staffing: staffed(agents, sessionsEach) });
    if (estimate === null) throw new Error('staffed pool gave no estimate');
    return estimate.ms;
  };

  it('is positive and finite, and never decreases as the position grows', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 0, max: 100 }), (input, more) => {
        const ms = wait(input);
        expect(Number.isFinite(ms) && ms > 0).toBe(true);
        expect(wait(input, { position: input.position + more })).toBeGreaterThanOrEqual(ms);
      }),
    );
  });

  it('never increases as agents or seats per agent are added', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 5 }), (input, moreAgents, moreSeats) => {
        const more = wait(input, { agents: input.agents + moreAgents, sessionsEach: input.sessionsEach + moreSeats });
        expect(more).toBeLessThanOrEqual(wait(input));
      }),
    );
  });
});

describe('shouldOverflow', () => {
  const rule = { maxEstimatedWaitMs: 10 * MIN };

  it('fires only when the estimate exceeds the limit', () => {
    expect(shouldOverflow(10 * MIN, rule)).toBe(false);
    expect(shouldOverflow(10 * MIN + 1, rule)).toBe(true);
    expect(shouldOverflow(30_000, rule)).toBe(false);
  });

  it('leaves an unknown estimate alone unless the rule asks otherwise', () => {
    expect(shouldOverflow(null, rule)).toBe(false);
    expect(shouldOverflow(null, { ...rule, overflowWhenUnknown: true })).toBe(true);
    expect(shouldOverflow(Number.NaN, { ...rule, overflowWhenUnknown: true })).toBe(true);
  });
});
