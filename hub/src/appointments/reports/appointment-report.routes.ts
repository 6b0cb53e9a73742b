/**
 * The appointment report (issue 11): per office and local date, how many appointments are booked,
 * confirmed, cancelled, attended or no-show, as JSON or as a file (CSV UTF-8 with BOM, XLSX) with
 * the hub reports' own writers. A file export is audited (`appointment.report_exported`).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../../audit/audit.js';
import { authorize } from '../../auth/principal.js';
import type { Role } from '../../db/schema.js';
import { principalOf } from '../../http/authenticate.js';
import { reportCsv } from '../../reports/report-csv.js';
import { col, standardNotes, type ReportRow, type ReportTable } from '../../reports/report-table.js';
import { reportXlsx } from '../../reports/report-xlsx.js';
import { localDayOf } from '../../router/calendar/local-time.js';
import { bilingual } from '../../router/config/routing-problem.js';
import type { HubContext } from '../../runtime/context.js';
import { assertCampaignExists } from '../http/appointment-staff.query.js';
import { appointmentReport, type AppointmentReport } from './appointment-report.query.js';

const tags = ['appointments'];
export const APPOINTMENT_REPORT_ROLES: readonly Role[] = ['admin', 'supervisor', 'auditor'];
export const APPOINTMENT_REPORT_MAX_DAYS = 366;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const localDate = z.iso.date(bilingual('use una fecha AAAA-MM-DD', 'use a YYYY-MM-DD date'));
const reportQuery = z
  .object({
    from: localDate,
    to: localDate,
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
    lang: z.enum(['es', 'en']).default('es').describe('language of the file’s headers (Spanish by default)'),
  })
  .refine((q) => q.from <= q.to, { message: bilingual('«from» debe ser anterior o igual a «to»', 'from must not be after to'), path: ['to'] })
  .refine((q) => localDayOf(q.to) - localDayOf(q.from) + 1 <= APPOINTMENT_REPORT_MAX_DAYS, {
    message: bilingual(`el periodo abarca como máximo ${APPOINTMENT_REPORT_MAX_DAYS} días`, `the period spans at most ${APPOINTMENT_REPORT_MAX_DAYS} days`),
    path: ['to'],
  });

/** The report as the reports' table shape: one row per office and day, then the totals row. */
export function appointmentReportTable(report: AppointmentReport, generatedAt: Date): ReportTable {
  const rows: ReportRow[] = report.rows.map((r) => ({ ...r }));
  rows.push({ date: 'Total', officeId: '', officeName: '', ...report.totals });
  return {
    id: 'appointments',
    title_es: 'Citas por oficina y día',
    title_en: 'Appointments per office and day',
    columns: [
      col('date', 'text', 'Fecha', 'Date'),
      col('officeId', 'text', 'Clave de oficina', 'Office id'),
      col('officeName', 'text', 'Oficina', 'Office'),
      col('booked', 'integer', 'Agendadas', 'Booked'),
      col('confirmed', 'integer', 'Confirmadas', 'Confirmed'),
      col('cancelled', 'integer', 'Canceladas', 'Cancelled'),
      col('attended', 'integer', 'Atendidas', 'Attended'),
      col('noShow', 'integer', 'No se presentó', 'No-show'),
      col('total', 'integer', 'Total', 'Total'),
    ],
    rows,
    notes: standardNotes({
      timeZone: report.timeZone,
      generatedAt,
      extra: [
        { label_es: 'Periodo (fechas locales)', label_en: 'Period (local dates)', value: `${report.from} – ${report.to}` },
        { label_es: 'Estado', label_en: 'Status', value: 'estado actual de cada cita / each appointment’s current status' },
      ],
    }),
  };
}

export function appointmentReportRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  const db = ctx.db.kysely;
  return async (app) => {
    app.get(
      '/appointments/campaigns/:campaignId/report',
      {
        schema: {
          tags,
          summary: 'Citas por oficina y día según su estado, en JSON, CSV o XLSX / appointments per office and day by status',
          params: z.object({ campaignId: z.uuid() }),
          querystring: reportQuery,
          produces: ['application/json', 'text/csv', XLSX_TYPE],
        },
      },
      async (request, reply) => {
        const { campaignId } = request.params;
        const { from, to, format, lang } = request.query;
        const principal = principalOf(request);
        authorize(principal, APPOINTMENT_REPORT_ROLES, campaignId);
        await assertCampaignExists(db, campaignId);
        const report = await appointmentReport(db, campaignId, from, to);
        if (format === 'json') return { from, to, timeZone: report.timeZone, rows: report.rows, totals: report.totals };

        const generatedAt = new Date();
        const table = appointmentReportTable(report, generatedAt);
        await recordAudit(db, {
          action: 'appointment.report_exported',
          actorUserId: principal.userId,
          ...requestMeta(request),
          campaignId,
          targetType: 'appointment_report',
          targetId: `${campaignId}:${from}:${to}`,
          details: { format, from, to, rows: report.rows.length, total: report.totals.total },
        });
        const base = `citas-${from}_${to}`;
        if (format === 'csv') {
          return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${base}.csv"`).send(reportCsv(table, lang, report.timeZone));
        }
        const book = await reportXlsx([table], lang, {
          timeZone: report.timeZone,
          reportName: lang === 'en' ? 'Appointments per office and day' : 'Citas por oficina y día',
          creator: principal.displayName,
          generatedAt,
        });
        return reply.header('content-type', XLSX_TYPE).header('content-disposition', `attachment; filename="${base}.xlsx"`).send(book);
      },
    );
  };
}
