import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type WaitDisplay, displayWait, formatMinutes } from './wait-display.js';

const MIN = 60_000;
const asMinutes = (display: WaitDisplay): number =>
  display.kind === 'minutes' ? display.minutes : display.kind === 'under_minute' ? 0.5 : Number.NaN;

describe('displayWait', () => {
  it('rounds up to whole minutes, under a minute says so, unknown stays unknown', () => {
    expect(displayWait(4.5 * MIN)).toEqual({ kind: 'minutes', minutes: 5 });
    expect(displayWait(2 * MIN)).toEqual({ kind: 'minutes', minutes: 2 });
    expect(displayWait(MIN)).toEqual({ kind: 'minutes', minutes: 1 });
    expect(displayWait(59_999)).toEqual({ kind: 'under_minute' });
    expect(displayWait(0)).toEqual({ kind: 'under_minute' });
    expect(displayWait(null)).toEqual({ kind: 'unknown' });
    expect(displayWait(Number.NaN)).toEqual({ kind: 'unknown' });
  });

  it('rounds waits over an hour up to the quarter hour', () => {
    expect(displayWait(60 * MIN)).toEqual({ kind: 'minutes', minutes: 60 });
    expect(displayWait(60 * MIN + 1)).toEqual({ kind: 'minutes', minutes: 75 });
    expect(displayWait(13 * 60 * MIN)).toEqual({ kind: 'minutes', minutes: 780 });
  });

  it('never shows less as the estimate grows', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 48 * 60 * MIN, noNaN: true }), fc.double({ min: 0, max: 60 * MIN, noNaN: true }), (ms, more) => {
        expect(asMinutes(displayWait(ms + more))).toBeGreaterThanOrEqual(asMinutes(displayWait(ms)));
      }),
    );
  });
});

describe('formatMinutes', () => {
  it('writes minutes, then hours and minutes', () => {
    expect(formatMinutes(5)).toBe('5 min');
    expect(formatMinutes(60)).toBe('1 h');
    expect(formatMinutes(75)).toBe('1 h 15 min');
  });
});
