import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HubContext } from '../runtime/context.js';
import { slaConfigRoutes } from './sla-config.routes.js';
import { slaEvaluationRoutes } from './sla-evaluations.routes.js';

/** Service levels and deductions (issue 9 items 3 and 7): one plugin for the hub's route list. */
export function slaRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(slaConfigRoutes(ctx));
    await app.register(slaEvaluationRoutes(ctx));
  };
}
