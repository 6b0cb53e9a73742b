import { describe, expect, it } from 'vitest';
import { allocateProportionally, fixedPerUnitCents, formatCents, percentOfCentsFloor, percentOfInvoiceCents } from './money.js';

describe('integer-cent deduction money', () => {
  it('multiplies units × factor × weight % × invoice exactly', () => {
    // 1.2 × 0.5 × 5 % × $1,000,000.00 = $30,000.00
    expect(percentOfInvoiceCents(1.2, 0.5, 5, 100_000_000)).toBe(3_000_000);
    // 0.1 × 0.3 × 3 % × $0.01 … rounds to 0 cents; 1 × 0.03 × 5 % × $1,234.57 = $1.851855 → $1.85
    expect(percentOfInvoiceCents(0.1, 0.3, 3, 1)).toBe(0);
    expect(percentOfInvoiceCents(1, 0.03, 5, 123_457)).toBe(185);
  });

  it('rounds half a cent up', () => {
    // 0.5 × 1 cent = 0.5 → 1; 1.5 × 1 % × 100 cents ... = 1.5 → 2
    expect(fixedPerUnitCents(0.5, 1)).toBe(1);
    expect(percentOfInvoiceCents(1.5, 1, 1, 100)).toBe(2);
    expect(fixedPerUnitCents(0.49, 1)).toBe(0);
  });

  it('floors caps so rounding never exceeds them', () => {
    // 10 % of $31,896,551.72 = $3,189,655.172 → $3,189,655.17
    expect(percentOfCentsFloor(3_189_655_172, 10)).toBe(318_965_517);
    expect(percentOfCentsFloor(999, 20)).toBe(199); // 199.8 → 199
  });

  it('splits an amount proportionally to the cent', () => {
    expect(allocateProportionally(60_000, [3_000_000, 1_000_000])).toEqual([45_000, 15_000]);
    expect(allocateProportionally(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(allocateProportionally(10, [0, 0])).toEqual([0, 0]);
  });

  it('formats pesos', () => {
    expect(formatCents(318_965_517)).toBe('$3,189,655.17');
    expect(formatCents(5)).toBe('$0.05');
  });

  it('rejects float or negative cents', () => {
    expect(() => fixedPerUnitCents(1, 1.5)).toThrow(RangeError);
    expect(() => percentOfInvoiceCents(-1, 1, 1, 1)).toThrow(RangeError);
  });
});
