import { z } from 'zod';
import { bilingual } from '../router/config/routing-problem.js';
import type { SurveyAnswers } from '../webchat/widget.contract.js';

/** The body of POST /widget/v1/survey as a client may send it; checked against the campaign's settings by recordSurvey. */

export const MAX_SURVEY_COMMENT = 2000;

const ratingMessage = bilingual('la calificación debe ser un entero de 1 a 5', 'rating must be an integer from 1 to 5');
const ratingSchema = z.number(ratingMessage).int(ratingMessage).min(1, ratingMessage).max(5, ratingMessage);

export const surveyAnswersSchema = z.strictObject({
  rating: ratingSchema.optional().describe('Calificación general de 1 a 5 / overall rating 1–5'),
  comment: z
    .string()
    .trim()
    .max(MAX_SURVEY_COMMENT, bilingual(`el comentario admite hasta ${MAX_SURVEY_COMMENT} caracteres`, `comment is at most ${MAX_SURVEY_COMMENT} characters`))
    .optional(),
  answers: z.record(z.string().max(40), z.boolean()).default({}).describe('{ idDePregunta: sí (true) o no (false) } / { questionId: yes (true) or no (false) }'),
  agentRatings: z
    .array(z.strictObject({ agentId: z.uuid(bilingual('el id de agente debe ser un UUID', 'agentId must be a UUID')), rating: ratingSchema }))
    .max(20, bilingual('máximo 20 agentes', 'at most 20 agents'))
    .default([]),
}) satisfies z.ZodType<SurveyAnswers, unknown>;

export type ParsedSurveyAnswers = z.output<typeof surveyAnswersSchema>;
