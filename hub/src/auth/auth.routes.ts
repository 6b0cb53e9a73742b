import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HubContext } from '../runtime/context.js';

// PLACEHOLDER — to be written in this session.
export function authRoutes(_ctx: HubContext): FastifyPluginAsyncZod {
  return async () => undefined;
}
