import { sql } from 'kysely';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../audit/audit.js';
import type { HubContext } from '../runtime/context.js';
import { signAccessToken } from './access-token.js';
import { loadPrincipal } from './load-principal.js';
import type { Principal } from './principal.js';
import { issueSession, type IssuedRefreshToken, type SessionMeta } from './refresh-tokens.js';
import { sessionUserSchema } from './user.schema.js';

/** What a finished login (password, and the TOTP code when enabled) or a refresh answers. */
export const tokenPairSchema = z.object({
  accessToken: z.string().describe('JWT (HS256); send as `Authorization: Bearer …`'),
  refreshToken: z.string().describe('Opaque, one-time use: every /refresh returns a new one'),
  expiresIn: z.number().int().describe('Seconds until the access token expires'),
  refreshExpiresAt: z.string().describe('ISO-8601 expiry of the refresh token'),
  tokenType: z.literal('Bearer'),
  user: sessionUserSchema,
});

export function sessionMeta(ctx: HubContext, request: FastifyRequest): SessionMeta & { ip: string; userAgent: string | null } {
  return { ...requestMeta(request), ttlSeconds: ctx.config.REFRESH_TOKEN_TTL_SECONDS };
}

export function sessionUser(principal: Principal, locale: string) {
  return {
    id: principal.userId,
    email: principal.email,
    displayName: principal.displayName,
    roles: principal.roles,
    campaignIds: principal.campaignIds,
    locale,
  };
}

export async function tokenPair(ctx: HubContext, principal: Principal, refresh: IssuedRefreshToken, locale: string) {
  const accessToken = await signAccessToken(ctx.config.JWT_SECRET, ctx.config.ACCESS_TOKEN_TTL_SECONDS, {
    userId: principal.userId,
    sessionId: refresh.familyId,
  });
  return {
    accessToken,
    refreshToken: refresh.token,
    expiresIn: ctx.config.ACCESS_TOKEN_TTL_SECONDS,
    refreshExpiresAt: refresh.expiresAt.toISOString(),
    tokenType: 'Bearer' as const,
    user: sessionUser(principal, locale),
  };
}

/**
 * The last step of every successful login (password only, or password + TOTP): a new session,
 * last_login_at and its audit in one transaction, then the token pair.
 */
export async function startSession(
  ctx: HubContext,
  request: FastifyRequest,
  user: { id: string; email: string; locale: string },
  details: Record<string, unknown> = {},
) {
  const db = ctx.db.kysely;
  const meta = sessionMeta(ctx, request);
  const principal = await loadPrincipal(db, user.id);
  const refresh = await db.transaction().execute(async (trx) => {
    const issued = await issueSession(trx, user.id, meta);
    await trx.updateTable('users').set({ last_login_at: sql<Date>`now()` }).where('id', '=', user.id).execute();
    await recordAudit(trx, {
      action: 'auth.login_succeeded',
      actorUserId: user.id,
      actorLabel: user.email,
      targetType: 'session',
      targetId: issued.familyId,
      ...meta,
      details: { email: user.email, ...details },
    });
    return issued;
  });
  return tokenPair(ctx, principal, refresh, user.locale);
}
