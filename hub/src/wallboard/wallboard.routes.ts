import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMeta } from '../audit/audit.js';
import { authorize } from '../auth/principal.js';
import { principalOf } from '../http/authenticate.js';
import type { HubContext } from '../runtime/context.js';
import { wallboardKeys } from './wallboard-keys.js';
import { buildWallboardSnapshot } from './wallboard-snapshot.js';
import { createThreshold, deleteThreshold, listThresholds, updateThreshold, WALLBOARD_ROLES } from './wallboard-thresholds.store.js';
import { thresholdBodySchema, thresholdPatchSchema, thresholdViewSchema } from './wallboard.schema.js';

const tags = ['wallboard'];
const campaignParams = z.object({ campaignId: z.uuid() });
const thresholdParams = z.object({ campaignId: z.uuid(), id: z.uuid() });

/**
 * The live wallboard (issue 9 item 4): the initial snapshot and the alert thresholds. The measuring
 * rules it applies are the campaign's SLA contract data (kpi/measuring-rules.ts), edited under
 * «Niveles de servicio (SLA)» (sla/sla-config.routes.ts), not here.
 */
export function wallboardRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  const db = ctx.db.kysely;
  return async (app) => {
    app.get(
      '/wallboard/:campaignId',
      {
        schema: {
          tags,
          summary: 'Tablero en vivo de la campaña: filas, agentes, KPI de hoy y alertas / the campaign’s live wallboard snapshot',
          params: campaignParams,
        },
      },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), WALLBOARD_ROLES, campaignId);
        const starts = await ctx.redis.hgetall(wallboardKeys(ctx.config.REDIS_PREFIX, campaignId).alerts);
        const built = await buildWallboardSnapshot(db, campaignId, { cause: 'request', alertStarts: new Map(Object.entries(starts).map(([id, ms]) => [id, Number(ms)])) });
        return built.snapshot;
      },
    );

    app.get(
      '/wallboard/:campaignId/thresholds',
      { schema: { tags, summary: 'Umbrales de alerta / alert thresholds', params: campaignParams, response: { 200: z.object({ items: z.array(thresholdViewSchema) }) } } },
      async (request) => ({ items: await listThresholds(db, principalOf(request), request.params.campaignId) }),
    );

    app.post(
      '/wallboard/:campaignId/thresholds',
      {
        schema: {
          tags,
          summary: 'Crear un umbral de alerta (campaña o fila) / create an alert threshold',
          params: campaignParams,
          body: thresholdBodySchema,
          response: { 201: thresholdViewSchema },
        },
      },
      async (request, reply) => {
        const view = await createThreshold(db, principalOf(request), request.params.campaignId, request.body, requestMeta(request));
        return reply.status(201).send(view);
      },
    );

    app.patch(
      '/wallboard/:campaignId/thresholds/:id',
      { schema: { tags, summary: 'Cambiar el valor de un umbral / change a threshold', params: thresholdParams, body: thresholdPatchSchema, response: { 200: thresholdViewSchema } } },
      async (request) => updateThreshold(db, principalOf(request), request.params.campaignId, request.params.id, request.body.value, requestMeta(request)),
    );

    app.delete(
      '/wallboard/:campaignId/thresholds/:id',
      { schema: { tags, summary: 'Borrar un umbral / delete a threshold', params: thresholdParams } },
      async (request, reply) => {
        await deleteThreshold(db, principalOf(request), request.params.campaignId, request.params.id, requestMeta(request));
        return reply.status(204).send();
      },
    );
  };
}
