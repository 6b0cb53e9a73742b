import { z } from 'zod';
import { CHANNEL_CLASSES, type StrategyName } from '../core/router.types.js';
import { isStrategyName, strategyNames } from '../core/routing-strategies.js';
import { bilingual, parseWith, type ParseResult } from './routing-problem.js';

/**
 * A queue's routing configuration as an administrator submits it (issue 3, item 1). Only what one
 * object can check is here; whether skills and target queues exist, and overflow cycles, need the
 * rest of the campaign: validate-routing.ts.
 */

/** A day: longer waits are a closed queue, not an overflow rule. */
export const MAX_SECONDS = 86_400;
export const MIN_SKILL_LEVEL = 1;
export const MAX_SKILL_LEVEL = 5;
/** Relaxing by 4 takes a level-5 requirement to 1; anything more cannot lower a bar further. */
export const MAX_RELAX_LEVELS = MAX_SKILL_LEVEL - MIN_SKILL_LEVEL;

function intIn(min: number, max: number, es: string, en: string): z.ZodNumber {
  const message = bilingual(es, en);
  return z.number().int(message).min(min, message).max(max, message);
}

const seconds = (what: string): z.ZodNumber =>
  intIn(1, MAX_SECONDS, `${what} debe ser un entero de segundos entre 1 y ${MAX_SECONDS}`, `must be whole seconds, 1–${MAX_SECONDS}`);

export const skillRequirementSchema = z.strictObject({
  skillId: z.uuid(bilingual('el id de habilidad debe ser un UUID', 'skillId must be a UUID')),
  minLevel: intIn(MIN_SKILL_LEVEL, MAX_SKILL_LEVEL, 'el nivel debe estar entre 1 y 5', 'level must be 1–5'),
});

/** Keyed by which field is present, as in the issue; exactly one of the two. */
export type OverflowTrigger = { readonly afterSeconds: number } | { readonly estimatedWaitOverSeconds: number };
export type OverflowAction = { readonly moveToQueueId: string } | { readonly relaxLevels: number };

const triggerSchema = z
  .strictObject({ afterSeconds: seconds('el tiempo').optional(), estimatedWaitOverSeconds: seconds('la espera estimada').optional() })
  .transform((t, ctx): OverflowTrigger => {
    // A union of two strict objects would report "no option matched" for {afterSeconds: -1};
    // one object with both fields optional keeps the precise range message instead.
    if (t.afterSeconds !== undefined && t.estimatedWaitOverSeconds === undefined) return { afterSeconds: t.afterSeconds };
    if (t.estimatedWaitOverSeconds !== undefined && t.afterSeconds === undefined) return { estimatedWaitOverSeconds: t.estimatedWaitOverSeconds };
    ctx.issues.push({
      code: 'custom',
      input: t,
      message: bilingual('indique exactamente uno: afterSeconds o estimatedWaitOverSeconds', 'give exactly one of afterSeconds or estimatedWaitOverSeconds'),
    });
    return z.NEVER;
  });

const actionSchema = z
  .strictObject({
    moveToQueueId: z.uuid(bilingual('la fila destino debe ser un UUID', 'moveToQueueId must be a UUID')).optional(),
    relaxLevels: intIn(1, MAX_RELAX_LEVELS, 'la relajación debe estar entre 1 y 4 niveles', 'relaxLevels must be 1–4').optional(),
  })
  .transform((a, ctx): OverflowAction => {
    if (a.moveToQueueId !== undefined && a.relaxLevels === undefined) return { moveToQueueId: a.moveToQueueId };
    if (a.relaxLevels !== undefined && a.moveToQueueId === undefined) return { relaxLevels: a.relaxLevels };
    ctx.issues.push({
      code: 'custom',
      input: a,
      message: bilingual('indique exactamente uno: moveToQueueId o relaxLevels', 'give exactly one of moveToQueueId or relaxLevels'),
    });
    return z.NEVER;
  });

export const overflowStepSchema = z.strictObject({ trigger: triggerSchema, action: actionSchema });
export type OverflowStep = z.output<typeof overflowStepSchema>;

/** Text for the citizen; Spanish is the service language, English optional for foreigners. */
export const citizenMessageSchema = z.strictObject({
  es: z.string().trim().min(1, bilingual('el mensaje en español es obligatorio', 'a Spanish message is required')).max(1000, bilingual('máximo 1000 caracteres', 'at most 1000 characters')),
  en: z.string().trim().min(1, bilingual('el mensaje en inglés no puede estar vacío', 'the English message must not be empty')).max(1000, bilingual('máximo 1000 caracteres', 'at most 1000 characters')).optional(),
});
export type CitizenMessage = z.output<typeof citizenMessageSchema>;

export const AFTER_HOURS_MODES = ['keep_queued', 'offer_voicemail_or_callback', 'close'] as const;
export type AfterHoursMode = (typeof AFTER_HOURS_MODES)[number];

export const afterHoursSchema = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('keep_queued'), message: citizenMessageSchema }),
    z.strictObject({ mode: z.literal('offer_voicemail_or_callback'), message: citizenMessageSchema }),
    z.strictObject({ mode: z.literal('close'), message: citizenMessageSchema }),
  ],
  {
    error: (issue) =>
      issue.input === undefined
        ? bilingual('indique el comportamiento fuera de horario', 'afterHours is required')
        : bilingual(`modo fuera de horario desconocido, use ${AFTER_HOURS_MODES.join(', ')}`, `unknown after-hours mode, use ${AFTER_HOURS_MODES.join(', ')}`),
  },
);
export type AfterHours = z.output<typeof afterHoursSchema>;

const strategySchema = z.custom<StrategyName>((value) => typeof value === 'string' && isStrategyName(value), {
  error: (issue) =>
    issue.input === undefined
      ? bilingual('campo requerido', 'required field')
      : bilingual(`estrategia desconocida, use ${strategyNames().join(', ')}`, `unknown strategy, use ${strategyNames().join(', ')}`),
});

const channelClassSchema = z.enum(CHANNEL_CLASSES, {
  error: bilingual(`clase de canal desconocida, use ${CHANNEL_CLASSES.join(', ')}`, `unknown channel class, use ${CHANNEL_CLASSES.join(', ')}`),
});

export const queueConfigSchema = z.strictObject({
  name: z.string().trim().min(1, bilingual('el nombre es obligatorio', 'name is required')).max(120, bilingual('máximo 120 caracteres', 'at most 120 characters')),
  priority: intIn(1, 99, 'la prioridad debe estar entre 1 (más urgente) y 99', 'priority must be 1 (most urgent)–99'),
  requiredSkills: z
    .array(skillRequirementSchema)
    .max(20, bilingual('máximo 20 habilidades', 'at most 20 skills'))
    .superRefine((skills, ctx) => {
      const seen = new Set<string>();
      skills.forEach((s, index) => {
        if (seen.has(s.skillId)) {
          ctx.addIssue({ code: 'custom', path: [index, 'skillId'], message: bilingual(`habilidad repetida: ${s.skillId}`, `duplicate skill: ${s.skillId}`) });
        }
        seen.add(s.skillId);
      });
    }),
  strategy: strategySchema,
  maxWaitSeconds: seconds('la espera máxima').optional(),
  channelClasses: z
    .array(channelClassSchema)
    .min(1, bilingual('indique al menos una clase de canal', 'give at least one channel class'))
    .refine((classes) => new Set(classes).size === classes.length, bilingual('clase de canal repetida', 'duplicate channel class')),
  overflow: z.array(overflowStepSchema).max(20, bilingual('máximo 20 pasos de desborde', 'at most 20 overflow steps')).default([]),
  afterHours: afterHoursSchema,
});

export type QueueConfig = z.output<typeof queueConfigSchema>;
export type QueueConfigInput = z.input<typeof queueConfigSchema>;

export function parseQueueConfig(input: unknown): ParseResult<QueueConfig> {
  return parseWith(queueConfigSchema, input);
}
