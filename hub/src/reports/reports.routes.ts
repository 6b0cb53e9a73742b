import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../audit/audit.js';
import { HubError } from '../errors/error-registry.js';
import type { HubContext } from '../runtime/context.js';
import { type ReportCaller, reportAuthHook, reportCaller } from './report-auth.js';
import { findReport, REPORTS } from './report-catalogue.js';
import { reportCsv } from './report-csv.js';
import { reportQuerySchema, resolvePeriod } from './report-params.js';
import { loadMeasuringRules } from '../kpi/measuring-rules.js';
import { reportTokenRoutes } from './report-tokens.routes.js';
import { reportXlsx } from './report-xlsx.js';

const tags = ['reports'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const tableSchema = z.object({
  id: z.string(),
  title_es: z.string(),
  title_en: z.string(),
  columns: z.array(z.object({ key: z.string(), label_es: z.string(), label_en: z.string(), type: z.string() })),
  rows: z.array(z.record(z.string(), z.unknown())),
  notes: z.array(z.object({ label_es: z.string(), label_en: z.string(), value: z.string() })),
});
const reportJsonSchema = z.object({
  report: z.object({ id: z.string(), name_es: z.string(), name_en: z.string() }),
  campaignId: z.uuid(),
  campaignName: z.string(),
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  interval: z.string().nullable(),
  generatedAt: z.string(),
  tables: z.array(tableSchema),
});
const catalogueSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name_es: z.string(),
      name_en: z.string(),
      description_es: z.string(),
      description_en: z.string(),
      tables: z.array(z.object({ id: z.string(), title_es: z.string(), title_en: z.string() })),
      parameters: z.array(z.object({ name: z.string(), required: z.boolean(), values: z.array(z.string()).optional(), description_es: z.string(), description_en: z.string() })),
      maxDays: z.record(z.string(), z.number()),
    }),
  ),
});

function auditActor(caller: ReportCaller): { actorUserId: string | null; actorLabel: string | null } {
  return caller.kind === 'user' ? { actorUserId: caller.principal.userId, actorLabel: null } : { actorUserId: null, actorLabel: `token de reportes «${caller.token.name}» (${caller.token.tokenId})` };
}

/**
 * `/api/v1/reports` (issue 9 item 7): the catalogue and every report as JSON, CSV or XLSX, for
 * admins, the campaign's supervisors and auditors, or a BI tool with the campaign's report token.
 * Registered outside the staff-only plugin because it accepts report tokens (report-auth.ts);
 * the token management routes live here too and take staff sessions only.
 */
export function reportsRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  const db = ctx.db.kysely;
  return async (app) => {
    app.decorateRequest('reportToken', null);
    app.addHook('onRequest', reportAuthHook(ctx));

    app.get('/reports', { schema: { tags, summary: 'Catálogo de reportes y sus parámetros / report catalogue and parameters', response: { 200: catalogueSchema } } }, async (request) => {
      if (!request.reportToken && !request.principal) throw new HubError('HUB_ERR_AUTH_REQUIRED');
      return {
        items: REPORTS.map((r) => ({
          id: r.id,
          name_es: r.name_es,
          name_en: r.name_en,
          description_es: r.description_es,
          description_en: r.description_en,
          tables: [...r.tables],
          parameters: r.parameters.map((p) => ({ name: p.name, required: p.required, description_es: p.description_es, description_en: p.description_en, ...(p.values ? { values: [...p.values] } : {}) })),
          maxDays: { half_hour: r.maxDays('half_hour'), day: r.maxDays('day'), week: r.maxDays('week'), month: r.maxDays('month') },
        })),
      };
    });

    app.get(
      '/reports/:reportId',
      {
        schema: {
          tags,
          summary: 'Un reporte en JSON, CSV o XLSX (administradores, supervisores de la campaña, auditores o token de reportes) / one report as JSON, CSV or XLSX',
          params: z.object({ reportId: z.string().max(60) }),
          querystring: reportQuerySchema,
          // No response schema: CSV and XLSX are sent as they are; the JSON shape is reportJsonSchema.
          produces: ['application/json', 'text/csv', XLSX_TYPE],
        },
      },
      async (request, reply) => {
        const q = request.query;
        const caller = reportCaller(request, q.campaignId);
        const definition = findReport(request.params.reportId);
        if (!definition) throw new HubError('HUB_ERR_NOT_FOUND', `Reporte desconocido «${request.params.reportId}»; vea GET /api/v1/reports / unknown report`);
        const interval = q.interval ?? 'half_hour';
        const period = resolvePeriod(q, definition.maxDays(interval));
        const tableId = q.table;
        if (tableId !== undefined && !definition.tables.some((t) => t.id === tableId)) {
          throw new HubError('HUB_ERR_VALIDATION', `Tabla desconocida «${tableId}»; use ${definition.tables.map((t) => t.id).join(', ')} / unknown table`);
        }
        const settings = await loadMeasuringRules(db, q.campaignId);
        const now = new Date();
        const tables = await definition.build({
          db,
          settings,
          period,
          interval,
          now,
          ...(q.queueId === undefined ? {} : { queueId: q.queueId }),
          ...(q.channelKind === undefined ? {} : { channelKind: q.channelKind }),
        });
        await recordAudit(db, {
          ...auditActor(caller),
          ...requestMeta(request),
          action: 'data.exported',
          campaignId: q.campaignId,
          targetType: 'report',
          targetId: definition.id,
          details: { export: `report:${definition.id}`, format: q.format, from: period.from, to: period.to, ...(definition.id === 'intervals' ? { interval } : {}), rows: tables.reduce((n, t) => n + t.rows.length, 0), via: caller.kind },
        });
        const base = `${definition.id}-${period.from}${period.to === period.from ? '' : `_${period.to}`}`;
        if (q.format === 'csv') {
          const table = tables.find((t) => t.id === (tableId ?? definition.tables[0]?.id)) ?? tables[0];
          if (!table) throw new HubError('HUB_ERR_INTERNAL');
          const name = tables.length > 1 ? `${base}-${table.id}` : base;
          return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(reportCsv(table, q.lang, settings.timeZone));
        }
        if (q.format === 'xlsx') {
          const creator = caller.kind === 'user' ? caller.principal.displayName : caller.token.name;
          const book = await reportXlsx(tables, q.lang, { timeZone: settings.timeZone, reportName: q.lang === 'en' ? definition.name_en : definition.name_es, creator, generatedAt: now });
          return reply.header('content-type', XLSX_TYPE).header('content-disposition', `attachment; filename="${base}.xlsx"`).send(book);
        }
        return reportJsonSchema.parse({
          report: { id: definition.id, name_es: definition.name_es, name_en: definition.name_en },
          campaignId: q.campaignId,
          campaignName: settings.campaignName,
          timeZone: settings.timeZone,
          from: period.from,
          to: period.to,
          interval: definition.id === 'intervals' ? interval : null,
          generatedAt: now.toISOString(),
          tables,
        });
      },
    );

    await app.register(reportTokenRoutes(ctx));
  };
}
