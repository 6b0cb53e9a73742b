import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../audit/audit.js';
import { HubError } from '../errors/error-registry.js';
import { authenticateHook, principalOf } from '../http/authenticate.js';
import type { HubContext } from '../runtime/context.js';
import { signAccessToken } from './access-token.js';
import { loadPrincipal } from './load-principal.js';
import { hashPassword, verifyPassword } from './password.js';
import { LoginGuard, LoginLockedError } from './login-guard.js';
import { RateLimitedError } from '../webchat/rate-limiter.js';
import type { Principal } from './principal.js';
import { sessionUserSchema } from './user.schema.js';
import { findSession, issueSession, revokeFamily, rotate, type IssuedRefreshToken } from './refresh-tokens.js';


const tokenPairSchema = z.object({
  accessToken: z.string().describe('JWT (HS256); send as `Authorization: Bearer …`'),
  refreshToken: z.string().describe('Opaque, one-time use: every /refresh returns a new one'),
  expiresIn: z.number().int().describe('Seconds until the access token expires'),
  refreshExpiresAt: z.string().describe('ISO-8601 expiry of the refresh token'),
  tokenType: z.literal('Bearer'),
  user: sessionUserSchema,
});

const loginBody = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
});

const refreshBody = z.object({ refreshToken: z.string().min(1).max(200) });

const noContent = z.null().describe('Sin contenido / no content');

/**
 * Verifying against a real argon2id hash when the email is unknown keeps "no such user" and
 * "wrong password" equally slow, so response time does not reveal which accounts exist.
 */
let dummyHash: Promise<string> | undefined;
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummyHash;
}

function sessionMeta(ctx: HubContext, request: FastifyRequest) {
  return { ...requestMeta(request), ttlSeconds: ctx.config.REFRESH_TOKEN_TTL_SECONDS };
}

async function tokenPair(ctx: HubContext, principal: Principal, refresh: IssuedRefreshToken, locale: string) {
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

function sessionUser(principal: Principal, locale: string) {
  return {
    id: principal.userId,
    email: principal.email,
    displayName: principal.displayName,
    roles: principal.roles,
    campaignIds: principal.campaignIds,
    locale,
  };
}

async function localeOf(ctx: HubContext, userId: string): Promise<string> {
  const row = await ctx.db.kysely.selectFrom('users').select('locale').where('id', '=', userId).executeTakeFirst();
  return row?.locale ?? 'es-MX';
}

/** /api/v1/auth — registered outside the authenticated scope: login and refresh carry no access token. */
export function authRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const guard = new LoginGuard(ctx.redis, ctx.config);

    app.addHook('onError', async (_request, reply, error) => {
      if (error instanceof RateLimitedError || error instanceof LoginLockedError) reply.header('retry-after', String(error.retryAfterSeconds));
    });

    app.post(
      '/login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Iniciar sesión / log in with email and password',
          security: [],
          body: loginBody,
          response: { 200: tokenPairSchema },
        },
      },
      async (request) => {
        await guard.hitIp('login', request.ip);
        const email = request.body.email.toLowerCase();
        const meta = sessionMeta(ctx, request);
        const user = await db.selectFrom('users').select(['id', 'password_hash', 'disabled', 'locale']).where('email', '=', email).executeTakeFirst();

        const failure = async (reason: 'unknown_email' | 'wrong_password' | 'disabled' | 'locked') =>
          recordAudit(db, {
            action: 'auth.login_failed',
            // Whoever typed the password is unknown: the account is the target, not the actor.
            actorUserId: null,
            actorLabel: email,
            targetType: 'user',
            ...(user ? { targetId: user.id } : {}),
            outcome: 'failure',
            ...meta,
            details: { email, reason },
          });

        // Checked before the password: during a lockout even the right one is refused.
        try {
          await guard.assertNotLocked(email);
        } catch (error) {
          if (error instanceof LoginLockedError) await failure('locked');
          throw error;
        }
        const passwordOk = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), request.body.password);

        if (!user || !passwordOk) {
          await failure(user ? 'wrong_password' : 'unknown_email');
          const counted = await guard.recordFailure(email);
          if (counted.locked) {
            await recordAudit(db, {
              action: 'auth.locked_out',
              actorUserId: null,
              actorLabel: email,
              targetType: 'user',
              ...(user ? { targetId: user.id } : {}),
              outcome: 'failure',
              ...meta,
              details: { email, failures: counted.failures, lockedMinutes: ctx.config.AUTH_LOCKOUT_MINUTES },
            });
            throw new LoginLockedError(counted.retryAfterSeconds);
          }
          throw new HubError('HUB_ERR_AUTH_INVALID_CREDENTIALS');
        }
        // Only after the password matched, so "disabled" does not reveal that an email exists.
        if (user.disabled) {
          await failure('disabled');
          throw new HubError('HUB_ERR_USER_DISABLED');
        }

        await guard.recordSuccess(email);
        const principal = await loadPrincipal(db, user.id);
        const refresh = await db.transaction().execute(async (trx) => {
          const issued = await issueSession(trx, user.id, meta);
          await trx.updateTable('users').set({ last_login_at: sql<Date>`now()` }).where('id', '=', user.id).execute();
          await recordAudit(trx, {
            action: 'auth.login_succeeded',
            actorUserId: user.id,
            actorLabel: email,
            targetType: 'session',
            targetId: issued.familyId,
            ...meta,
            details: { email },
          });
          return issued;
        });
        return tokenPair(ctx, principal, refresh, user.locale);
      },
    );

    app.post(
      '/refresh',
      {
        schema: {
          tags: ['auth'],
          summary: 'Renovar sesión / exchange a refresh token for a new token pair (one-time use)',
          security: [],
          body: refreshBody,
          response: { 200: tokenPairSchema },
        },
      },
      async (request) => {
        await guard.hitIp('refresh', request.ip);
        const refresh = await rotate(db, request.body.refreshToken, sessionMeta(ctx, request));
        const principal = await loadPrincipal(db, refresh.userId);
        return tokenPair(ctx, principal, refresh, await localeOf(ctx, refresh.userId));
      },
    );

    app.post(
      '/logout',
      {
        schema: {
          tags: ['auth'],
          summary: 'Cerrar sesión / end the session of a refresh token (its access tokens stop working too)',
          security: [],
          body: refreshBody,
          response: { 204: noContent },
        },
      },
      async (request, reply) => {
        const session = await findSession(db, request.body.refreshToken);
        if (!session) throw new HubError('HUB_ERR_AUTH_REFRESH_INVALID');
        await db.transaction().execute(async (trx) => {
          const revoked = await revokeFamily(trx, session.familyId);
          await recordAudit(trx, {
            action: 'auth.logout',
            actorUserId: session.userId,
            targetType: 'session',
            targetId: session.familyId,
            ...requestMeta(request),
            details: { tokensRevoked: revoked },
          });
        });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/me',
      {
        onRequest: authenticateHook(ctx),
        schema: {
          tags: ['auth'],
          summary: 'Usuario actual / the authenticated user, roles and campaigns',
          response: { 200: sessionUserSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return sessionUser(principal, await localeOf(ctx, principal.userId));
      },
    );
  };
}
