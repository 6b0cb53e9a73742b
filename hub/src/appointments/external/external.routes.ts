import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HubContext } from '../../runtime/context.js';

/** Issue 11 — being written; the routes of this part register here. */
export function externalSchedulingRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    void ctx;
    void app;
  };
}
