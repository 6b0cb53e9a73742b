import { z } from 'zod';
import { bilingual } from '../../router/config/routing-problem.js';

/**
 * The post-call keypad survey of a campaign (issue 8 item 8; seed-digest §1.2 L1792: about one
 * minute), stored in `campaigns.settings.voiceSurvey`. Each question is a yes/no (1 sí, 2 no), an
 * overall rating 1–5, or a rating 1–5 of the agents who served the call. Answers land in the web
 * survey's tables: yes/no answers count in the satisfaction KPI (yes ÷ (yes + no)), the overall
 * rating is the response's rating, the agent rating goes to each agent with their tier.
 */

export const MAX_VOICE_SURVEY_QUESTIONS = 6;
export type VoiceSurveyQuestionKind = 'yes_no' | 'rating' | 'agent_rating';

export const DEFAULT_VOICE_SURVEY_QUESTIONS: readonly { id: string; kind: VoiceSurveyQuestionKind; text: string }[] = Object.freeze([
  { id: 'solicitud_resuelta', kind: 'yes_no', text: '¿Se resolvió el motivo de su llamada? Marque 1 para sí o 2 para no.' },
  { id: 'atencion_asesor', kind: 'agent_rating', text: 'Califique la atención del asesor del 1 al 5, donde 5 es excelente.' },
  { id: 'recomendaria', kind: 'yes_no', text: '¿Recomendaría este servicio? Marque 1 para sí o 2 para no.' },
  { id: 'calificacion_general', kind: 'rating', text: 'En general, ¿cómo califica el servicio del 1 al 5, donde 5 es excelente?' },
]);

export const DEFAULT_VOICE_SURVEY_INTRO = 'Gracias por su llamada. Le pedimos contestar una breve encuesta de satisfacción con el teclado de su teléfono.';
export const DEFAULT_VOICE_SURVEY_GOODBYE = 'Gracias por sus respuestas. Que tenga un excelente día. Hasta luego.';

const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, bilingual(`el texto debe tener al menos ${min} caracteres`, `text must be at least ${min} characters`))
    .max(max, bilingual(`el texto admite hasta ${max} caracteres`, `text is at most ${max} characters`));

const questionSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9_]{1,40}$/, bilingual('el id debe tener de 1 a 40 minúsculas sin acentos, dígitos o «_»', 'id must be 1–40 lower-case letters, digits or "_"')),
  kind: z.enum(['yes_no', 'rating', 'agent_rating'], bilingual('tipo: yes_no (1 sí, 2 no), rating o agent_rating (1 a 5)', 'kind: yes_no (1 yes, 2 no), rating or agent_rating (1 to 5)')),
  text: text(3, 300).describe('Lo que escucha quien llama; diga qué teclas marcar / what the caller hears; say which keys to press'),
});

export const voiceSurveySettingsSchema = z.strictObject({
  intro: text(3, 400).default(DEFAULT_VOICE_SURVEY_INTRO),
  goodbye: text(3, 400).default(DEFAULT_VOICE_SURVEY_GOODBYE),
  questions: z
    .array(questionSchema)
    .min(1, bilingual('al menos una pregunta', 'at least one question'))
    .max(MAX_VOICE_SURVEY_QUESTIONS, bilingual(`máximo ${MAX_VOICE_SURVEY_QUESTIONS} preguntas (la encuesta dura cerca de un minuto)`, `at most ${MAX_VOICE_SURVEY_QUESTIONS} questions (the survey lasts about a minute)`))
    .superRefine((questions, ctx) => {
      questions.forEach((q, index) => {
        if (questions.findIndex((o) => o.id === q.id) < index) {
          ctx.addIssue({ code: 'custom', path: [index, 'id'], message: bilingual(`pregunta repetida: ${q.id}`, `duplicate question id: ${q.id}`) });
        }
        if (q.kind !== 'yes_no' && questions.findIndex((o) => o.kind === q.kind) < index) {
          ctx.addIssue({ code: 'custom', path: [index, 'kind'], message: bilingual(`solo una pregunta de tipo ${q.kind}`, `only one ${q.kind} question`) });
        }
      });
    })
    .default(() => DEFAULT_VOICE_SURVEY_QUESTIONS.map((q) => ({ ...q }))),
});

export type VoiceSurveySettings = z.output<typeof voiceSurveySettingsSchema>;
export type VoiceSurveyQuestion = VoiceSurveySettings['questions'][number];

/** What is stored was validated on write; a hand-edited value that no longer parses gives the defaults. */
export function parseStoredVoiceSurveySettings(campaignSettings: unknown): VoiceSurveySettings {
  const stored = campaignSettings !== null && typeof campaignSettings === 'object' && 'voiceSurvey' in campaignSettings ? campaignSettings.voiceSurvey : undefined;
  const parsed = voiceSurveySettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : voiceSurveySettingsSchema.parse({});
}

/** The keys a question accepts: 1 or 2 for yes/no, 1 to 5 for ratings. */
export function answerOf(question: Pick<VoiceSurveyQuestion, 'kind'>, digits: string): boolean | number | null {
  if (question.kind === 'yes_no') return digits === '1' ? true : digits === '2' ? false : null;
  return /^[1-5]$/.test(digits) ? Number(digits) : null;
}
