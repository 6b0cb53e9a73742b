import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../audit/audit.js';
import { authorize } from '../auth/principal.js';
import { HubError } from '../errors/error-registry.js';
import { principalOf } from '../http/authenticate.js';
import type { HubContext } from '../runtime/context.js';
import { createReportToken, findReportToken, listReportTokens, reportTokenViewSchema, revokeReportToken } from './report-tokens.js';

const tags = ['reports'];
const MANAGER_ROLES = ['admin', 'supervisor'] as const;

const createBodySchema = z.strictObject({
  campaignId: z.uuid('Campaña no válida / invalid campaign'),
  name: z.string().trim().min(1, 'Escriba un nombre para el token / give the token a name').max(100, 'El nombre admite hasta 100 caracteres / name up to 100 characters'),
  expiresAt: z.iso.datetime({ offset: true, message: 'Vencimiento no válido, use fecha y hora ISO 8601 / invalid expiry, use an ISO 8601 date-time' }).nullable().optional(),
});

/**
 * Report tokens for BI tools (staff sessions only: a report token cannot manage tokens). Admins
 * and the campaign's supervisors create (the token is in the response once), list and revoke.
 */
export function reportTokenRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  const db = ctx.db.kysely;
  return async (app) => {
    app.get(
      '/report-tokens',
      {
        schema: {
          tags,
          summary: 'Tokens de reportes de una campaña, con su último uso / a campaign’s report tokens with their last use',
          querystring: z.object({ campaignId: z.uuid('Campaña no válida / invalid campaign') }),
          response: { 200: z.object({ items: z.array(reportTokenViewSchema) }) },
        },
      },
      async (request) => {
        authorize(principalOf(request), MANAGER_ROLES, request.query.campaignId);
        return { items: await listReportTokens(db, request.query.campaignId) };
      },
    );

    app.post(
      '/report-tokens',
      {
        schema: {
          tags,
          summary: 'Crear un token de reportes (se muestra una sola vez) / create a report token (shown once)',
          body: createBodySchema,
          response: { 201: z.object({ token: z.string(), item: reportTokenViewSchema }) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { campaignId, name, expiresAt } = request.body;
        authorize(principal, MANAGER_ROLES, campaignId);
        const expiry = expiresAt ? new Date(expiresAt) : null;
        if (expiry && expiry.getTime() <= Date.now()) throw new HubError('HUB_ERR_VALIDATION', 'El vencimiento debe ser futuro / the expiry must be in the future', [{ path: 'body.expiresAt', message: 'El vencimiento debe ser futuro' }]);
        const campaign = await db.selectFrom('campaigns').select('id').where('id', '=', campaignId).executeTakeFirst();
        if (!campaign) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
        const { view, token } = await createReportToken(db, { campaignId, name, expiresAt: expiry, createdBy: principal.userId });
        await recordAudit(db, {
          actorUserId: principal.userId,
          ...requestMeta(request),
          action: 'report_token.created',
          campaignId,
          targetType: 'report_token',
          targetId: view.id,
          details: { name, prefix: view.prefix, expiresAt: view.expiresAt },
        });
        return reply.status(201).send({ token, item: view });
      },
    );

    app.post(
      '/report-tokens/:id/revoke',
      {
        schema: {
          tags,
          summary: 'Revocar un token de reportes / revoke a report token',
          params: z.object({ id: z.uuid('Token no válido / invalid token id') }),
          response: { 200: z.object({ item: reportTokenViewSchema }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const existing = await findReportToken(db, request.params.id);
        if (!existing) throw new HubError('HUB_ERR_NOT_FOUND', 'Token de reportes no encontrado / report token not found');
        authorize(principal, MANAGER_ROLES, existing.campaign_id);
        const { view, changed } = await revokeReportToken(db, existing.id, principal.userId);
        if (changed) {
          await recordAudit(db, {
            actorUserId: principal.userId,
            ...requestMeta(request),
            action: 'report_token.revoked',
            campaignId: existing.campaign_id,
            targetType: 'report_token',
            targetId: existing.id,
            details: { name: existing.name, prefix: existing.token_prefix },
          });
        }
        return { item: view };
      },
    );
  };
}
