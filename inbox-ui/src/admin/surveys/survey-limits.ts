/**
 * The hub's exit-survey limits and contract questions (hub/src/surveys/survey-settings.schema.ts),
 * mirrored for the browser: the hub's schema pulls zod, which the inbox bundle does without.
 * survey-form.test.ts compares every value with the hub's own.
 */

export const MAX_SURVEY_QUESTIONS = 20;
export const QUESTION_ID_PATTERN = /^[a-z0-9_]{1,40}$/;
export const QUESTION_ID_MAX = 40;
export const QUESTION_TEXT = { min: 3, max: 300 } as const;
/** The hub's target for satisfaction, yes ÷ (yes + no) × 100 (seed-digest §6.2). */
export const SATISFACTION_TARGET = 85;

export interface SurveyQuestion {
  id: string;
  text: string;
}

/** The 12 yes/no questions of the T&C survey model (seed-digest §6.2); each "sí" is the good answer. */
export const CONTRACT_QUESTIONS: readonly Readonly<SurveyQuestion>[] = Object.freeze([
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
