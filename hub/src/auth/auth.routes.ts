import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../audit/audit.js';
import { HubError } from '../errors/error-registry.js';
import { authenticateHook, principalOf } from '../http/authenticate.js';
import type { HubContext } from '../runtime/context.js';
import { loadPrincipal } from './load-principal.js';
import { passwordChangeRoutes } from './password-change.routes.js';
import { sessionMeta, sessionUser, startSession, tokenPair, tokenPairSchema } from './login-session.js';
import { hashPassword, verifyPassword } from './password.js';
import { LoginGuard, LoginLockedError } from './login-guard.js';
import { RateLimitedError } from '../webchat/rate-limiter.js';
import { sessionUserSchema } from './user.schema.js';
import { findSession, revokeFamily, rotate } from './refresh-tokens.js';
import { deriveTotpKeys } from './totp/totp-crypto.js';
import { secondStepFor } from './totp/totp-policy.js';
import { loginSecondStepSchema, totpRoutes } from './totp/totp.routes.js';


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

async function localeOf(ctx: HubContext, userId: string): Promise<string> {
  const row = await ctx.db.kysely.selectFrom('users').select('locale').where('id', '=', userId).executeTakeFirst();
  return row?.locale ?? 'es-MX';
}

/** /api/v1/auth — registered outside the authenticated scope: login and refresh carry no access token. */
export function authRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const guard = new LoginGuard(ctx.redis, ctx.config);
    const totpKeys = deriveTotpKeys(ctx.config);

    app.addHook('onError', async (_request, reply, error) => {
      if (error instanceof RateLimitedError || error instanceof LoginLockedError) reply.header('retry-after', String(error.retryAfterSeconds));
    });
    // After the hook, so the TOTP second step's lockouts carry Retry-After too.
    await app.register(totpRoutes(ctx, guard, totpKeys));
    await app.register(passwordChangeRoutes(ctx, guard));

    app.post(
      '/login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Iniciar sesión / log in with email and password',
          security: [],
          body: loginBody,
          // With TOTP (enabled, or required for the role) the password only earns a challenge.
          response: { 200: z.union([tokenPairSchema, loginSecondStepSchema]) },
        },
      },
      async (request) => {
        await guard.hitIp('login', request.ip);
        const email = request.body.email.toLowerCase();
        const meta = sessionMeta(ctx, request);
        const user = await db.selectFrom('users').select(['id', 'password_hash', 'disabled', 'locale', 'roles']).where('email', '=', email).executeTakeFirst();

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

        // The failure count is kept until the second factor passes too: otherwise re-entering the
        // password would reset it and leave TOTP codes open to unlimited guessing.
        const second = await secondStepFor(db, ctx.config, totpKeys, { id: user.id, roles: user.roles, passwordHash: user.password_hash });
        if (second) return second;
        await guard.recordSuccess(email);
        return startSession(ctx, request, { id: user.id, email, locale: user.locale });
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
