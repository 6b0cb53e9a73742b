import { z } from 'zod';
import { bilingual } from '../../router/config/routing-problem.js';
import { monthSchema } from '../../sla/sla-inputs.schema.js';
import { USAGE_METERS } from '../billing.contract.js';
import { CONCEPT_CODE_PATTERN } from '../rate-card/rate-card.schema.js';

/** Params, query strings and bodies of the statement and usage routes (messages Spanish first). */

export { monthSchema };

export const campaignParams = z.object({ campaignId: z.uuid(bilingual('la campaña debe ser un UUID', 'the campaign must be a UUID')) });
export const statementParams = campaignParams.extend({ month: monthSchema });
export const lineParams = statementParams.extend({
  conceptCode: z.string().regex(CONCEPT_CODE_PATTERN, bilingual('la clave del concepto usa de 2 a 40 caracteres a-z, 0-9 o _', 'the concept code must be 2–40 characters a-z, 0-9 or _')),
});

export const STATEMENT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export const exportQuery = z.object({
  format: z.enum(STATEMENT_FORMATS, { error: bilingual('el formato debe ser csv, xlsx o pdf', 'format must be csv, xlsx or pdf') }),
});

/** A fact id from a previous page (bigserial). */
const afterSchema = z
  .string()
  .regex(/^\d{1,19}$/, bilingual('«after» es el id del último hecho de la página anterior', '«after» is the last fact id of the previous page'))
  .optional()
  .describe('Id del último hecho de la página anterior / last fact id of the previous page');

const limitSchema = (max: number, fallback: number) =>
  z.coerce
    .number()
    .int(bilingual('«limit» debe ser un número entero', '«limit» must be a whole number'))
    .min(1, bilingual(`«limit» va de 1 a ${max}`, `«limit» is 1 to ${max}`))
    .max(max, bilingual(`«limit» va de 1 a ${max}`, `«limit» is 1 to ${max}`))
    .default(fallback);

export const lineFactsQuery = z.object({
  usageMonth: monthSchema.optional().describe('Mes de los hechos: el del estado de cuenta, o el mes cerrado de un ajuste / the facts’ month'),
  limit: limitSchema(1000, 100),
  after: afterSchema,
});
export const lineFactsCsvQuery = lineFactsQuery.omit({ limit: true, after: true });

export const usageQuery = z.object({
  month: monthSchema,
  meter: z.enum(USAGE_METERS, { error: bilingual(`medidor desconocido; use: ${USAGE_METERS.join(', ')}`, `unknown meter; use: ${USAGE_METERS.join(', ')}`) }).optional(),
  folio: z.string().trim().min(1).max(64).optional(),
  limit: limitSchema(1000, 100),
  after: afterSchema,
});

export const recomputeBody = z.strictObject({ month: monthSchema });
