import type { FastifyRequest } from 'fastify';
import { authenticateToken } from '../auth/load-principal.js';
import type { Principal } from '../auth/principal.js';
import { HubError } from '../errors/error-registry.js';
import { touchAgentActivity } from '../router/store/agent-seats.js';
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

/**
 * onRequest hook for every protected route: a valid token and an enabled user, or 401/403.
 * An agent's request is also activity for auto-logout (router, issue 3): recorded at most every
 * 15 s per agent and process, off the request's path.
 */
export function authenticateHook(ctx: HubContext) {
  const lastTouch = new Map<string, number>();
  return async (request: FastifyRequest): Promise<void> => {
    request.principal = await authenticateToken(ctx.db.kysely, ctx.config.JWT_SECRET, bearerToken(request));
    const principal = request.principal;
    if (!principal?.roles.includes('agent')) return;
    const now = Date.now();
    if (now - (lastTouch.get(principal.userId) ?? 0) < 15_000) return;
    lastTouch.set(principal.userId, now);
    if (lastTouch.size > 50_000) lastTouch.clear();
    touchAgentActivity(ctx.db.kysely, principal.userId).catch((error: unknown) => request.log.warn({ err: error }, 'agent activity not recorded'));
  };
}

export function principalOf(request: FastifyRequest): Principal & { sessionId: string } {
  if (!request.principal) throw new HubError('HUB_ERR_AUTH_REQUIRED');
  return request.principal;
}
