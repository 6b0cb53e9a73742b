import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../audit/audit.js';
import { authorize, campaignScope, type Principal } from '../auth/principal.js';
import type { Role } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { FileStore } from '../files/file-store.js';
import { principalOf } from '../http/authenticate.js';
import { assertCampaignExists, documented, parseBody } from '../inbox/inbox-http.js';
import type { HubContext } from '../runtime/context.js';
import { NOT_PERSONAL, PERSONAL_DATA_CATALOGUE } from './catalogue.js';
import { privacyPdf } from './privacy-pdf.js';
import { certificateSections, purgeCertificateSchema, toPurgeCertificate } from './purge-certificate.view.js';
import { purgeCampaign } from './purge.usecase.js';
import { retentionPolicySchema, retentionUpdateSchema } from './retention.schema.js';
import { loadRetention, saveRetention } from './retention.store.js';

/** Retention is set by admins; supervisors of the campaign may read it. */
export const RETENTION_VIEW_ROLES: readonly Role[] = ['admin', 'supervisor'];
/** Certificates are evidence for audits: admins, and auditors of the campaign. */
export const CERTIFICATE_VIEW_ROLES: readonly Role[] = ['admin', 'auditor'];

const campaignParams = z.object({ id: z.uuid() });
const idParams = z.object({ id: z.uuid() });
const catalogueEntry = z.object({
  table: z.string(),
  column: z.string(),
  category: z.enum(['identificación', 'contacto', 'contenido', 'sensible']),
  subject: z.enum(['titular', 'personal']),
  purpose: z.string(),
  legalBasis: z.string(),
  retention: z.string(),
});

async function certificateOf(ctx: HubContext, principal: Principal, id: string) {
  const row = await ctx.db.kysely.selectFrom('privacy_purge_certificates').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_NOT_FOUND', 'Certificado no encontrado / certificate not found');
  authorize(principal, CERTIFICATE_VIEW_ROLES, row.campaign_id);
  return toPurgeCertificate(row);
}

/**
 * Data protection (issue 12 part 4) under /api/v1 — see hub/src/privacy/README.md:
 * catalogue, retention per campaign, purge runs and their certificates (JSON and PDF).
 */
export function privacyRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  const db = ctx.db.kysely;
  const files = new FileStore(ctx.config.DATA_DIR);
  const tags = ['privacy'];
  return async (app) => {
    app.get(
      '/privacy/catalogue',
      { schema: { tags, summary: 'Catálogo de datos personales (LFPDPPP) / personal-data catalogue', response: { 200: z.object({ entries: z.array(catalogueEntry), notPersonal: z.array(z.object({ table: z.string(), column: z.string(), reason: z.string() })) }) } } },
      async (request) => {
        authorize(principalOf(request), ['admin']);
        return { entries: [...PERSONAL_DATA_CATALOGUE], notPersonal: [...NOT_PERSONAL] };
      },
    );

    app.get(
      '/campaigns/:id/retention',
      { schema: { tags, summary: 'Retención de la campaña: días en línea y en archivo por tipo / campaign retention policy', params: campaignParams, response: { 200: z.object({ retention: retentionPolicySchema }) } } },
      async (request) => {
        const { id } = request.params;
        authorize(principalOf(request), RETENTION_VIEW_ROLES, id);
        await assertCampaignExists(db, id);
        return { retention: await loadRetention(db, id) };
      },
    );

    app.put(
      '/campaigns/:id/retention',
      {
        schema: {
          tags,
          summary: 'Configurar la retención (en línea ≥ 30 días, archivo ≥ en línea; auditado) / set the retention policy (audited)',
          params: campaignParams,
          body: documented(retentionUpdateSchema),
          response: { 200: z.object({ retention: retentionPolicySchema }) },
        },
      },
      async (request) => {
        const { id } = request.params;
        const principal = principalOf(request);
        authorize(principal, ['admin'], id);
        await assertCampaignExists(db, id);
        const update = parseBody(retentionUpdateSchema, request.body);
        const retention = await db.transaction().execute(async (trx) => {
          const before = await loadRetention(trx, id);
          await saveRetention(trx, id, update, principal.userId);
          const after = await loadRetention(trx, id);
          await recordAudit(trx, {
            action: 'privacy.retention_updated',
            actorUserId: principal.userId,
            actorLabel: principal.email,
            ...requestMeta(request),
            campaignId: id,
            targetType: 'campaign',
            targetId: id,
            details: { before, after },
          });
          return after;
        });
        return { retention };
      },
    );

    app.post(
      '/privacy/purge-runs',
      {
        schema: {
          tags,
          summary: 'Archivar y depurar ahora una campaña según su retención (admin; certificado) / run the retention pass of a campaign now',
          body: z.object({ campaignId: z.uuid() }),
          response: { 200: z.object({ skipped: z.boolean(), certificateId: z.uuid().nullable(), counts: z.record(z.string(), z.object({ archived: z.number(), purged: z.number() })) }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { campaignId } = request.body;
        authorize(principal, ['admin'], campaignId);
        await assertCampaignExists(db, campaignId);
        const outcome = await purgeCampaign({ db, files }, campaignId, new Date(), { kind: 'user', userId: principal.userId, label: principal.email });
        return { skipped: outcome.skipped, certificateId: outcome.certificateId, counts: outcome.counts };
      },
    );

    app.get(
      '/privacy/purge-certificates',
      {
        schema: {
          tags,
          summary: 'Certificados de depuración, recientes primero / purge certificates, newest first',
          querystring: z.object({ campaignId: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
          response: { 200: z.object({ items: z.array(purgeCertificateSchema) }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { campaignId, limit } = request.query;
        authorize(principal, CERTIFICATE_VIEW_ROLES, campaignId);
        const scope = campaignScope(principal);
        if (scope?.length === 0) return { items: [] };
        const rows = await db
          .selectFrom('privacy_purge_certificates')
          .selectAll()
          .$if(campaignId !== undefined, (qb) => qb.where('campaign_id', '=', campaignId ?? ''))
          .$if(scope !== null, (qb) => qb.where('campaign_id', 'in', scope ?? []))
          .orderBy('finished_at', 'desc')
          .orderBy('id')
          .limit(limit)
          .execute();
        return { items: rows.map(toPurgeCertificate) };
      },
    );

    app.get(
      '/privacy/purge-certificates/:id',
      { schema: { tags, summary: 'Un certificado de depuración / one purge certificate', params: idParams, response: { 200: purgeCertificateSchema } } },
      async (request) => certificateOf(ctx, principalOf(request), request.params.id),
    );

    app.get(
      '/privacy/purge-certificates/:id/pdf',
      { schema: { tags, summary: 'Certificado de depuración en PDF (auditado) / purge certificate as PDF (audited)', params: idParams, produces: ['application/pdf'] } },
      async (request, reply) => {
        const principal = principalOf(request);
        const certificate = await certificateOf(ctx, principal, request.params.id);
        const campaign = await db.selectFrom('campaigns').select('name').where('id', '=', certificate.campaignId).executeTakeFirstOrThrow();
        const pdf = await privacyPdf('Certificado de depuración de datos personales', certificateSections(certificate, campaign.name));
        await recordAudit(db, {
          action: 'privacy.certificate_exported',
          actorUserId: principal.userId,
          actorLabel: principal.email,
          ...requestMeta(request),
          campaignId: certificate.campaignId,
          targetType: 'purge_certificate',
          targetId: certificate.id,
          details: { purgedIdsSha256: certificate.purgedIdsSha256 },
        });
        return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="certificado-depuracion-${certificate.id}.pdf"`).send(pdf);
      },
    );
  };
}
