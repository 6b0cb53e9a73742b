import { assertCounts, type KpiResult, ratioResult } from './kpi-result.js';

export interface FcrInput {
  /** Cases closed as resolved with no further contact from the citizen on the same matter. */
  readonly resolvedOnFirstContact: number;
  /** Cases whose first contact fell in the period. */
  readonly cases: number;
}

/**
 * First-contact resolution = resueltas en el primer contacto / casos × 100. The seed asks for FCR
 * reports (weekly L3335, DyC L7766; CMT biweekly) without printing a formula; this is the usual
 * COPC one (the contract cites COPC, glossary L11421), over cases rather than contacts so that a
 * repeat contact lowers the figure.
 */
export function firstContactResolution(input: FcrInput): KpiResult {
  assertCounts({ ...input });
  if (input.resolvedOnFirstContact > input.cases) throw new RangeError('resolvedOnFirstContact exceeds cases');
  return ratioResult({
    kpi: 'fcr',
    unit: 'percent',
    numerator: input.resolvedOnFirstContact,
    denominator: input.cases,
    scale: 100,
    formula: 'casos resueltos en el primer contacto / casos × 100',
    seedRef: 'S003 L3335, L7766 (reporte FCR; fórmula no impresa)',
    inputs: { ...input },
    arithmetic: `${input.resolvedOnFirstContact} / ${input.cases}`,
  });
}
