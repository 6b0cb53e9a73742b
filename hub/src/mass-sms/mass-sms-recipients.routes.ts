import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../audit/audit.js';
import { acceptListFiles, decodeList, listFileBytes, listUploadRoute } from '../bulk-send/list-upload.js';
import { recipientPage } from '../bulk-send/recipient-page.js';
import { HubError } from '../errors/error-registry.js';
import { bilingual } from '../router/config/routing-problem.js';
import type { HubContext } from '../runtime/context.js';
import { badNumbersCsv } from './bad-numbers-csv.js';
import { auditMassSms, authorizeManager } from './mass-sms-access.js';
import { findMassSms, toRecipientView } from './mass-sms-store.js';
import { massSmsParams, massSmsRecipientSchema, recipientsQuery, uploadQuery, uploadReportSchema } from './mass-sms.schema.js';
import { parsePhoneList } from './phone-list.js';
import { uploadPhoneList } from './upload-phone-list.usecase.js';

/** The numbers of a mass SMS: upload (CSV or TXT, same limits as mass mail), the paged list, the bad-number CSV. */
export function massSmsRecipientsRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['mass-sms'];
    const base = '/campaigns/:campaignId/mass-sms/:massSmsId';

    acceptListFiles(app, ctx.config.MASS_MAIL_UPLOAD_MAX_BYTES);

    app.post(
      `${base}/recipients`,
      listUploadRoute(ctx.config.MASS_MAIL_UPLOAD_MAX_BYTES, {
        tags,
        summary: 'Cargar números: CSV con columna phone/telefono, name opcional y las demás como {{variables}}; o TXT con un número por línea / upload numbers: CSV with a phone column, optional name, other columns as {{variables}}; or TXT, one number per line',
        params: massSmsParams,
        querystring: uploadQuery,
        report: uploadReportSchema,
      }),
      async (request) => {
        const { campaignId, massSmsId } = request.params;
        const principal = authorizeManager(request, campaignId);
        const body = listFileBytes(request.body);
        const list = parsePhoneList(decodeList(body), ctx.config.MASS_MAIL_MAX_RECIPIENTS);
        return db.transaction().execute(async (trx) => {
          const row = await findMassSms(trx, campaignId, massSmsId, true);
          if (row.status !== 'draft') throw new HubError('HUB_ERR_MASS_SMS_STATE', bilingual(`la lista solo se carga en borrador (este envío está «${row.status}»)`, `the list can only be uploaded to a draft (this one is "${row.status}")`));
          const report = await uploadPhoneList(trx, { massSmsId, channelId: row.channel_id, list, replace: request.query.replace === 'true' });
          await auditMassSms(trx, request, principal, 'mass_sms.recipients_uploaded', row, { ...report, problems: report.problems.length, bytes: body.length });
          return report;
        });
      },
    );

    app.get(
      `${base}/recipients`,
      { schema: { tags, summary: 'Destinatarios con su ciclo de vida, por páginas / recipients with their lifecycle, paged', params: massSmsParams, querystring: recipientsQuery, response: { 200: z.object({ items: z.array(massSmsRecipientSchema), nextCursor: z.uuid().nullable() }) } } },
      async (request) => {
        const { campaignId, massSmsId } = request.params;
        authorizeManager(request, campaignId);
        await findMassSms(db, campaignId, massSmsId);
        return recipientPage(db, 'mass_sms_recipients', massSmsId, request.query, toRecipientView);
      },
    );

    app.get(
      `${base}/bad-numbers.csv`,
      { schema: { tags, summary: 'Descargar los números erróneos (inválidos, no entregados, fallidos, dados de baja) con el motivo / download the bad numbers with the reason, as CSV', params: massSmsParams, produces: ['text/csv'] } },
      async (request, reply) => {
        const { campaignId, massSmsId } = request.params;
        const principal = authorizeManager(request, campaignId);
        const row = await findMassSms(db, campaignId, massSmsId);
        const rows = await db
          .selectFrom('mass_sms_recipients')
          .select(['phone', 'name', 'status', 'error_code', 'error', 'attempts', 'failed_at', 'created_at'])
          .where('mass_sms_id', '=', massSmsId)
          .where('status', 'in', ['invalid', 'undelivered', 'failed', 'opted_out'])
          .orderBy('status')
          .orderBy('phone')
          .execute();
        // Citizens' numbers leave the system: an audited export.
        await recordAudit(db, { actorUserId: principal.userId, ...requestMeta(request), action: 'data.exported', campaignId, targetType: 'mass_sms', targetId: row.id, details: { export: 'bad-numbers', rows: rows.length } });
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="numeros-erroneos-${row.id.slice(0, 8)}.csv"`)
          .send(badNumbersCsv(rows.map((r) => ({ phone: r.phone, name: r.name, status: r.status, errorCode: r.error_code, error: r.error, attempts: r.attempts, at: r.failed_at ?? r.created_at }))));
      },
    );
  };
}
