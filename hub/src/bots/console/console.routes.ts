import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HubContext } from '../../runtime/context.js';
import { ConsoleEngines } from './console-engines.js';
import { consoleModelsRoutes } from './console-models.routes.js';
import { consoleReviewRoutes } from './console-review.routes.js';

/** The intent console's REST API (console.contract.ts), under /api/v1/campaigns/:campaignId/bot. */
export function botConsoleRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    // Trained models loaded for the test box and the inbox's guesses, shared by both halves.
    const engines = new ConsoleEngines();
    await app.register(consoleModelsRoutes(ctx, engines));
    await app.register(consoleReviewRoutes(ctx, engines));
  };
}
