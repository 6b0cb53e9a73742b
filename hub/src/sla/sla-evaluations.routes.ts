import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../audit/audit.js';
import { authorize } from '../auth/principal.js';
import { principalOf } from '../http/authenticate.js';
import type { HubContext } from '../runtime/context.js';
import { actorOf, SLA_EDIT_ROLES, SLA_VIEW_ROLES } from './sla-config.routes.js';
import { decideRow, proposeEvaluation, validateEvaluation } from './sla-evaluation.usecase.js';
import { evaluationCampaign, listEvaluations, loadEvaluation } from './sla-evaluation.queries.js';
import { evaluationBodySchema, reportFormatSchema, rowDecisionSchema } from './sla-inputs.schema.js';
import { buildSlaReport } from './sla-report.js';
import { slaReportCsv } from './sla-report-csv.js';
import { slaReportPdf } from './sla-report-pdf.js';
import { slaReportXlsx } from './sla-report-xlsx.js';

const tags = ['sla'];
const idParams = z.object({ id: z.uuid() });

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

/** The monthly SLA evaluation: propose, decide rows, validate, and the monthly report. */
export function slaEvaluationRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  const db = ctx.db.kysely;
  return async (app) => {
    app.post(
      '/sla/evaluations',
      { schema: { tags, summary: 'Calcular el mes: propuesta de deductivas (reemplaza una propuesta no validada) / run the month', body: evaluationBodySchema } },
      async (request, reply) => {
        const { campaignId, month } = request.body;
        authorize(principalOf(request), SLA_EDIT_ROLES, campaignId);
        const result = await proposeEvaluation(db, campaignId, month, actorOf(request));
        return reply.status(result.replaced || result.unchanged ? 200 : 201).send(result);
      },
    );

    app.get(
      '/sla/evaluations',
      { schema: { tags, summary: 'Evaluaciones mensuales de una campaña / a campaign’s monthly evaluations', querystring: z.object({ campaignId: z.uuid() }) } },
      async (request) => {
        authorize(principalOf(request), SLA_VIEW_ROLES, request.query.campaignId);
        return { items: await listEvaluations(db, request.query.campaignId) };
      },
    );

    app.get('/sla/evaluations/:id', { schema: { tags, summary: 'Una evaluación con filas, trazas y decisiones / one evaluation', params: idParams } }, async (request) => {
      authorize(principalOf(request), SLA_VIEW_ROLES, await evaluationCampaign(db, request.params.id));
      return { evaluation: await loadEvaluation(db, request.params.id) };
    });

    app.put(
      '/sla/evaluations/:id/rows/:rowId',
      {
        schema: {
          tags,
          summary: 'Aceptar una fila o ajustarla con motivo obligatorio / accept a row or adjust it with a reason',
          params: idParams.extend({ rowId: z.string().min(1).max(64) }),
          body: rowDecisionSchema,
        },
      },
      async (request) => {
        authorize(principalOf(request), SLA_EDIT_ROLES, await evaluationCampaign(db, request.params.id));
        return { evaluation: await decideRow(db, request.params.id, request.params.rowId, request.body, actorOf(request)) };
      },
    );

    app.post('/sla/evaluations/:id/validate', { schema: { tags, summary: 'Validar el mes: queda congelado / validate the month (frozen)', params: idParams } }, async (request) => {
      authorize(principalOf(request), SLA_EDIT_ROLES, await evaluationCampaign(db, request.params.id));
      return { evaluation: await validateEvaluation(db, request.params.id, actorOf(request)) };
    });

    app.get(
      '/sla/evaluations/:id/report',
      {
        schema: {
          tags,
          summary: 'Reporte mensual de niveles de servicio en JSON, CSV, XLSX o PDF / monthly SLA report',
          params: idParams,
          querystring: z.object({ format: reportFormatSchema.default('json') }),
          produces: ['application/json', CONTENT_TYPES.csv, CONTENT_TYPES.xlsx, CONTENT_TYPES.pdf],
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const campaignId = await evaluationCampaign(db, request.params.id);
        authorize(principal, SLA_VIEW_ROLES, campaignId);
        const report = buildSlaReport(await loadEvaluation(db, request.params.id));
        const { format } = request.query;
        await recordAudit(db, {
          actorUserId: principal.userId,
          ...requestMeta(request),
          action: 'data.exported',
          campaignId,
          targetType: 'sla_evaluation',
          targetId: report.evaluationId,
          details: { export: 'sla-monthly-report', format, month: report.month, status: report.status },
        });
        if (format === 'json') return { report };
        const body = format === 'csv' ? slaReportCsv(report) : format === 'xlsx' ? await slaReportXlsx(report) : await slaReportPdf(report);
        const filename = `sla-${report.month}-${campaignId.slice(0, 8)}.${format}`;
        return reply.header('content-type', CONTENT_TYPES[format]).header('content-disposition', `attachment; filename="${filename}"`).send(body);
      },
    );
  };
}
