import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HubContext } from '../runtime/context.js';
import { cannedResponsesRoutes } from './canned-responses.routes.js';
import { dispositionCodesRoutes } from './disposition-codes.routes.js';
import { kbArticlesRoutes } from './kb-articles.routes.js';

/** The agent desktop's knowledge (issue 4): canned responses, tipification codes, KB articles. */
export function inboxKnowledgeRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(cannedResponsesRoutes(ctx));
    await app.register(dispositionCodesRoutes(ctx));
    await app.register(kbArticlesRoutes(ctx));
  };
}
