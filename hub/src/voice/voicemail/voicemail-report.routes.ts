import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../../audit/audit.js';
import { authorize } from '../../auth/principal.js';
import { principalOf } from '../../http/authenticate.js';
import { ADMIN_OR_SUPERVISOR, assertCampaignExists } from '../../inbox/inbox-http.js';
import type { HubContext } from '../../runtime/context.js';
import { voicemailReport, voicemailReportCsv, voicemailReportSchema } from './voicemail-report.js';

const query = z.object({
  campaignId: z.uuid('Campaña no válida / invalid campaign'),
  date: z.iso.date('Fecha no válida, use AAAA-MM-DD / invalid date, use YYYY-MM-DD'),
  format: z.enum(['json', 'csv']).default('json'),
});

/** GET /api/v1/voice/reports/voicemail — the daily voicemail report (supervisors and admins of the campaign), JSON or CSV. */
export function voicemailReportRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    app.get(
      '/voice/reports/voicemail',
      {
        schema: {
          tags: ['voice'],
          summary: 'Reporte diario de mensajes de voz (JSON o CSV) / daily voicemail report (JSON or CSV)',
          querystring: query,
          produces: ['application/json', 'text/csv'],
          response: { 200: z.union([voicemailReportSchema, z.string()]) },
        },
      },
      async (request, reply) => {
        const { campaignId, date, format } = request.query;
        const principal = principalOf(request);
        authorize(principal, ADMIN_OR_SUPERVISOR, campaignId);
        await assertCampaignExists(db, campaignId);
        const report = await voicemailReport(db, campaignId, date);
        if (format === 'json') return report;
        // Callers' numbers leave the system: the download is an audited export.
        await recordAudit(db, { actorUserId: principal.userId, ...requestMeta(request), action: 'data.exported', campaignId, targetType: 'voicemail_report', details: { export: 'voicemail-report', date, rows: report.rows.length } });
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="mensajes-de-voz-${date}.csv"`)
          .send(voicemailReportCsv(report));
      },
    );
  };
}
