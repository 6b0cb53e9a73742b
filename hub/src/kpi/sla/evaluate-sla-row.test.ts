import { describe, expect, it } from 'vitest';
import { dailyAbandonment } from '../formulas/abandonment.js';
import { averageHandleTime } from '../formulas/aht.js';
import { availability } from '../formulas/availability.js';
import { serviceLevel } from '../formulas/service-level.js';
import { evaluateSlaRow } from './evaluate-sla-row.js';
import { type SlaRow, slaRowSchema } from './sla-table.schema.js';

const MIN = 60_000;
const INVOICE = 100_000_000; // $1,000,000.00

const abandonmentRow = (rounding: SlaRow['rounding']): SlaRow =>
  slaRowSchema.parse({
    id: 'abandono',
    name: 'Porcentaje de abandono',
    kpi: 'abandonment',
    target: 5,
    direction: 'lte',
    rounding,
    deduction: { kind: 'percent_of_invoice', factor: 0.5, weightPercent: 5 },
  });
// (500 − 469) / 500 × 100 = 6.2 % → 1.2 points over the 5 % target
const abandonment62 = dailyAbandonment({ received: 500, attended: 469 });

describe('evaluateSlaRow: digest §6.1 algebra', () => {
  it('T&C exact points: 1.2 × 0.5 × 5 % × $1,000,000 = $30,000 (L10211 steps 1–3)', () => {
    const result = evaluateSlaRow(abandonmentRow('exact'), abandonment62, { invoiceCents: INVOICE });
    expect(result).toMatchObject({ status: 'incumplido', measured: 6.2, pointsOut: 1.2, units: 1.2, proposedCents: 3_000_000, afterConceptCapCents: 3_000_000 });
    expect(result.trace).toContain('Importe: 1.2 × 0.5 × 5 % × $1,000,000.00 = $30,000.00');
  });

  it('full points only ("punto porcentual completo", L5635): 1 × 0.5 × 5 % = $25,000', () => {
    expect(evaluateSlaRow(abandonmentRow('full_units'), abandonment62, { invoiceCents: INVOICE }).proposedCents).toBe(2_500_000);
  });

  it('fractions rounded up (MST L6513): 2 × 0.5 × 5 % = $50,000', () => {
    expect(evaluateSlaRow(abandonmentRow('fraction_up'), abandonment62, { invoiceCents: INVOICE }).proposedCents).toBe(5_000_000);
  });

  it('met when measured is within target, with no deduction', () => {
    const result = evaluateSlaRow(abandonmentRow('exact'), dailyAbandonment({ received: 100, attended: 95 }), { invoiceCents: INVOICE });
    expect(result).toMatchObject({ status: 'cumplido', measured: 5, pointsOut: 0, proposedCents: 0 });
  });

  it('DyC service level: Monto = a × b × (c − d) × 100 (L7885) = 0.04 × $500,000 × 0.02 × 100 = $40,000', () => {
    const row = slaRowSchema.parse({
      id: 'ns-telefonia',
      name: 'Nivel de servicio telefonía',
      kpi: 'service_level',
      target: 80,
      direction: 'gte',
      rounding: 'exact',
      deduction: { kind: 'percent_of_invoice', factor: 1, weightPercent: 4 },
    });
    // 156 / 200 = 78 % (DyC divides by received)
    const measured = serviceLevel({ attendedWithinThreshold: 156, attended: 190, received: 200, thresholdMs: 20_000, denominator: 'received' });
    expect(evaluateSlaRow(row, measured, { invoiceCents: 50_000_000 }).proposedCents).toBe(4_000_000);
  });

  it('AHT per minute (OMT/CMT L5873): (5.5 − 4) min × 0.5 × 7 % × $1,000,000 = $52,500', () => {
    const row = slaRowSchema.parse({
      id: 'aht',
      name: 'AHT',
      kpi: 'aht',
      target: 4,
      direction: 'lte',
      rounding: 'exact',
      deduction: { kind: 'percent_of_invoice', factor: 0.5, weightPercent: 7 },
    });
    // 1,320,000 ms / 4 = 330,000 ms = 5.5 min
    const result = evaluateSlaRow(row, averageHandleTime({ attended: 4, talkMs: 1_320_000 }), { invoiceCents: INVOICE });
    expect(result).toMatchObject({ measured: 5.5, pointsOut: 1.5, proposedCents: 5_250_000 });
  });

  it("reproduces DIR's worked example (L10403): (99 − 98.18) × 2 = 1.64 % of $152,145 = $2,495.18", () => {
    const row = slaRowSchema.parse({
      id: 'disponibilidad-dir',
      name: 'Disponibilidad DIR',
      kpi: 'availability',
      target: 99,
      direction: 'gte',
      unitSize: 0.5,
      rounding: 'exact',
      measuredDecimals: 2,
      deduction: { kind: 'percent_of_invoice', factor: 1, weightPercent: 1 },
    });
    // (220,500 − 4,000) / 220,500 × 100 = 98.1859… → 98.18 as printed
    const measured = availability([{ startMs: 0, endMs: 220_500 * MIN }], [{ startMs: 0, endMs: 4_000 * MIN }]);
    const result = evaluateSlaRow(row, measured, { invoiceCents: 15_214_500 });
    expect(result).toMatchObject({ measured: 98.18, units: 1.64, proposedCents: 249_518 });
    // rounding half up instead would print 98.19 → (99 − 98.19) × 2 = 1.62 % → $2,464.749 → $2,464.75
    const halfUp = evaluateSlaRow({ ...row, measuredRounding: 'half_up' }, measured, { invoiceCents: 15_214_500 });
    expect(halfUp).toMatchObject({ measured: 98.19, units: 1.62, proposedCents: 246_475 });
  });

  describe('availability per tenth of a point or fraction (T&C L10244), OIC $10,000, cap 20 %', () => {
    const row = slaRowSchema.parse({
      id: 'disponibilidad',
      name: 'Disponibilidad del servicio',
      kpi: 'availability',
      target: 98.9,
      direction: 'gte',
      unitSize: 0.1,
      rounding: 'fraction_up',
      deduction: { kind: 'fixed_per_unit', amountCents: 1_000_000 },
      capPercentOfInvoice: 20,
    });
    const window = [{ startMs: 0, endMs: 18_720 * MIN }]; // 22 × 12 h + 8 × 6 h

    it('charges 2.5 blocks of 18.72 min as 3 blocks; cap not binding', () => {
      // allowance 1.1 % × 18,720 = 205.92 min; outage 252.72 min = allowance + 2.5 blocks
      // M = 98.65 %, 98.9 − 98.65 = 0.25 → 2.5 tenths → 3 × $10,000 = $30,000 ≤ 20 % × $1,000,000
      const result = evaluateSlaRow(row, availability(window, [{ startMs: 0, endMs: 252.72 * MIN }]), { invoiceCents: INVOICE });
      expect(result).toMatchObject({ units: 3, proposedCents: 3_000_000, conceptCapCents: 20_000_000, afterConceptCapCents: 3_000_000 });
    });

    it('exactly 2 blocks stays 2 despite float noise', () => {
      // 205.92 + 2 × 18.72 = 243.36 min → M = 98.7 %, 0.2 points → 2 tenths
      const result = evaluateSlaRow(row, availability(window, [{ startMs: 0, endMs: 243.36 * MIN }]), { invoiceCents: INVOICE });
      expect(result.units).toBe(2);
    });

    it('cap binding: $30,000 proposed, 20 % of a $100,000 invoice = $20,000', () => {
      const result = evaluateSlaRow(row, availability(window, [{ startMs: 0, endMs: 252.72 * MIN }]), { invoiceCents: 10_000_000 });
      expect(result).toMatchObject({ proposedCents: 3_000_000, conceptCapCents: 2_000_000, afterConceptCapCents: 2_000_000 });
      expect(result.trace.at(-1)).toBe('Tope del concepto $20,000.00 aplicado: $20,000.00');
    });
  });

  it('no traffic, no measurement and months outside the row propose nothing', () => {
    const row = abandonmentRow('exact');
    expect(evaluateSlaRow(row, dailyAbandonment({ received: 0, attended: 0 }), { invoiceCents: INVOICE })).toMatchObject({ status: 'sin_trafico', proposedCents: 0 });
    expect(evaluateSlaRow(row, undefined, { invoiceCents: INVOICE })).toMatchObject({ status: 'sin_medicion', proposedCents: 0 });
    const limited = { ...row, contractMonths: { from: 7 } };
    expect(evaluateSlaRow(limited, abandonment62, { invoiceCents: INVOICE, contractMonth: 3 })).toMatchObject({ status: 'no_aplica', proposedCents: 0 });
    expect(evaluateSlaRow(limited, abandonment62, { invoiceCents: INVOICE, contractMonth: 7 }).status).toBe('incumplido');
  });

  it('refuses a measurement of another KPI (wiring bug)', () => {
    const wrong = serviceLevel({ attendedWithinThreshold: 1, attended: 1, received: 1, thresholdMs: 20_000, denominator: 'received' });
    expect(() => evaluateSlaRow(abandonmentRow('exact'), wrong, { invoiceCents: INVOICE })).toThrow(/measures abandonment/);
  });
});
