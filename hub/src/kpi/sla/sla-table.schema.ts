import { z } from 'zod';
import type { KpiId } from '../formulas/kpi-result.js';

/**
 * One campaign's SLA table (issue 9 item 3; seed digest §6.1–§6.3). Every number the contract
 * prints for a row has a field: target, direction, factor ("Deductiva"), weight ("Valor de
 * porcentaje del nivel de servicio dentro de la facturación mensual"), how fractions of a point
 * count, and the caps. Validate at the boundary (HTTP body, seed file) with `slaTableSchema`.
 */

export const SLA_KPIS = [
  'asa',
  'aht',
  'abandonment',
  'service_level',
  'occupancy_phone',
  'occupancy_chat',
  'response_within_limit',
  'survey_transfer',
  'satisfaction',
  'availability',
  'fcr',
  'quality',
] as const satisfies readonly KpiId[];

/** The unit the row's target is written in: percentages, AHT in minutes (L5635), ASA in seconds. */
export function targetUnitOf(kpi: KpiId): 'percent' | 'minutes' | 'seconds' {
  if (kpi === 'aht') return 'minutes';
  if (kpi === 'asa') return 'seconds';
  return 'percent';
}

/** Factors and weights are decimals the contract prints (0.5, 0.03, 4.0 %): at most 6 places. */
const MAX_DECIMALS = 1e6;
const decimal = (message: string) =>
  z
    .number()
    .finite()
    .nonnegative()
    .refine((value) => Math.abs(value * MAX_DECIMALS - Math.round(value * MAX_DECIMALS)) < 1e-6, message);

const percentOfInvoiceSchema = z.strictObject({
  kind: z.literal('percent_of_invoice'),
  /** "Deductiva": e.g. 0.5 per point (T&C §14). DyC rows print only a: use factor 1. */
  factor: decimal('el factor admite hasta 6 decimales / factor has at most 6 decimals'),
  /** Percent of the monthly invoice per unit × factor: 5 means 5 %. */
  weightPercent: decimal('el peso admite hasta 6 decimales / weight has at most 6 decimals').max(100),
});

const fixedPerUnitSchema = z.strictObject({
  kind: z.literal('fixed_per_unit'),
  /** E.g. OIC availability: $10,000.00 per tenth of a point → 1_000_000 cents (T&C L10244). */
  amountCents: z.number().int().nonnegative(),
});

export const slaRowSchema = z
  .strictObject({
    id: z.string().trim().min(1).max(64),
    /** User-facing, in Spanish: "Porcentaje de abandono (mes 1 a 6)". */
    name: z.string().trim().min(1).max(200),
    kpi: z.enum(SLA_KPIS),
    /** In targetUnitOf(kpi): 80 means 80 %; AHT 4 means 4 minutes. */
    target: z.number().finite().nonnegative(),
    /** gte: measured must be ≥ target (service level, availability…); lte: ≤ (abandonment, AHT). */
    direction: z.enum(['gte', 'lte']),
    /** Points (or minutes) per deduction unit: 1 per point, 0.1 per tenth (L10244), 0.5 per half point (DIR L10403). */
    unitSize: z.number().finite().positive().default(1),
    /**
     * How a fraction of a unit counts: `exact` (the T&C formula uses the raw difference; DIR's
     * worked example charges 1.64 units, L10403), `full_units` ("por cada punto porcentual
     * completo", OMT L5635, CMT L5873) or `fraction_up` ("se redondeará al número inmediato
     * superior", MST L6513; "bloque o fracción", L10244).
     */
    rounding: z.enum(['exact', 'full_units', 'fraction_up']),
    deduction: z.discriminatedUnion('kind', [percentOfInvoiceSchema, fixedPerUnitSchema]),
    /** Per-concept cap as % of the monthly invoice (e.g. "20 %" rows of T&C §14). */
    capPercentOfInvoice: z.number().finite().min(0).max(100).optional(),
    /** Per-concept cap in cents. When both caps are set the lower one binds. */
    capCents: z.number().int().nonnegative().optional(),
    /** Cut the measured value to n decimals first, as printed reports do (DIR example: 98.18). */
    measuredDecimals: z.number().int().min(0).max(6).optional(),
    /**
     * How `measuredDecimals` cuts: DIR's worked example truncates (216,500 / 220,500 = 98.1859… is
     * printed 98.18, L10403), so `truncate` is the default; `half_up` for campaigns that round.
     */
    measuredRounding: z.enum(['truncate', 'half_up']).default('truncate'),
    /** Contract months (1-based) in which the row applies: abandonment months 1–6 vs 7+ (T&C §14). */
    contractMonths: z.strictObject({ from: z.number().int().min(1), to: z.number().int().min(1).optional() }).optional(),
    seedRef: z.string().max(200).optional(),
  })
  .refine((row) => !row.contractMonths || row.contractMonths.to === undefined || row.contractMonths.to >= row.contractMonths.from, {
    message: 'contractMonths.to debe ser ≥ from / contractMonths.to must be ≥ from',
    path: ['contractMonths'],
  });

export const slaTableSchema = z.strictObject({
  campaignId: z.string().trim().min(1),
  rows: z
    .array(slaRowSchema)
    .min(1)
    .refine((rows) => new Set(rows.map((row) => row.id)).size === rows.length, 'los id de fila deben ser únicos / row ids must be unique'),
  /**
   * Total deductions may not exceed the performance bond: 10 % of the contract's maximum amount
   * without IVA (contract L420, L483; T&C L10176, L10196). For P9M0303: $37,000,000.00 with IVA
   * / 1.16 = $31,896,551.72 → 3_189_655_172 cents.
   */
  globalCap: z.strictObject({
    maxContractAmountWithoutIvaCents: z.number().int().positive(),
    percent: z.number().finite().positive().max(100).default(10),
  }),
});

export type SlaRow = z.output<typeof slaRowSchema>;
export type SlaRowInput = z.input<typeof slaRowSchema>;
export type SlaTable = z.output<typeof slaTableSchema>;
export type SlaTableInput = z.input<typeof slaTableSchema>;
