import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMeta } from '../audit/audit.js';
import { authorize, STAFF_ROLES } from '../auth/principal.js';
import type { Role } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { principalOf } from '../http/authenticate.js';
import type { HubContext } from '../runtime/context.js';
import { surveyResults } from './survey-results.usecase.js';
import { loadSurveyResponse } from './survey-response.query.js';
import { surveySettingsSchema } from './survey-settings.schema.js';
import { loadSurveySettings, saveSurveySettings } from './survey-settings.usecase.js';

/** Staff side of the exit survey (issue 5 item 4): per-campaign settings, one conversation's answers, campaign results. */

const READERS: readonly Role[] = ['admin', 'supervisor', 'auditor'];
const EDITORS: readonly Role[] = ['admin', 'supervisor'];

const campaignParams = z.object({ campaignId: z.uuid() });
const idParams = z.object({ id: z.uuid() });
const tier = z.enum(['PS-I', 'PS-P']);
const percent = z.number().nullable();

const settingsView = z.object({
  enabled: z.boolean(),
  rating: z.boolean(),
  comment: z.boolean(),
  rateAgents: z.boolean(),
  questions: z.array(z.object({ id: z.string(), text: z.string() })),
});
const settingsResponse = z.object({ campaignId: z.uuid(), settings: settingsView });

const responseView = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  folio: z.string(),
  campaignId: z.uuid(),
  channelId: z.uuid(),
  rating: z.number().int().nullable(),
  comment: z.string().nullable(),
  answers: z.array(z.object({ id: z.string(), text: z.string().nullable().describe('null: pregunta retirada después / question removed since'), answer: z.boolean() })),
  yes: z.number().int(),
  no: z.number().int(),
  createdAt: z.string(),
  agentRatings: z.array(z.object({ agentId: z.uuid(), displayName: z.string(), tier, rating: z.number().int() })),
});

const dateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
const resultsQuery = z.object({
  from: dateOrDateTime.optional().describe('Desde (incluido): fecha AAAA-MM-DD en la zona de la campaña o fecha-hora ISO / from (inclusive): date in the campaign time zone or ISO date-time'),
  to: dateOrDateTime.optional().describe('Hasta: una fecha incluye ese día completo; una fecha-hora queda excluida / to: a date includes that whole day; a date-time is exclusive'),
});
const resultsView = z.object({
  campaignId: z.uuid(),
  responses: z.number().int(),
  yes: z.number().int(),
  no: z.number().int(),
  satisfactionPercent: percent.describe('sí ÷ (sí + no) × 100, meta ≥ 85 (seed §6.2); null sin respuestas / yes ÷ (yes + no) × 100; null with no answers'),
  averageRating: percent,
  byQuestion: z.array(z.object({ id: z.string(), text: z.string().nullable(), yes: z.number().int(), no: z.number().int(), percent })),
  byAgent: z.array(z.object({ agentId: z.uuid(), displayName: z.string(), tier, responses: z.number().int(), averageRating: percent })),
});

export function surveysRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['surveys'];

    app.get(
      '/campaigns/:campaignId/survey-settings',
      { schema: { tags, summary: 'Encuesta de salida de la campaña / exit survey settings of a campaign', params: campaignParams, response: { 200: settingsResponse } } },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), READERS, campaignId);
        return { campaignId, settings: await loadSurveySettings(db, campaignId) };
      },
    );

    app.put(
      '/campaigns/:campaignId/survey-settings',
      {
        schema: {
          tags,
          summary: 'Reemplazar la encuesta de salida (admin o supervisor de la campaña; auditado) / replace the exit survey settings (audited)',
          params: campaignParams,
          // Parsed in the use case so problems are bilingual; the union keeps the shape in OpenAPI (inbox/inbox-http.ts).
          body: z.union([surveySettingsSchema, z.unknown()]),
          response: { 200: settingsResponse },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { campaignId } = request.params;
        authorize(principal, EDITORS, campaignId);
        const meta = requestMeta(request);
        const settings = await saveSurveySettings(db, campaignId, request.body, { userId: principal.userId, ip: meta.ip, userAgent: meta.userAgent });
        return { campaignId, settings };
      },
    );

    app.get(
      '/conversations/:id/survey',
      {
        schema: {
          tags,
          summary: 'Respuesta de la encuesta de una conversación, con calificación por agente / survey answers of a conversation, with agent ratings',
          params: idParams,
          response: { 200: z.object({ response: responseView.nullable().describe('null: sin responder / not answered') }) },
        },
      },
      async (request) => {
        const conversation = await db.selectFrom('conversations').select('campaign_id').where('id', '=', request.params.id).executeTakeFirst();
        if (!conversation) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
        authorize(principalOf(request), STAFF_ROLES, conversation.campaign_id);
        return { response: await loadSurveyResponse(db, request.params.id) };
      },
    );

    app.get(
      '/campaigns/:campaignId/survey-results',
      {
        schema: {
          tags,
          summary: 'Resultados de la encuesta: satisfacción, por pregunta y por agente / survey results: satisfaction, per question and per agent',
          params: campaignParams,
          querystring: resultsQuery,
          response: { 200: resultsView },
        },
      },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), READERS, campaignId);
        return surveyResults(db, campaignId, request.query);
      },
    );
  };
}
