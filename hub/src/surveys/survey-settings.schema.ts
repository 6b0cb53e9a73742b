import { z } from 'zod';
import { bilingual } from '../router/config/routing-problem.js';

/**
 * A campaign's exit survey (issue 5 item 4), stored in `campaigns.settings.survey`. The seed's
 * T&C survey is 12 yes/no questions whose satisfaction is yes ÷ (yes + no) ≥ 85 % (seed-digest
 * §6.2); the administrator configures activation, questions and answers (§8.1, L8328–L8330), and
 * the chat survey rates PS-I and PS-P agents separately (L1877).
 */

export const MAX_SURVEY_QUESTIONS = 20;

/** Written for the 12-question yes/no model of seed-digest §6.2; each "sí" is the good answer. */
export const DEFAULT_SURVEY_QUESTIONS: readonly { id: string; text: string }[] = Object.freeze([
  { id: 'atencion_oportuna', text: '¿Le atendieron en un tiempo razonable?' },
  { id: 'saludo_identificacion', text: '¿La persona que le atendió le saludó y se identificó?' },
  { id: 'trato_amable', text: '¿Le trataron con amabilidad y respeto?' },
  { id: 'problema_entendido', text: '¿Entendieron su solicitud o problema?' },
  { id: 'informacion_correcta', text: '¿La información que recibió fue correcta?' },
  { id: 'informacion_completa', text: '¿La información que recibió fue completa?' },
  { id: 'lenguaje_claro', text: '¿Le explicaron con un lenguaje claro y sencillo?' },
  { id: 'solicitud_resuelta', text: '¿Se resolvió su solicitud en este contacto?' },
  { id: 'folio_recibido', text: '¿Recibió un número de folio para dar seguimiento?' },
  { id: 'siguientes_pasos', text: '¿Le indicaron qué hacer a continuación, si aplica?' },
  { id: 'datos_protegidos', text: '¿Sintió que sus datos personales fueron tratados con cuidado?' },
  { id: 'usaria_de_nuevo', text: '¿Volvería a usar este medio de atención?' },
]);

const questionSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9_]{1,40}$/, bilingual('el id debe tener de 1 a 40 minúsculas sin acentos, dígitos o «_»', 'id must be 1–40 lower-case letters, digits or "_"')),
  text: z
    .string()
    .trim()
    .min(3, bilingual('la pregunta debe tener al menos 3 caracteres', 'question text must be at least 3 characters'))
    .max(300, bilingual('la pregunta admite hasta 300 caracteres', 'question text is at most 300 characters')),
});

export const surveySettingsSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Se ofrece la encuesta al terminar / the survey is offered when the conversation ends'),
  rating: z.boolean().default(true).describe('Calificación general de 1 a 5 / overall rating 1–5'),
  comment: z.boolean().default(true).describe('Comentario libre (hasta 2000 caracteres) / free comment (up to 2000 characters)'),
  rateAgents: z.boolean().default(true).describe('Calificar por separado a cada agente PS-I y PS-P que atendió / rate each PS-I and PS-P agent who served it'),
  questions: z
    .array(questionSchema)
    .max(MAX_SURVEY_QUESTIONS, bilingual(`máximo ${MAX_SURVEY_QUESTIONS} preguntas`, `at most ${MAX_SURVEY_QUESTIONS} questions`))
    .superRefine((questions, ctx) => {
      questions.forEach((q, index) => {
        if (questions.findIndex((o) => o.id === q.id) < index) {
          ctx.addIssue({ code: 'custom', path: [index, 'id'], message: bilingual(`pregunta repetida: ${q.id}`, `duplicate question id: ${q.id}`) });
        }
      });
    })
    .default(() => DEFAULT_SURVEY_QUESTIONS.map((q) => ({ ...q })))
    .describe('Preguntas de sí o no / yes-or-no questions'),
});

export type SurveySettings = z.output<typeof surveySettingsSchema>;
export type SurveySettingsInput = z.input<typeof surveySettingsSchema>;

/**
 * What is stored was validated on write; a value edited by hand that no longer parses falls back
 * to the defaults rather than stopping the widget (as router/store/routing-settings.ts does).
 */
export function parseStoredSurveySettings(campaignSettings: unknown): SurveySettings {
  const stored = campaignSettings !== null && typeof campaignSettings === 'object' && 'survey' in campaignSettings ? campaignSettings.survey : undefined;
  const parsed = surveySettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : surveySettingsSchema.parse({});
}
