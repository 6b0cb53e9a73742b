import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HubContext } from '../runtime/context.js';
import { mailingRecipientsRoutes } from './mailing-recipients.routes.js';
import { massMailingsRoutes } from './mass-mailings.routes.js';

/** Everything under /api/v1 for mass e-mail (register inside the authenticated scope). */
export function massMailRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(massMailingsRoutes(ctx));
    await app.register(mailingRecipientsRoutes(ctx));
  };
}
