import { describe, expect, it } from 'vitest';
import { computeStatement } from '../../../hub/src/billing/statement/compute-statement.js';
import type { SlaDeductionInput } from '../../../hub/src/billing/statement/statement-input.js';
import { CONCEPTS, psIVoice, rateCard, statementInput, usage } from './statement-fixtures.js';

function sla(evaluationId: string, status: SlaDeductionInput['status'], amountCents: number, conceptCode: string | null = null): SlaDeductionInput {
  return { evaluationId, status, amountCents, conceptCode, description: `SLA ${evaluationId}` };
}

// 780,000 ms of PS-I voice → 13 min × 238 = 3,094 ¢; help desk 2,028,578 ¢ → subtotal 2,031,672 ¢.
const PS_I_13_MIN = psIVoice(780_000);

describe('SLA deductions: only validated ones are applied (issue 10 item 6)', () => {
  it('validated applies; proposed and not evaluated are shown at 0; IVA 16 % on what is left', () => {
    const statement = computeStatement(
      statementInput({ usage: [PS_I_13_MIN], slaDeductions: [sla('e2', 'proposed', 7000), sla('e3', 'not_evaluated', 3000), sla('e1', 'validated', 5000)] }),
    );
    expect(statement.deductions.map((d) => [d.evaluationId, d.status, d.proposedCents, d.appliedCents])).toEqual([
      ['e1', 'validated', 5000, 5000],
      ['e2', 'proposed', 7000, 0],
      ['e3', 'not_evaluated', 3000, 0],
    ]);
    expect(statement.deductions[0]?.trace).toContain('sin monto máximo del contrato: sin tope global');
    expect(statement.deductions[1]?.trace).toContain('en espera de validación');
    expect(statement.deductions[2]?.trace).toContain('no evaluada');
    // subtotal 3,094 + 2,028,578 = 2,031,672; taxable 2,031,672 − 5,000 = 2,026,672;
    // IVA 2,026,672 × 16 / 100 = 324,267.52 → 324,268; total 2,026,672 + 324,268 = 2,350,940.
    expect(statement).toMatchObject({ subtotalCents: 2_031_672, deductionsCents: 5000, penaltiesCents: 0, taxableCents: 2_026_672, ivaPct: 16, ivaCents: 324_268, totalCents: 2_350_940 });
  });

  it('IVA rounds half up to the cent: 2,028,578 × 16 % = 324,572.48 → 324,572', () => {
    // Only the help desk: taxable 2,028,578; total 2,028,578 + 324,572 = 2,353,150.
    const statement = computeStatement(statementInput());
    expect(statement).toMatchObject({ subtotalCents: 2_028_578, taxableCents: 2_028_578, ivaCents: 324_572, totalCents: 2_353_150 });
  });

  it('the taxable base never goes below 0', () => {
    // 2,028,578 − 3,000,000 < 0 → taxable 0, IVA 0, total 0 (no maximum → no global cap).
    const statement = computeStatement(statementInput({ slaDeductions: [sla('e1', 'validated', 3_000_000)] }));
    expect(statement).toMatchObject({ deductionsCents: 3_000_000, taxableCents: 0, ivaCents: 0, totalCents: 0 });
  });
});

describe('caps', () => {
  it('per concept: 20 % of the concept’s amount, shared by its deductions in evaluation order', () => {
    // ps_i_inbound amount 3,094 ¢ → cap 20 % = 618.8 → 618 ¢ (a cap is floored).
    // e1 500 → 500 (118 left); e2 300 → 118, cut 182. Given in reverse order: sorted by evaluation id.
    const statement = computeStatement(
      statementInput({ usage: [PS_I_13_MIN], slaDeductions: [sla('e2', 'validated', 300, 'ps_i_inbound'), sla('e1', 'validated', 500, 'ps_i_inbound')] }),
    );
    expect(statement.deductions.map((d) => [d.evaluationId, d.appliedCents])).toEqual([
      ['e1', 500],
      ['e2', 118],
    ]);
    expect(statement.deductions[1]?.trace).toContain('tope del concepto ps_i_inbound: 20 % de $30.94 = $6.18, disponible $1.18 → recorta $1.82');
    expect(statement.deductionsCents).toBe(618);
  });

  it('a concept without a cap, or unknown, does not cap', () => {
    // ps_p has no deductionCapPct: 9,999 ¢ applies in full; 'nada' is not on the card: 1 ¢ applies.
    const statement = computeStatement(statementInput({ slaDeductions: [sla('e1', 'validated', 9999, 'ps_p'), sla('e2', 'validated', 1, 'nada')] }));
    expect(statement.deductions.map((d) => d.appliedCents)).toEqual([9999, 1]);
    expect(statement.deductions[1]?.trace).toContain('el concepto nada no está en la tarifa');
  });

  it('global: 10 % of the maximum, shared with earlier months, deductions and penalties separately', () => {
    // Maximum 100,000 ¢ → cap 10 % = 10,000 ¢ each for deductions and penalties.
    // Deductions: 9,000 applied before → 1,000 left; e1 700 → 700; e2 600 → 300 (cut 300).
    // Penalties: 9,500 applied before → 500 left; p1 2 days × 150 = 300 → 300; p2 3 h × 100 = 300 → 200 (cut 100).
    const statement = computeStatement(
      statementInput({
        maxContractAmountCents: 100_000,
        previouslyAppliedDeductionsCents: 9_000,
        previouslyAppliedPenaltiesCents: 9_500,
        slaDeductions: [sla('e1', 'validated', 700), sla('e2', 'validated', 600)],
        penalties: [
          { id: 'p2', description: 'Cambio tardío', kind: 'per_hour', units: 3, amountPerUnitCents: 100 },
          { id: 'p1', description: 'Reporte tardío', kind: 'per_day', units: 2, amountPerUnitCents: 150 },
        ],
      }),
    );
    expect(statement.deductions.map((d) => d.appliedCents)).toEqual([700, 300]);
    expect(statement.deductions[1]?.trace).toContain('tope global de deducciones: 10 % de $1,000.00 = $100.00, aplicado en meses anteriores $90.00, disponible $3.00 → recorta $3.00');
    expect(statement.penalties.map((p) => [p.id, p.proposedCents, p.appliedCents])).toEqual([
      ['p1', 300, 300],
      ['p2', 300, 200],
    ]);
    expect(statement.penalties[1]?.trace).toContain('3 horas × $1.00 = $3.00');
    expect(statement).toMatchObject({ deductionsCents: 1000, penaltiesCents: 500 });
    // taxable 2,028,578 − 1,000 − 500 = 2,027,078; IVA × 0.16 = 324,332.48 → 324,332.
    expect(statement).toMatchObject({ taxableCents: 2_027_078, ivaCents: 324_332, totalCents: 2_351_410 });
  });

  it('earlier months past the cap leave nothing (never negative)', () => {
    // 10,000 cap − 12,000 before → max(0, −2,000) = 0 left.
    const statement = computeStatement(
      statementInput({ maxContractAmountCents: 100_000, previouslyAppliedDeductionsCents: 12_000, slaDeductions: [sla('e1', 'validated', 700)] }),
    );
    expect(statement.deductions[0]).toMatchObject({ proposedCents: 700, appliedCents: 0 });
    expect(statement.deductionsCents).toBe(0);
  });
});

describe('bot repeated wrong answers (seed-digest §5.4: the cost of 5 interactions each)', () => {
  it('2 repetitions × 5 × $11.15 = $111.50, within the bot concept’s 20 % cap', () => {
    // Bot usage 100 events × 1,115 = 111,500 ¢ → cap 20 % = 22,300 ¢ ≥ 2 × 5 × 1,115 = 11,150 ¢.
    const statement = computeStatement(statementInput({ usage: [usage({ meter: 'bot_event', items: 100, weightedPct: 10_000 })], botRepeatedWrong: 2 }));
    expect(statement.deductions).toHaveLength(1);
    expect(statement.deductions[0]).toMatchObject({ source: 'bot_repeated_wrong', status: 'validated', conceptCode: 'bot_a', proposedCents: 11_150, appliedCents: 11_150 });
    expect(statement.deductions[0]?.trace).toContain('2 × 5 × $11.15 (bot_a) = $111.50');
  });

  it('no bot_event concept on the card → no deduction, and the trace says so', () => {
    const card = rateCard({ concepts: Object.values(CONCEPTS).filter((c) => c.code !== 'bot_a') });
    const statement = computeStatement(statementInput({ botRepeatedWrong: 3 }, card));
    expect(statement.deductions[0]).toMatchObject({ source: 'bot_repeated_wrong', proposedCents: 0, appliedCents: 0, conceptCode: null });
    expect(statement.deductions[0]?.trace).toContain('no tiene concepto de agente virtual');
    expect(statement.deductionsCents).toBe(0);
  });
});

describe('penalties', () => {
  it('penalties with fractional units round the proposed amount half up', () => {
    // 1.5 h × 333 ¢ = 499.5 → 500 ¢; no maximum → no global cap.
    const statement = computeStatement(statementInput({ penalties: [{ id: 'p1', description: 'Falla', kind: 'per_hour', units: 1.5, amountPerUnitCents: 333 }] }));
    expect(statement.penalties[0]).toMatchObject({ proposedCents: 500, appliedCents: 500 });
    expect(statement.penalties[0]?.trace).toContain('sin monto máximo del contrato: sin tope global de penalizaciones');
  });
});
