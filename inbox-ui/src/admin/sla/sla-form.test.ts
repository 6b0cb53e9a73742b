import { describe, expect, it } from 'vitest';
import { blankRow, formatMoney, localInputToIso, parseMoney, previousMonth, rowMessages } from './sla-form.js';

describe('SLA section helpers', () => {
  it('reads amounts as cents and writes them back', () => {
    expect(parseMoney('$1,234,567.89')).toBe(123_456_789);
    expect(parseMoney('1000')).toBe(100_000);
    expect(parseMoney('12.5')).toBe(1250);
    expect(parseMoney('12.345')).toBeNull();
    expect(parseMoney('-3')).toBeNull();
    expect(formatMoney(123_456_789)).toBe('$1,234,567.89');
    expect(formatMoney(5)).toBe('$0.05');
  });
  it('picks the previous month across a year', () => {
    expect(previousMonth(new Date('2026-01-15T12:00:00Z'))).toBe('2025-12');
  });
  it('gives new rows a unique id and collects a row field’s problems', () => {
    expect(blankRow([{ ...blankRow([]), id: 'fila-2' }]).id).toBe('fila-3');
    const errors = { 'rows.0.target': ['debe ser ≥ 0'], 'rows.0.deduction.weightPercent': ['debe ser ≤ 100'], 'rows.1.target': ['otro'] };
    expect(rowMessages(errors, 0, 'target')).toEqual(['debe ser ≥ 0']);
    expect(rowMessages(errors, 0, 'deduction')).toEqual(['debe ser ≤ 100']);
  });
  it('turns a datetime-local value into an instant with the offset', () => {
    expect(localInputToIso('2026-03-10T10:00', '-06:00')).toBe('2026-03-10T10:00:00-06:00');
    expect(localInputToIso('2026-03-10', '-06:00')).toBeNull();
  });
});
