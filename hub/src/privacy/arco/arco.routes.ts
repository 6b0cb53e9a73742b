import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../../audit/audit.js';
import { authorize, campaignScope } from '../../auth/principal.js';
import { HubError } from '../../errors/error-registry.js';
import { FileStore } from '../../files/file-store.js';
import { principalOf } from '../../http/authenticate.js';
import { assertCampaignExists, documented, parseBody } from '../../inbox/inbox-http.js';
import type { HubContext } from '../../runtime/context.js';
import { privacyPdf } from '../privacy-pdf.js';
import { cancelContact } from './arco-cancel.usecase.js';
import { arcoExport, arcoExportSections } from './arco-export.usecase.js';
import { rectifyContact } from './arco-rectify.usecase.js';
import { ARCO_ROLES, ARCO_VIEW_ROLES, assertOpen, nextArcoFolio, requireArcoRequest } from './arco-requests.store.js';
import { arcoCreateSchema, arcoRectifySchema, arcoRequestSchema, arcoResolveSchema, toArcoView } from './arco.schema.js';

const idParams = z.object({ id: z.uuid() });
const arcoReply = z.object({ request: arcoRequestSchema });

/**
 * ARCO requests (LFPDPPP arts. 22–35) under /api/v1 — see hub/src/privacy/README.md. Created,
 * exported, rectified, cancelled and resolved by admins of the campaign, read by its auditors;
 * every step audited.
 */
export function arcoRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  const db = ctx.db.kysely;
  const files = new FileStore(ctx.config.DATA_DIR);
  const tags = ['privacy'];
  return async (app) => {
    app.post(
      '/privacy/arco-requests',
      { schema: { tags, summary: 'Registrar una solicitud ARCO (folio ARCO-AAAAMMDD-NNNNNN) / register an ARCO request', body: documented(arcoCreateSchema), response: { 201: arcoReply } } },
      async (request, reply) => {
        const principal = principalOf(request);
        authorize(principal, ARCO_ROLES);
        const body = parseBody(arcoCreateSchema, request.body);
        authorize(principal, ARCO_ROLES, body.campaignId);
        await assertCampaignExists(db, body.campaignId);
        const row = await db.transaction().execute(async (trx) => {
          const inCampaign = await trx.selectFrom('conversations').select('id').where('contact_id', '=', body.contactId).where('campaign_id', '=', body.campaignId).limit(1).executeTakeFirst();
          if (!inCampaign) {
            const exists = await trx.selectFrom('contacts').select('id').where('id', '=', body.contactId).executeTakeFirst();
            if (!exists) throw new HubError('HUB_ERR_CONTACT_NOT_FOUND');
            throw new HubError('HUB_ERR_CONFLICT', 'El contacto no tiene conversaciones en esta campaña / the contact has no conversations in this campaign');
          }
          const folio = await nextArcoFolio(trx, body.campaignId, new Date());
          const created = await trx
            .insertInto('privacy_arco_requests')
            .values({
              folio,
              campaign_id: body.campaignId,
              contact_id: body.contactId,
              kind: body.kind,
              requester_name: body.requester.name,
              requester_email: body.requester.email ?? null,
              requester_phone: body.requester.phone ?? null,
              requester_relation: body.requester.relation,
              description: body.description ?? null,
              created_by: principal.userId,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await recordAudit(trx, {
            action: 'privacy.arco_created',
            actorUserId: principal.userId,
            actorLabel: principal.email,
            ...requestMeta(request),
            campaignId: body.campaignId,
            targetType: 'arco_request',
            targetId: created.id,
            details: { folio, kind: body.kind, contactId: body.contactId },
          });
          return created;
        });
        return reply.code(201).send({ request: toArcoView(row) });
      },
    );

    app.get(
      '/privacy/arco-requests',
      {
        schema: {
          tags,
          summary: 'Solicitudes ARCO, recientes primero / ARCO requests, newest first',
          querystring: z.object({ campaignId: z.uuid().optional(), contactId: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
          response: { 200: z.object({ items: z.array(arcoRequestSchema) }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { campaignId, contactId, limit } = request.query;
        authorize(principal, ARCO_VIEW_ROLES, campaignId);
        const scope = campaignScope(principal);
        if (scope?.length === 0) return { items: [] };
        const rows = await db
          .selectFrom('privacy_arco_requests')
          .selectAll()
          .$if(campaignId !== undefined, (qb) => qb.where('campaign_id', '=', campaignId ?? ''))
          .$if(contactId !== undefined, (qb) => qb.where('contact_id', '=', contactId ?? ''))
          .$if(scope !== null, (qb) => qb.where('campaign_id', 'in', scope ?? []))
          .orderBy('created_at', 'desc')
          .orderBy('id')
          .limit(limit)
          .execute();
        return { items: rows.map(toArcoView) };
      },
    );

    app.get('/privacy/arco-requests/:id', { schema: { tags, summary: 'Una solicitud ARCO / one ARCO request', params: idParams, response: { 200: arcoReply } } }, async (request) => ({
      request: toArcoView(await requireArcoRequest(db, principalOf(request), request.params.id, ARCO_VIEW_ROLES)),
    }));

    app.get(
      '/privacy/arco-requests/:id/export',
      {
        schema: {
          tags,
          summary: 'Derecho de acceso: todos los datos del titular en JSON o PDF (auditado) / access: all of the titular’s data as JSON or PDF (audited)',
          params: idParams,
          querystring: z.object({ format: z.enum(['json', 'pdf']).default('json') }),
          produces: ['application/json', 'application/pdf'],
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const row = await requireArcoRequest(db, principal, request.params.id, ARCO_ROLES);
        const meta = requestMeta(request);
        const data = await arcoExport(db, principal, { folio: row.folio, contactId: row.contact_id }, meta);
        const { format } = request.query;
        await recordAudit(db, {
          action: 'privacy.arco_exported',
          actorUserId: principal.userId,
          actorLabel: principal.email,
          ...meta,
          campaignId: row.campaign_id,
          targetType: 'contact',
          targetId: row.contact_id,
          details: { folio: row.folio, arcoRequestId: row.id, format, conversations: data.conversations.length, appointments: data.appointments.length, cases: data.cases.length },
        });
        if (format === 'json') return reply.header('content-disposition', `attachment; filename="${row.folio}.json"`).send(data);
        const pdf = await privacyPdf(`Datos personales del titular — ${row.folio}`, arcoExportSections(data));
        return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="${row.folio}.pdf"`).send(pdf);
      },
    );

    app.post(
      '/privacy/arco-requests/:id/rectify',
      { schema: { tags, summary: 'Rectificar los datos del titular (auditado con digest, no valores) / rectify the titular’s data', params: idParams, body: documented(arcoRectifySchema), response: { 200: arcoReply } } },
      async (request) => {
        const principal = principalOf(request);
        const body = parseBody(arcoRectifySchema, request.body);
        const row = await db.transaction().execute(async (trx) => {
          const found = await requireArcoRequest(trx, principal, request.params.id, ARCO_ROLES, { forUpdate: true });
          assertOpen(found, 'rectificacion');
          await rectifyContact(trx, principal, found, body, requestMeta(request));
          return trx.selectFrom('privacy_arco_requests').selectAll().where('id', '=', found.id).executeTakeFirstOrThrow();
        });
        return { request: toArcoView(row) };
      },
    );

    app.post(
      '/privacy/arco-requests/:id/cancel',
      { schema: { tags, summary: 'Cancelación: anonimizar al titular conservando agregados (auditado) / cancel: anonymise the titular keeping aggregates', params: idParams, response: { 200: arcoReply } } },
      async (request) => {
        const principal = principalOf(request);
        const row = await db.transaction().execute(async (trx) => {
          const found = await requireArcoRequest(trx, principal, request.params.id, ARCO_ROLES, { forUpdate: true });
          assertOpen(found, 'cancelacion');
          const result = await cancelContact(trx, principal, found, requestMeta(request));
          // Before the commit: a failed commit leaves the rows to cancel again; a missing file is a no-op.
          for (const key of result.storageKeys) await files.remove(key);
          return trx.selectFrom('privacy_arco_requests').selectAll().where('id', '=', found.id).executeTakeFirstOrThrow();
        });
        return { request: toArcoView(row) };
      },
    );

    app.post(
      '/privacy/arco-requests/:id/resolve',
      { schema: { tags, summary: 'Cerrar una solicitud (acceso entregado, oposición atendida o rechazo fundado) / resolve a request', params: idParams, body: documented(arcoResolveSchema), response: { 200: arcoReply } } },
      async (request) => {
        const principal = principalOf(request);
        const body = parseBody(arcoResolveSchema, request.body);
        const row = await db.transaction().execute(async (trx) => {
          const found = await requireArcoRequest(trx, principal, request.params.id, ARCO_ROLES, { forUpdate: true });
          if (found.status !== 'recibida') throw new HubError('HUB_ERR_CONFLICT', 'La solicitud ya fue atendida / the request was already resolved');
          const updated = await trx
            .updateTable('privacy_arco_requests')
            .set({ status: body.status, resolved_by: principal.userId, resolved_at: new Date(), resolution: JSON.stringify({ note: body.note }) })
            .where('id', '=', found.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          await recordAudit(trx, {
            action: 'privacy.arco_resolved',
            actorUserId: principal.userId,
            actorLabel: principal.email,
            ...requestMeta(request),
            campaignId: found.campaign_id,
            targetType: 'arco_request',
            targetId: found.id,
            details: { folio: found.folio, kind: found.kind, status: body.status },
          });
          return updated;
        });
        return { request: toArcoView(row) };
      },
    );
  };
}
