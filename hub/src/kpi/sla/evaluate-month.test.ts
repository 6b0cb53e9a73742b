import { describe, expect, it } from 'vitest';
import { dailyAbandonment, monthlyAbandonment } from '../formulas/abandonment.js';
import { qualityScore } from '../formulas/quality.js';
import { satisfaction } from '../formulas/satisfaction.js';
import { serviceLevel } from '../formulas/service-level.js';
import { surveyTransferRate } from '../formulas/survey-transfer.js';
import { evaluateMonth } from './evaluate-month.js';
import { generalSlaTable } from './general-sla-table.js';
import { slaTableSchema } from './sla-table.schema.js';

const INVOICE = 100_000_000; // $1,000,000.00

// Monthly abandonment = mean(4 %, 8 %) = 6 % → 1 point over 5 %: 1 × 0.5 × 5 % × $1M = $25,000
const abandonment = monthlyAbandonment([
  { date: '2026-11-02', result: dailyAbandonment({ received: 100, attended: 96 }) },
  { date: '2026-11-03', result: dailyAbandonment({ received: 100, attended: 92 }) },
]);
// T&C service level by attended: 140 / 200 = 70 % → 10 points under 80 %: 10 × 0.5 × 5 % × $1M = $250,000
const sl = serviceLevel({ attendedWithinThreshold: 140, attended: 200, received: 210, thresholdMs: 20_000, denominator: 'attended' });
const measurements = {
  'abandono-m1-6': abandonment,
  'abandono-m7': abandonment,
  'tiempo-atencion': sl,
  // 160 / 200 = 80 % ≥ 75 %: met
  'transferencia-encuesta': surveyTransferRate({ transferredToSurvey: 160, attended: 200 }),
  // 12 yes of 12: met
  satisfaccion: satisfaction([{ p1: true, p2: true, p3: true, p4: true, p5: true, p6: true, p7: true, p8: true, p9: true, p10: true, p11: true, p12: true }]).overall,
  // Σ 9,600 / 100 = 96 ≥ 95: met
  calidad: qualityScore(Array.from({ length: 100 }, () => 96)),
};

describe('evaluateMonth', () => {
  it('evaluates the general T&C table in contract month 3 with the global cap not binding', () => {
    const table = slaTableSchema.parse(generalSlaTable({ campaignId: 'dyc' }));
    const evaluation = evaluateMonth({ table, month: '2026-11', contractMonth: 3, invoiceCents: INVOICE, measurements });
    const byId = Object.fromEntries(evaluation.rows.map((row) => [row.rowId, row]));
    expect(byId['abandono-m1-6']).toMatchObject({ status: 'incumplido', finalCents: 2_500_000 });
    expect(byId['abandono-m7']).toMatchObject({ status: 'no_aplica', finalCents: 0 });
    expect(byId['tiempo-atencion']).toMatchObject({ status: 'incumplido', finalCents: 25_000_000 });
    expect(byId['respuesta-chat-correo']?.status).toBe('sin_medicion');
    expect(byId['transferencia-encuesta']?.status).toBe('cumplido');
    expect(byId.satisfaccion?.status).toBe('cumplido');
    expect(byId.calidad?.status).toBe('cumplido');
    // $25,000 + $250,000 = $275,000; cap 10 % × $31,896,551.72 = $3,189,655.17
    expect(evaluation.totals).toEqual({ proposedCents: 27_500_000, afterConceptCapsCents: 27_500_000, finalCents: 27_500_000 });
    expect(evaluation.globalCap).toEqual({ capCents: 318_965_517, alreadyDeductedCents: 0, remainingCents: 318_965_517, binding: false });
    expect(evaluation.trace[2]).toContain('$3,189,655.17');
  });

  it('shares what is left of the global cap in proportion when it binds', () => {
    // cap 10 % × $10,000 = $1,000; $400 already deducted → $600 left for $275,000 proposed
    // shares: 25,000 / 275,000 × 60,000 = 5,454.54… and 250,000 / 275,000 × 60,000 = 54,545.45…
    // → floors 5,454 + 54,545 = 59,999; the larger remainder (.54…) gets the last cent → 5,455
    const table = slaTableSchema.parse(generalSlaTable({ campaignId: 'dyc', maxContractAmountWithoutIvaCents: 1_000_000 }));
    const evaluation = evaluateMonth({ table, month: '2026-11', contractMonth: 3, invoiceCents: INVOICE, measurements, alreadyDeductedCents: 40_000 });
    const byId = Object.fromEntries(evaluation.rows.map((row) => [row.rowId, row]));
    expect(evaluation.globalCap).toEqual({ capCents: 100_000, alreadyDeductedCents: 40_000, remainingCents: 60_000, binding: true });
    expect(byId['abandono-m1-6']?.finalCents).toBe(5_455);
    expect(byId['tiempo-atencion']?.finalCents).toBe(54_545);
    expect(evaluation.totals.finalCents).toBe(60_000);
    expect(byId['tiempo-atencion']?.trace.at(-1)).toContain('Tope global aplicado');
  });

  it('proposes nothing once the bond is used up', () => {
    const table = slaTableSchema.parse(generalSlaTable({ campaignId: 'dyc', maxContractAmountWithoutIvaCents: 1_000_000 }));
    const evaluation = evaluateMonth({ table, month: '2026-11', contractMonth: 3, invoiceCents: INVOICE, measurements, alreadyDeductedCents: 150_000 });
    expect(evaluation.globalCap.remainingCents).toBe(0);
    expect(evaluation.totals.finalCents).toBe(0);
  });
});
