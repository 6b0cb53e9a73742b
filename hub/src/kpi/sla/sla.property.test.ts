import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dailyAbandonment } from '../formulas/abandonment.js';
import { evaluateMonth } from './evaluate-month.js';
import { evaluateSlaRow } from './evaluate-sla-row.js';
import { type SlaRow, slaRowSchema, slaTableSchema } from './sla-table.schema.js';

const rowArb = fc
  .record({
    target: fc.integer({ min: 0, max: 20 }),
    unitSize: fc.constantFrom(1, 0.5, 0.1),
    rounding: fc.constantFrom('exact' as const, 'full_units' as const, 'fraction_up' as const),
    factor: fc.constantFrom(0.2, 0.3, 0.5, 0.6, 1),
    weightPercent: fc.constantFrom(2, 3, 4, 5, 6, 7, 8),
    capPercentOfInvoice: fc.option(fc.constantFrom(5, 10, 20), { nil: undefined }),
    capCents: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: undefined }),
  })
  .map(
    (r): SlaRow =>
      slaRowSchema.parse({
        id: 'abandono',
        name: 'Porcentaje de abandono',
        kpi: 'abandonment',
        direction: 'lte',
        target: r.target,
        unitSize: r.unitSize,
        rounding: r.rounding,
        deduction: { kind: 'percent_of_invoice', factor: r.factor, weightPercent: r.weightPercent },
        ...(r.capPercentOfInvoice === undefined ? {} : { capPercentOfInvoice: r.capPercentOfInvoice }),
        ...(r.capCents === undefined ? {} : { capCents: r.capCents }),
      }),
  );
const trafficArb = fc.integer({ min: 1, max: 1_000 }).chain((received) => fc.record({ received: fc.constant(received), attended: fc.integer({ min: 0, max: received }) }));
const invoiceArb = fc.integer({ min: 0, max: 1_000_000_000 });

describe('SLA evaluation properties', () => {
  it('a deduction never exceeds its concept cap, and is an integer number of cents', () => {
    fc.assert(
      fc.property(rowArb, trafficArb, invoiceArb, (row, traffic, invoiceCents) => {
        const result = evaluateSlaRow(row, dailyAbandonment(traffic), { invoiceCents });
        expect(Number.isSafeInteger(result.afterConceptCapCents)).toBe(true);
        expect(result.afterConceptCapCents).toBeLessThanOrEqual(result.proposedCents);
        if (result.conceptCapCents !== null) expect(result.afterConceptCapCents).toBeLessThanOrEqual(result.conceptCapCents);
        if (result.status === 'cumplido') expect(result.proposedCents).toBe(0);
      }),
    );
  });

  it('full units ≤ exact ≤ fraction up', () => {
    fc.assert(
      fc.property(rowArb, trafficArb, invoiceArb, (row, traffic, invoiceCents) => {
        const measured = dailyAbandonment(traffic);
        const amount = (rounding: SlaRow['rounding']): number => evaluateSlaRow({ ...row, rounding }, measured, { invoiceCents }).proposedCents;
        expect(amount('full_units')).toBeLessThanOrEqual(amount('exact'));
        expect(amount('exact')).toBeLessThanOrEqual(amount('fraction_up'));
      }),
    );
  });

  it('more abandonment never lowers the deduction', () => {
    fc.assert(
      fc.property(rowArb, trafficArb, fc.integer({ min: 0, max: 1_000 }), invoiceArb, (row, traffic, fewer, invoiceCents) => {
        const worse = { received: traffic.received, attended: Math.max(0, traffic.attended - fewer) };
        const before = evaluateSlaRow(row, dailyAbandonment(traffic), { invoiceCents }).afterConceptCapCents;
        const after = evaluateSlaRow(row, dailyAbandonment(worse), { invoiceCents }).afterConceptCapCents;
        expect(after).toBeGreaterThanOrEqual(before);
      }),
    );
  });

  it('the month total never exceeds what is left of the global cap, and never grows a row', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(rowArb, trafficArb), { minLength: 1, maxLength: 6 }),
        invoiceArb,
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.integer({ min: 0, max: 20_000_000 }),
        (rows, invoiceCents, maxContract, already) => {
          const table = slaTableSchema.parse({
            campaignId: 'c',
            rows: rows.map(([row], i) => ({ ...row, id: `r${i}` })),
            globalCap: { maxContractAmountWithoutIvaCents: maxContract },
          });
          const measurements = Object.fromEntries(rows.map(([, traffic], i) => [`r${i}`, dailyAbandonment(traffic)]));
          const evaluation = evaluateMonth({ table, month: '2026-11', invoiceCents, measurements, alreadyDeductedCents: already });
          const expectedTotal = Math.min(evaluation.totals.afterConceptCapsCents, evaluation.globalCap.remainingCents);
          expect(evaluation.totals.finalCents).toBe(expectedTotal);
          for (const row of evaluation.rows) {
            expect(row.finalCents).toBeLessThanOrEqual(row.afterConceptCapCents);
            expect(row.finalCents).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });
});
