import type { FastifyRequest } from 'fastify';
import { authenticateToken } from '../auth/load-principal.js';
import type { Principal } from '../auth/principal.js';
import { HubError } from '../errors/error-registry.js';
import type { HubContext } from '../runtime/context.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: (Principal & { sessionId: string }) | null;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}

/** onRequest hook for every protected route: a valid token and an enabled user, or 401/403. */
export function authenticateHook(ctx: HubContext) {
  return async (request: FastifyRequest): Promise<void> => {
    request.principal = await authenticateToken(ctx.db.kysely, ctx.config.JWT_SECRET, bearerToken(request));
  };
}

export function principalOf(request: FastifyRequest): Principal & { sessionId: string } {
  if (!request.principal) throw new HubError('HUB_ERR_AUTH_REQUIRED');
  return request.principal;
}
