import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../audit/audit.js';
import { acceptListFiles, decodeList, listFileBytes, listUploadRoute } from '../bulk-send/list-upload.js';
import { recipientPage } from '../bulk-send/recipient-page.js';
import { HubError } from '../errors/error-registry.js';
import type { HubContext } from '../runtime/context.js';
import { bilingual } from '../router/config/routing-problem.js';
import { badAddressesCsv } from './bad-addresses-csv.js';
import { findMailing, toRecipientView } from './mailing-store.js';
import { auditMailing, authorizeManager } from './mailing-access.js';
import { mailingParams, recipientSchema, recipientsQuery, uploadQuery, uploadReportSchema } from './mass-mail.schema.js';
import { parseRecipientList } from './recipient-list.js';
import { uploadRecipients } from './upload-recipients.usecase.js';

// Kept here too: the list decoding used to live in this module and its unit test imports it from here.
export { decodeList } from '../bulk-send/list-upload.js';

/** The recipients of a mailing: upload (CSV or TXT), the paged list, and the bad-address download. */
export function mailingRecipientsRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['mass-mail'];
    const base = '/campaigns/:campaignId/mass-mailings/:mailingId';

    acceptListFiles(app, ctx.config.MASS_MAIL_UPLOAD_MAX_BYTES);

    app.post(
      `${base}/recipients`,
      listUploadRoute(ctx.config.MASS_MAIL_UPLOAD_MAX_BYTES, {
        tags,
        summary: 'Cargar destinatarios: CSV (text/csv) con columna email, name opcional y las demás como variables {{columna}}; o TXT (text/plain) con un correo por línea / upload recipients: CSV with an email column, optional name, other columns as {{column}} variables; or TXT with one address per line',
        params: mailingParams,
        querystring: uploadQuery,
        report: uploadReportSchema,
      }),
      async (request) => {
        const { campaignId, mailingId } = request.params;
        const principal = authorizeManager(request, campaignId);
        const body = listFileBytes(request.body);
        const list = parseRecipientList(decodeList(body), ctx.config.MASS_MAIL_MAX_RECIPIENTS);
        return db.transaction().execute(async (trx) => {
          const mailing = await findMailing(trx, campaignId, mailingId, true);
          if (mailing.status !== 'draft') throw new HubError('HUB_ERR_MASS_MAIL_STATE', bilingual(`la lista solo se carga en borrador (este envío está «${mailing.status}»)`, `the list can only be uploaded to a draft (this mailing is "${mailing.status}")`));
          const report = await uploadRecipients(trx, { mailingId, campaignId, list, replace: request.query.replace === 'true', maxRecipients: ctx.config.MASS_MAIL_MAX_RECIPIENTS });
          await auditMailing(trx, request, principal, 'mass_mailing.recipients_uploaded', mailing, { ...report, bytes: body.length, replace: request.query.replace === 'true' });
          return report;
        });
      },
    );

    app.get(
      `${base}/recipients`,
      {
        schema: {
          tags,
          summary: 'Destinatarios con su estado, por páginas / recipients with their status, paged',
          params: mailingParams,
          querystring: recipientsQuery,
          response: { 200: z.object({ items: z.array(recipientSchema), nextCursor: z.uuid().nullable() }) },
        },
      },
      async (request) => {
        const { campaignId, mailingId } = request.params;
        authorizeManager(request, campaignId);
        await findMailing(db, campaignId, mailingId);
        return recipientPage(db, 'mass_mailing_recipients', mailingId, request.query, toRecipientView);
      },
    );

    app.get(
      `${base}/bad-addresses.csv`,
      {
        schema: {
          tags,
          summary: 'Descargar las direcciones erróneas (inválidas, rechazadas, rebotadas) con el motivo, en CSV / download the bad addresses (invalid, failed, bounced) with the reason, as CSV',
          params: mailingParams,
          produces: ['text/csv'],
        },
      },
      async (request, reply) => {
        const { campaignId, mailingId } = request.params;
        const principal = authorizeManager(request, campaignId);
        const mailing = await findMailing(db, campaignId, mailingId);
        const rows = await db
          .selectFrom('mass_mailing_recipients')
          .select(['email', 'name', 'status', 'error', 'failed_at', 'created_at'])
          .where('mailing_id', '=', mailingId)
          .where('status', 'in', ['invalid', 'failed', 'bounced'])
          .orderBy('status')
          .orderBy('email')
          .execute();
        // Addresses of citizens leave the system: the download is an audited export.
        await recordAudit(db, { actorUserId: principal.userId, ...requestMeta(request), action: 'data.exported', campaignId, targetType: 'mass_mailing', targetId: mailing.id, details: { export: 'bad-addresses', rows: rows.length } });
        const filename = `direcciones-erroneas-${mailing.id.slice(0, 8)}.csv`;
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${filename}"`)
          .send(badAddressesCsv(rows.map((r) => ({ email: r.email, name: r.name, status: r.status, error: r.error, at: r.failed_at ?? r.created_at }))));
      },
    );
  };
}
