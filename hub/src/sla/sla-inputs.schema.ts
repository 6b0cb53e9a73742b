import { z } from 'zod';
import { bilingual } from '../router/config/routing-problem.js';

/** HTTP bodies of the SLA routes; the SLA table itself is kpi/sla/sla-table.schema.ts. */

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
const monthMessage = bilingual('use el formato AAAA-MM (por ejemplo 2026-11)', 'use YYYY-MM, e.g. 2026-11');
export const monthSchema = z.string().regex(MONTH_PATTERN, monthMessage);

/** Contract data the monthly evaluation needs (seed-digest §6.1; defaults are the T&C's). */
export const slaContractSchema = z.strictObject({
  /** Month 1 of the contract: rows limited to contract months (abandonment 1–6 / 7+) count from here. */
  contractStartMonth: monthSchema,
  /** Maximum contract amount without IVA; the global cap is the table's percent (10 %) of it. */
  maxContractAmountWithoutIvaCents: z.number().int().positive(),
  /** Service-level Y in seconds (T&C: 20 s). */
  serviceLevelThresholdSeconds: z.number().int().min(1).max(3600).default(20),
  /** DyC divides by received (L7881), T&C by attended (L10233). */
  serviceLevelDenominator: z.enum(['received', 'attended']).default('attended'),
  /** Abandons shorter than this leave the received count (0 = none). */
  shortAbandonThresholdSeconds: z.number().int().min(0).max(600).default(0),
  ahtDefinition: z.enum(['talk', 'talk_hold', 'talk_hold_acw']).default('talk'),
  /** E-mail / chat answer limit: 13 natural hours (T&C L10233–L10234). */
  responseLimitHours: z.number().int().min(1).max(168).default(13),
});
export type SlaContract = z.output<typeof slaContractSchema>;

export const invoiceBodySchema = z.strictObject({ amountCents: z.number().int().nonnegative() });

export const outageBodySchema = z
  .strictObject({
    startedAt: z.iso.datetime({ offset: true }),
    endedAt: z.iso.datetime({ offset: true }),
    description: z.string().trim().min(3).max(500),
  })
  .refine((o) => Date.parse(o.endedAt) > Date.parse(o.startedAt), {
    message: bilingual('el fin debe ser posterior al inicio', 'end must be after start'),
    path: ['endedAt'],
  });

export const evaluationBodySchema = z.strictObject({ campaignId: z.uuid(), month: monthSchema });

export const rowDecisionSchema = z
  .strictObject({
    decision: z.enum(['accepted', 'adjusted']),
    /** The amount the admin sets for the row, in cents (only for `adjusted`). */
    finalCents: z.number().int().nonnegative().optional(),
    reason: z.string().trim().max(1000).optional(),
  })
  .refine((d) => d.decision === 'accepted' || d.finalCents !== undefined, {
    message: bilingual('indique el importe ajustado', 'give the adjusted amount'),
    path: ['finalCents'],
  })
  .refine((d) => d.decision === 'accepted' || (d.reason ?? '').length >= 5, {
    message: bilingual('el ajuste requiere un motivo (mínimo 5 caracteres)', 'an adjustment needs a reason (at least 5 characters)'),
    path: ['reason'],
  });
export type RowDecisionInput = z.output<typeof rowDecisionSchema>;

export const reportFormatSchema = z.enum(['json', 'csv', 'xlsx', 'pdf']);
