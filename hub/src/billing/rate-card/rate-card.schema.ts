import { z } from 'zod';
import { AGENT_STATES } from '../../router/core/router.types.js';
import { bilingual } from '../../router/config/routing-problem.js';
import { parseOrThrow, problemsOf, slaErrorMap, type SlaProblem } from '../../sla/sla-problems.js';
import { BILLING_UNITS, TIME_METERS, TIME_UNITS, USAGE_METERS, type RateCard } from '../billing.contract.js';

/**
 * A campaign's rate card as the admin types it (issue 10 item 1; seed-digest §5.1–§5.5, §5.7).
 * Output assignable to `RateCard`; stored as billing_rate_cards.definition. Messages are Spanish
 * first; range and type messages nobody words here come from `slaErrorMap` (parseRateCard).
 */

export const CONCEPT_CODE_PATTERN = /^[a-z0-9_]{2,40}$/;
const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Agent states that can be billed: every router state but `offline` (auto-logout stops billing, §5.2). */
export const BILLABLE_AGENT_STATES = AGENT_STATES.filter((s): s is Exclude<(typeof AGENT_STATES)[number], 'offline'> => s !== 'offline');

/** The occupancy bands of the contract (L162–L175): ≥ 70 → 100 %, ≥ 60 → 90 %, ≥ 50 → 80 %, else 70 %. */
export const CONTRACT_OCCUPANCY_BANDS = [
  { minPct: 70, tariffPct: 100 },
  { minPct: 60, tariffPct: 90 },
  { minPct: 50, tariffPct: 80 },
  { minPct: 0, tariffPct: 70 },
] as const;

const pct = (field: string, fieldEn: string) =>
  z
    .number(bilingual(`${field} debe ser un número`, `${fieldEn} must be a number`))
    .finite()
    .min(0, bilingual(`${field} debe estar entre 0 y 100`, `${fieldEn} must be between 0 and 100`))
    .max(100, bilingual(`${field} debe estar entre 0 y 100`, `${fieldEn} must be between 0 and 100`));

const quantity = (field: string, fieldEn: string) =>
  z
    .number()
    .int(bilingual(`${field} debe ser un número entero`, `${fieldEn} must be a whole number`))
    .min(0, bilingual(`${field} debe ser ≥ 0`, `${fieldEn} must be ≥ 0`))
    .max(1_000_000_000_000, bilingual(`${field} admite hasta 1,000,000,000,000`, `${fieldEn} must be at most 1,000,000,000,000`));

export const usageSelectorSchema = z.strictObject({
  meter: z.enum(USAGE_METERS),
  seatType: z.enum(['PS-I', 'PS-P']).optional(),
  tier: z.union([z.literal(1), z.literal(2)], { error: bilingual('el nivel debe ser 1 o 2', 'tier must be 1 or 2') }).optional(),
  channelClass: z.enum(['voice', 'text', 'email']).optional(),
  channelKind: z.string().trim().min(1).max(40).optional(),
  direction: z.enum(['inbound', 'outbound']).optional(),
});

const FIXED_UNITS: readonly string[] = ['service', 'month'];

export const rateConceptSchema = z
  .strictObject({
    code: z
      .string()
      .regex(CONCEPT_CODE_PATTERN, bilingual('la clave usa de 2 a 40 caracteres a-z, 0-9 o _', 'the code must be 2–40 characters a-z, 0-9 or _')),
    name: z.string().trim().min(1, bilingual('escriba el nombre del concepto', 'the concept needs a name')).max(200),
    nameEn: z.string().trim().min(1, bilingual('escriba el nombre en inglés', 'the concept needs an English name')).max(200),
    unit: z.enum(BILLING_UNITS),
    unitPriceCents: z
      .number()
      .int(bilingual('el precio unitario va en centavos enteros (2 decimales)', 'the unit price is whole centavos (2 decimals)'))
      .positive(bilingual('el precio unitario debe ser mayor que 0', 'the unit price must be greater than 0'))
      .max(100_000_000_000, bilingual('el precio unitario es demasiado grande', 'the unit price is too large')),
    minQuantity: quantity('la cantidad mínima', 'minimum quantity'),
    maxQuantity: quantity('la cantidad máxima', 'maximum quantity'),
    usage: usageSelectorSchema.nullable(),
    fixedQuantity: z
      .number()
      .int(bilingual('la cantidad fija debe ser un número entero', 'the fixed quantity must be a whole number'))
      .positive(bilingual('la cantidad fija debe ser mayor que 0', 'the fixed quantity must be greater than 0'))
      .max(1_000_000)
      .optional(),
    deductionCapPct: pct('el tope de deducciones del concepto', 'the concept’s deduction cap').optional(),
  })
  .superRefine((concept, ctx) => {
    if (concept.minQuantity > concept.maxQuantity) {
      ctx.addIssue({ code: 'custom', path: ['minQuantity'], message: bilingual('la cantidad mínima no puede exceder la máxima', 'the minimum quantity cannot exceed the maximum') });
    }
    const metered = concept.usage !== null;
    const fixed = concept.fixedQuantity !== undefined;
    if (metered === fixed) {
      ctx.addIssue({
        code: 'custom',
        path: ['usage'],
        message: bilingual('indique exactamente uno: «usage» (medido) o «fixedQuantity» (cantidad fija mensual)', 'give exactly one of usage (metered) or fixedQuantity (fixed monthly quantity)'),
      });
    }
    if (fixed && !FIXED_UNITS.includes(concept.unit)) {
      ctx.addIssue({
        code: 'custom',
        path: ['fixedQuantity'],
        message: bilingual('una cantidad fija solo aplica a las unidades «service» o «month»', 'a fixed quantity only applies to the units service or month'),
      });
    }
    if (concept.usage === null) return;
    const timeMeter = TIME_METERS.includes(concept.usage.meter);
    const timeUnit = TIME_UNITS.includes(concept.unit);
    if (timeMeter && !timeUnit) {
      ctx.addIssue({
        code: 'custom',
        path: ['unit'],
        message: bilingual(
          `el medidor de tiempo «${concept.usage.meter}» se cobra en «minute» o «minute_seconds»`,
          `the time meter ${concept.usage.meter} is billed in minute or minute_seconds`,
        ),
      });
    }
    if (!timeMeter && timeUnit) {
      ctx.addIssue({
        code: 'custom',
        path: ['unit'],
        message: bilingual(
          `el medidor «${concept.usage.meter}» cuenta piezas: no se cobra por minuto`,
          `the meter ${concept.usage.meter} counts items: it cannot be billed per minute`,
        ),
      });
    }
  });

const bandSchema = z.strictObject({
  minPct: pct('el porcentaje mínimo de ocupación', 'the minimum occupancy'),
  tariffPct: z
    .number()
    .finite()
    .min(1, bilingual('la tarifa de la banda debe estar entre 1 y 100', 'the band tariff must be between 1 and 100'))
    .max(100, bilingual('la tarifa de la banda debe estar entre 1 y 100', 'the band tariff must be between 1 and 100')),
});

export const occupancyTariffSchema = z.strictObject({
  enabled: z.boolean().default(false),
  conceptCodes: z.array(z.string()).default([]),
  formula: z.enum(['phone', 'chat']).default('phone'),
  /** Authorised concurrent sessions (chat formula, L7702–L7706): social up to 4. */
  sessions: z.number().int().min(1).max(10).default(1),
  bands: z
    .array(bandSchema)
    .min(1)
    .default(CONTRACT_OCCUPANCY_BANDS.map((b) => ({ ...b })))
    .superRefine((bands, ctx) => {
      bands.forEach((band, i) => {
        const previous = bands[i - 1];
        if (previous !== undefined && band.minPct >= previous.minPct) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'minPct'],
            message: bilingual('las bandas van en orden estrictamente descendente de porcentaje mínimo', 'bands must be in strictly descending order of minPct'),
          });
        }
      });
      const last = bands[bands.length - 1];
      if (last !== undefined && last.minPct !== 0) {
        ctx.addIssue({ code: 'custom', path: [bands.length - 1, 'minPct'], message: bilingual('la última banda debe empezar en 0 %', 'the last band must start at 0 %') });
      }
    }),
});

export const rateCardSchema = z
  .strictObject({
    currency: z.literal('MXN', { error: bilingual('la moneda es MXN', 'the currency is MXN') }).default('MXN'),
    ivaPct: pct('el IVA', 'IVA').default(16),
    billableStates: z
      .array(z.enum(BILLABLE_AGENT_STATES, { error: bilingual(`estado no cobrable; use: ${BILLABLE_AGENT_STATES.join(', ')}`, `not a billable state; use: ${BILLABLE_AGENT_STATES.join(', ')}`) }))
      .min(1, bilingual('indique al menos un estado cobrable', 'give at least one billable state'))
      .refine((states) => new Set(states).size === states.length, bilingual('los estados cobrables no se repiten', 'billable states must not repeat'))
      .default(['available', 'after_contact_work']),
    erroneousDispositions: z.array(z.string().trim().min(1).max(100)).max(200).default([]),
    termEndMonth: z.string().regex(MONTH_PATTERN, bilingual('use el formato AAAA-MM (por ejemplo 2028-10)', 'use YYYY-MM, e.g. 2028-10')),
    globalCapPct: pct('el tope global', 'the global cap').default(10),
    occupancyTariff: occupancyTariffSchema.prefault({}),
    concepts: z.array(rateConceptSchema).min(1, bilingual('la tarifa necesita al menos un concepto', 'the rate card needs at least one concept')).max(200),
  })
  .superRefine((card, ctx) => {
    const seen = new Set<string>();
    card.concepts.forEach((concept, i) => {
      if (seen.has(concept.code)) {
        ctx.addIssue({ code: 'custom', path: ['concepts', i, 'code'], message: bilingual(`la clave «${concept.code}» está repetida`, `the code ${concept.code} is repeated`) });
      }
      seen.add(concept.code);
    });
    const tariff = card.occupancyTariff;
    if (tariff.enabled && tariff.conceptCodes.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['occupancyTariff', 'conceptCodes'],
        message: bilingual('la tarifa por ocupación activa necesita al menos un concepto', 'an enabled occupancy tariff needs at least one concept'),
      });
    }
    tariff.conceptCodes.forEach((code, i) => {
      const concept = card.concepts.find((c) => c.code === code);
      if (!concept) {
        ctx.addIssue({ code: 'custom', path: ['occupancyTariff', 'conceptCodes', i], message: bilingual(`el concepto «${code}» no existe en la tarifa`, `concept ${code} is not in the rate card`) });
      } else if (concept.usage?.meter !== 'agent_time') {
        ctx.addIssue({
          code: 'custom',
          path: ['occupancyTariff', 'conceptCodes', i],
          message: bilingual(`el concepto «${code}» no mide tiempo de agente (agent_time)`, `concept ${code} does not meter agent time (agent_time)`),
        });
      }
    });
  });

export type RateCardInput = z.input<typeof rateCardSchema>;

/** Compile-time check that the schema's output is a `RateCard` (the contract). */
export type RateCardOutput = z.output<typeof rateCardSchema>;
const _assignable: (card: RateCardOutput) => RateCard = (card) => card;
void _assignable;

/** The card's problems, each with its dotted path and a Spanish-first message (empty = valid). */
export function rateCardProblems(input: unknown): SlaProblem[] {
  const parsed = rateCardSchema.safeParse(input, { error: slaErrorMap });
  return parsed.success ? [] : problemsOf(parsed.error);
}

/** Validates or throws HUB_ERR_VALIDATION whose details list every problem (as the SLA table does). */
export function parseRateCard(input: unknown): RateCard {
  return parseOrThrow(rateCardSchema, input, 'La tarifa no es válida / the rate card is not valid');
}
