import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../../audit/audit.js';
import { acceptListFiles, decodeList, listFileBytes, listUploadRoute } from '../../bulk-send/list-upload.js';
import { HubError } from '../../errors/error-registry.js';
import { bilingual } from '../../router/config/routing-problem.js';
import type { HubContext } from '../../runtime/context.js';
import { blastResultsCsv } from './blast-results-csv.js';
import { auditBlast, blastSummary, findBlastFor, recipientView } from './blast-store.js';
import { blastParams, recipientSchema, recipientsQuery, summarySchema, uploadQuery, uploadReportSchema } from './blast.schema.js';
import { parseBlastList } from './blast-list.js';
import { uploadBlastList } from './upload-blast-list.usecase.js';

const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
const MAX_RECIPIENTS = 100_000;

/** A blast's recipients: list upload (raw CSV/TXT bytes), per-recipient status (paged, filtered), summary, results CSV. */
export function blastRecipientsRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['voice-blaster'];
    const base = '/voice/blasts/:blastId';
    acceptListFiles(app, MAX_UPLOAD_BYTES);

    app.post(
      `${base}/recipients`,
      listUploadRoute(MAX_UPLOAD_BYTES, {
        tags,
        summary: 'Cargar la lista: teléfono[,nombre][,datos…] por línea, con encabezado opcional / upload the list: phone[,name][,data…] per line, optional header',
        params: blastParams,
        querystring: uploadQuery,
        report: uploadReportSchema,
      }),
      async (request) => {
        await findBlastFor(db, request, request.params.blastId);
        const body = listFileBytes(request.body);
        const list = parseBlastList(decodeList(body), MAX_RECIPIENTS);
        return db.transaction().execute(async (trx) => {
          const { blast, principal } = await findBlastFor(trx, request, request.params.blastId, true);
          if (blast.status !== 'draft') throw new HubError('HUB_ERR_VOICE_BLAST_STATE', bilingual(`la lista solo se carga en borrador (esta campaña está «${blast.status}»)`, `the list can only be uploaded to a draft (this one is "${blast.status}")`));
          const report = await uploadBlastList(trx, { blastId: blast.id, campaignId: blast.campaign_id, list, replace: request.query.replace === 'true' });
          await auditBlast(trx, request, principal, 'voice_blast.recipients_uploaded', blast, { added: report.added, invalid: report.invalid, duplicates: report.duplicates, bytes: body.length });
          return report;
        });
      },
    );

    app.get(
      `${base}/recipients`,
      { schema: { tags, summary: 'Estado por destinatario, por páginas / per-recipient status, paged', params: blastParams, querystring: recipientsQuery, response: { 200: z.object({ items: z.array(recipientSchema), nextCursor: z.uuid().nullable() }) } } },
      async (request) => {
        const { blast } = await findBlastFor(db, request, request.params.blastId);
        const { status, cursor, limit } = request.query;
        let query = db.selectFrom('voice_blast_recipients').selectAll().where('blast_id', '=', blast.id);
        if (status) query = query.where('status', '=', status);
        if (cursor) query = query.where('id', '>', cursor);
        const rows = await query.orderBy('id').limit(limit + 1).execute();
        const page = rows.slice(0, limit);
        return { items: page.map(recipientView), nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
      },
    );

    app.get(`${base}/summary`, { schema: { tags, summary: 'Conteos por estado / counts by status', params: blastParams, response: { 200: summarySchema } } }, async (request) => {
      const { blast } = await findBlastFor(db, request, request.params.blastId);
      return blastSummary(db, blast.id);
    });

    app.get(
      `${base}/results.csv`,
      { schema: { tags, summary: 'Resultados por destinatario en CSV / per-recipient results as CSV', params: blastParams, produces: ['text/csv'] } },
      async (request, reply) => {
        const { blast, principal } = await findBlastFor(db, request, request.params.blastId);
        const rows = await db.selectFrom('voice_blast_recipients').selectAll().where('blast_id', '=', blast.id).orderBy('line').orderBy('id').execute();
        // Citizens' numbers and answers leave the system: an audited export.
        await recordAudit(db, { actorUserId: principal.userId, ...requestMeta(request), action: 'data.exported', campaignId: blast.campaign_id, targetType: 'voice_blast', targetId: blast.id, details: { export: 'blast-results', rows: rows.length } });
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="resultados-${blast.id.slice(0, 8)}.csv"`)
          .send(blastResultsCsv(rows));
      },
    );
  };
}
