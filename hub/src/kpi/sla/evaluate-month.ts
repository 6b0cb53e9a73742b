import type { KpiResult } from '../formulas/kpi-result.js';
import { evaluateSlaRow, type SlaRowEvaluation } from './evaluate-sla-row.js';
import { allocateProportionally, formatCents, percentOfCentsFloor } from './money.js';
import type { SlaTable } from './sla-table.schema.js';

export interface MonthlyEvaluationInput {
  /** A table already parsed with slaTableSchema. */
  readonly table: SlaTable;
  /** Local month `YYYY-MM` (America/Mexico_City unless the campaign says otherwise). */
  readonly month: string;
  /** 1-based month of the contract, for rows limited to contract months (T&C §14). */
  readonly contractMonth?: number;
  /** The campaign's monthly invoice the percentages apply to, in cents. */
  readonly invoiceCents: number;
  /** Measured KPI per row id (monthly figure: abandonment already the mean of dailies). */
  readonly measurements: Readonly<Record<string, KpiResult | null | undefined>>;
  /** Deductions already applied in earlier months, which use up the same global cap. */
  readonly alreadyDeductedCents?: number;
}

export interface EvaluatedRow extends SlaRowEvaluation {
  /** After the global cap; this is the proposed deduction the admin validates. */
  readonly finalCents: number;
}

export interface MonthlySlaEvaluation {
  readonly campaignId: string;
  readonly month: string;
  readonly invoiceCents: number;
  readonly rows: readonly EvaluatedRow[];
  readonly totals: { readonly proposedCents: number; readonly afterConceptCapsCents: number; readonly finalCents: number };
  readonly globalCap: {
    readonly capCents: number;
    readonly alreadyDeductedCents: number;
    readonly remainingCents: number;
    readonly binding: boolean;
  };
  readonly trace: readonly string[];
}

/**
 * The month's SLA evaluation (issue 9 item 3): each row measured, met or missed, its deduction by
 * the digest §6.1 algebra, the per-concept cap, then the global cap (the performance bond, 10 %
 * of the maximum contract amount without IVA, shared with earlier months). When the global cap
 * binds, what is left of it is shared among the rows in proportion to their amounts (largest
 * remainder to the cent), so no single concept absorbs the whole cut.
 */
export function evaluateMonth(input: MonthlyEvaluationInput): MonthlySlaEvaluation {
  const already = input.alreadyDeductedCents ?? 0;
  if (!Number.isSafeInteger(input.invoiceCents) || input.invoiceCents < 0) throw new RangeError('invoiceCents must be an integer ≥ 0');
  if (!Number.isSafeInteger(already) || already < 0) throw new RangeError('alreadyDeductedCents must be an integer ≥ 0');

  const evaluated = input.table.rows.map((row) =>
    evaluateSlaRow(row, input.measurements[row.id], {
      invoiceCents: input.invoiceCents,
      ...(input.contractMonth === undefined ? {} : { contractMonth: input.contractMonth }),
    }),
  );
  const proposedCents = evaluated.reduce((sum, row) => sum + row.proposedCents, 0);
  const afterConceptCapsCents = evaluated.reduce((sum, row) => sum + row.afterConceptCapCents, 0);
  const { maxContractAmountWithoutIvaCents, percent } = input.table.globalCap;
  const capCents = percentOfCentsFloor(maxContractAmountWithoutIvaCents, percent);
  const remainingCents = Math.max(0, capCents - already);
  const binding = afterConceptCapsCents > remainingCents;
  const finals = binding ? allocateProportionally(remainingCents, evaluated.map((row) => row.afterConceptCapCents)) : evaluated.map((row) => row.afterConceptCapCents);
  const rows = evaluated.map((row, index) => {
    const finalCents = finals[index] ?? 0;
    const trace = binding && row.afterConceptCapCents > 0 ? [...row.trace, `Tope global aplicado (reparto proporcional): ${formatCents(finalCents)}`] : row.trace;
    return { ...row, trace, finalCents };
  });
  const finalCents = rows.reduce((sum, row) => sum + row.finalCents, 0);
  const trace = [
    `Factura mensual: ${formatCents(input.invoiceCents)}`,
    `Deductivas propuestas: ${formatCents(proposedCents)}; después de topes por concepto: ${formatCents(afterConceptCapsCents)}`,
    `Tope global (garantía de cumplimiento): ${percent} % × ${formatCents(maxContractAmountWithoutIvaCents)} sin IVA = ${formatCents(capCents)}; ya aplicado: ${formatCents(already)}; disponible: ${formatCents(remainingCents)}`,
    binding ? `El tope global limita el total a ${formatCents(finalCents)}.` : `Tope global no alcanzado; total: ${formatCents(finalCents)}.`,
  ];
  return {
    campaignId: input.table.campaignId,
    month: input.month,
    invoiceCents: input.invoiceCents,
    rows,
    totals: { proposedCents, afterConceptCapsCents, finalCents },
    globalCap: { capCents, alreadyDeductedCents: already, remainingCents, binding },
    trace,
  };
}
