import { describe, expect, it } from 'vitest';
import { averageHandleTime } from './aht.js';

const base = { attended: 4, talkMs: 960_000, holdMs: 120_000, afterContactWorkMs: 240_000 };

describe('averageHandleTime', () => {
  it('defaults to the contract formula: talk time / attended (L7885)', () => {
    // 960,000 ms / 4 = 240,000 ms = 4:00 (CMT target "00:04:00", L5833)
    const result = averageHandleTime(base);
    expect(result.value).toBe(240_000);
    expect(result.inputs).toMatchObject({ talkMs: 960_000, holdMs: 0, afterContactWorkMs: 0, attended: 4 });
  });

  it('adds hold for talk_hold', () => {
    // (960,000 + 120,000) / 4 = 270,000 ms
    expect(averageHandleTime({ ...base, definition: 'talk_hold' }).value).toBe(270_000);
  });

  it('adds hold and after-contact work for talk_hold_acw', () => {
    // (960,000 + 120,000 + 240,000) / 4 = 330,000 ms = 5:30
    const result = averageHandleTime({ ...base, definition: 'talk_hold_acw' });
    expect(result.value).toBe(330_000);
    expect(result.numerator).toBe(1_320_000);
  });

  it('is sin tráfico with nothing attended', () => {
    expect(averageHandleTime({ attended: 0, talkMs: 0 }).value).toBeNull();
  });
});
