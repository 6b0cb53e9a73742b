import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HubContext } from '../runtime/context.js';
import { rateCardRoutes } from './rate-card/rate-card.routes.js';
import { statementRoutes } from './http/statement.routes.js';

/** Billing (issue 10): one plugin for the hub's route list; each part registers its own routes here. */
export function billingRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    // Parts register here, e.g. `await app.register(rateCardRoutes(ctx));`
    await app.register(rateCardRoutes(ctx));
    await app.register(statementRoutes(ctx));
    void ctx;
    void app;
  };
}
