import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize } from '../../auth/principal.js';
import type { Role } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { principalOf } from '../../http/authenticate.js';
import type { HubContext } from '../../runtime/context.js';
import { actorOf } from '../../sla/sla-config.routes.js';
import { defaultRateCard } from './default-rate-card.js';
import { createPenalty, deletePenalty, isMonthClosed, listPenalties, penaltyMonthSchema } from './penalties.store.js';
import { activateRateCardDraft, listRateCards, loadRateCard, saveRateCardDraft } from './rate-card.store.js';

const tags = ['billing'];
/** Billing is seen by the campaign's supervisors and auditors; only the admin changes it (seed-digest §5.6). */
export const BILLING_VIEW_ROLES: readonly Role[] = ['admin', 'supervisor', 'auditor'];
export const BILLING_EDIT_ROLES: readonly Role[] = ['admin'];

const campaignParams = z.object({ campaignId: z.uuid() });
const monthQuery = z.object({ month: penaltyMonthSchema });

/** Rate card versions (draft → active → archived), the default card, and fixed penalties. */
export function rateCardRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  const db = ctx.db.kysely;
  const campaignExists = async (campaignId: string): Promise<void> => {
    const row = await db.selectFrom('campaigns').select('id').where('id', '=', campaignId).executeTakeFirst();
    if (!row) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  };
  return async (app) => {
    app.get(
      '/billing/campaigns/:campaignId/rate-card',
      { schema: { tags, summary: 'Tarifa: la activa (o la del contrato por omisión), el borrador y las versiones / rate card: active (or default), draft, versions', params: campaignParams } },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), BILLING_VIEW_ROLES, campaignId);
        await campaignExists(campaignId);
        const versions = await listRateCards(db, campaignId);
        return { active: await loadRateCard(db, campaignId), draft: versions.find((v) => v.status === 'draft') ?? null, versions };
      },
    );

    app.get(
      '/billing/campaigns/:campaignId/rate-card/default',
      { schema: { tags, summary: 'La tarifa del contrato (tabla de precios del acta de fallo) para iniciar un borrador / the default card, to start a draft from', params: campaignParams } },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), BILLING_VIEW_ROLES, campaignId);
        await campaignExists(campaignId);
        return { card: defaultRateCard() };
      },
    );

    app.put(
      '/billing/campaigns/:campaignId/rate-card/draft',
      {
        schema: {
          tags,
          summary: 'Guardar el borrador de la tarifa (validado; problemas en español) / save the rate card draft',
          params: campaignParams,
          body: z.record(z.string(), z.unknown()).describe('RateCard (billing.contract.ts), validated by rateCardSchema'),
        },
      },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), BILLING_EDIT_ROLES, campaignId);
        return { draft: await saveRateCardDraft(db, campaignId, request.body, actorOf(request)) };
      },
    );

    app.post(
      '/billing/campaigns/:campaignId/rate-card/activate',
      { schema: { tags, summary: 'Activar el borrador; la versión activa anterior se archiva / activate the draft, archive the previous version', params: campaignParams } },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), BILLING_EDIT_ROLES, campaignId);
        return { active: await activateRateCardDraft(db, campaignId, actorOf(request)) };
      },
    );

    app.get(
      '/billing/campaigns/:campaignId/penalties',
      { schema: { tags, summary: 'Penalizaciones (penas convencionales) de un mes / fixed penalties of a month', params: campaignParams, querystring: monthQuery } },
      async (request) => {
        const { campaignId } = request.params;
        const { month } = request.query;
        authorize(principalOf(request), BILLING_VIEW_ROLES, campaignId);
        await campaignExists(campaignId);
        return { month, closed: await isMonthClosed(db, campaignId, month), items: await listPenalties(db, campaignId, month) };
      },
    );

    app.post(
      '/billing/campaigns/:campaignId/penalties',
      {
        schema: {
          tags,
          summary: 'Registrar una penalización (no en meses cerrados) / record a penalty (not in closed months)',
          params: campaignParams,
          querystring: z.object({ month: penaltyMonthSchema.optional() }),
          body: z.record(z.string(), z.unknown()).describe('{ month?, kind: per_day|per_hour|fixed, units, amountPerUnitCents, description } — month from the body or ?month='),
        },
      },
      async (request, reply) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), BILLING_EDIT_ROLES, campaignId);
        const body = request.query.month !== undefined && request.body['month'] === undefined ? { ...request.body, month: request.query.month } : request.body;
        if (request.query.month !== undefined && body['month'] !== request.query.month) {
          throw new HubError('HUB_ERR_VALIDATION', 'El mes del cuerpo no coincide con ?month= / the body’s month differs from ?month=');
        }
        return reply.status(201).send({ penalty: await createPenalty(db, campaignId, body, actorOf(request)) });
      },
    );

    app.delete(
      '/billing/campaigns/:campaignId/penalties/:id',
      { schema: { tags, summary: 'Eliminar una penalización (no en meses cerrados) / delete a penalty (not in closed months)', params: campaignParams.extend({ id: z.uuid() }) } },
      async (request, reply) => {
        const { campaignId, id } = request.params;
        authorize(principalOf(request), BILLING_EDIT_ROLES, campaignId);
        await deletePenalty(db, campaignId, id, actorOf(request));
        return reply.status(204).send();
      },
    );
  };
}
