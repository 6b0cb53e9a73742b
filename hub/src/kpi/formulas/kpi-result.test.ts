import { describe, expect, it } from 'vitest';
import { formatValue, ratioResult, roundHalfUp } from './kpi-result.js';

describe('roundHalfUp / formatValue: contract figures print exact halves up', () => {
  it('rounds ties away from zero where toFixed rounds the binary value down', () => {
    // toFixed gives 1.85, 2.67 and 0.13 / 1.00 here: the binary values are just below or above the tie.
    expect(roundHalfUp(1.855, 2)).toBe('1.86');
    expect(roundHalfUp(2.675, 2)).toBe('2.68');
    expect(roundHalfUp(0.125, 2)).toBe('0.13');
    expect(roundHalfUp(1.005, 2)).toBe('1.01');
    expect(roundHalfUp(-1.855, 2)).toBe('-1.86');
    expect(roundHalfUp(-2.675, 2)).toBe('-2.68');
    expect(roundHalfUp(0, 2)).toBe('0.00');
    expect(roundHalfUp(-0.001, 2)).toBe('0.00');
  });

  it('does not round what is below the tie, and carries across digits', () => {
    expect(roundHalfUp(1.854999, 2)).toBe('1.85');
    expect(roundHalfUp(9.995, 2)).toBe('10.00');
    expect(roundHalfUp(99.999, 2)).toBe('100.00');
    expect(roundHalfUp(0.05, 1)).toBe('0.1');
    expect(roundHalfUp(2.5, 0)).toBe('3');
    expect(roundHalfUp(1234567.125, 2)).toBe('1234567.13');
    expect(roundHalfUp(1234567.124, 2)).toBe('1234567.12');
    expect(roundHalfUp(1234567.1251, 2)).toBe('1234567.13');
    expect(roundHalfUp(33.333333333333336, 2)).toBe('33.33');
    expect(roundHalfUp(1e15, 2)).toBe('1000000000000000.00');
  });

  it('absorbs the binary noise of the arithmetic that produced a tie', () => {
    // 29 / 800 × 100 = 3.625 on paper, 3.6249999999999996 in binary (as ratioResult computes it).
    const computed = (29 / 800) * 100;
    expect(computed.toFixed(2)).toBe('3.62');
    expect(roundHalfUp(computed, 2)).toBe('3.63');
    const result = ratioResult({ kpi: 'fcr', unit: 'percent', numerator: 29, denominator: 800, scale: 100, formula: 'x', seedRef: 'y', inputs: {}, arithmetic: '29 / 800' });
    expect(result.explanation).toBe('29 / 800 × 100 = 3.63 %');
  });

  it('formats percentages and durations, and the explanation shows the half-up figure', () => {
    expect(formatValue(1.855, 'percent')).toBe('1.86 %');
    expect(formatValue(12_345.5, 'ms')).toBe('12346 ms (12.3 s)');
    expect(formatValue(2_250, 'ms')).toBe('2250 ms (2.3 s)');
    // 371 / 20000 × 100 = 1.855 exactly on paper.
    const result = ratioResult({ kpi: 'abandonment', unit: 'percent', numerator: 371, denominator: 20_000, scale: 100, formula: 'x', seedRef: 'y', inputs: {}, arithmetic: '371 / 20000' });
    expect(result.explanation).toBe('371 / 20000 × 100 = 1.86 %');
  });
});
