import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMeta } from '../../audit/audit.js';
import { authorize } from '../../auth/principal.js';
import type { Role } from '../../db/schema.js';
import { principalOf } from '../../http/authenticate.js';
import type { HubContext } from '../../runtime/context.js';
import { voiceSurveySettingsSchema } from './voice-survey-settings.schema.js';
import { loadVoiceSurveySettings, saveVoiceSurveySettings } from './voice-survey-settings.usecase.js';

/**
 * The post-call keypad survey's questions per campaign (issue 8 item 8): read by admins and the
 * campaign's supervisors and auditors, replaced by an admin. Switched on or off per voice channel
 * (its `survey` setting).
 */
const READERS: readonly Role[] = ['admin', 'supervisor', 'auditor'];
const EDITORS: readonly Role[] = ['admin'];

const query = z.object({ campaignId: z.uuid() });
const view = z.object({
  campaignId: z.uuid(),
  settings: z.object({
    intro: z.string(),
    goodbye: z.string(),
    questions: z.array(z.object({ id: z.string(), kind: z.enum(['yes_no', 'rating', 'agent_rating']), text: z.string() })),
  }),
});

export function voiceSurveySettingsRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['voice'];

    app.get(
      '/voice/survey-settings',
      { schema: { tags, summary: 'Encuesta telefónica posterior a la llamada / post-call keypad survey of a campaign', querystring: query, response: { 200: view } } },
      async (request) => {
        const { campaignId } = request.query;
        authorize(principalOf(request), READERS, campaignId);
        return { campaignId, settings: await loadVoiceSurveySettings(db, campaignId) };
      },
    );

    app.put(
      '/voice/survey-settings',
      {
        schema: {
          tags,
          summary: 'Reemplazar la encuesta telefónica (admin; auditado) / replace the post-call keypad survey (admin; audited)',
          querystring: query,
          // Parsed in the use case so problems are bilingual; the union keeps the shape in OpenAPI.
          body: z.union([voiceSurveySettingsSchema, z.unknown()]),
          response: { 200: view },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { campaignId } = request.query;
        authorize(principal, EDITORS, campaignId);
        const meta = requestMeta(request);
        return { campaignId, settings: await saveVoiceSurveySettings(db, campaignId, request.body, { userId: principal.userId, ip: meta.ip, userAgent: meta.userAgent }) };
      },
    );
  };
}
