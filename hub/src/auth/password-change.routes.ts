import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../audit/audit.js';
import { HubError } from '../errors/error-registry.js';
import { authenticateHook, principalOf } from '../http/authenticate.js';
import type { HubContext } from '../runtime/context.js';
import { LoginLockedError, type LoginGuard } from './login-guard.js';
import { hashPassword, passwordProblems, verifyPassword } from './password.js';
import { revokeAllSessions } from './refresh-tokens.js';

const body = z.object({
  currentPassword: z.string().min(1).max(1024).describe('La contraseña actual / the current password'),
  newPassword: z.string().max(1024).describe('La nueva contraseña (política del personal) / the new password (staff password policy)'),
});

/**
 * POST /api/v1/auth/password: a signed-in user changes their own password. Every other session
 * ends (a changed password is often a suspected leak); this one stays signed in. A wrong current
 * password counts toward the login lockout, so a stolen access token cannot guess it freely.
 */
export function passwordChangeRoutes(ctx: HubContext, guard: LoginGuard): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    app.post(
      '/password',
      {
        onRequest: authenticateHook(ctx),
        schema: {
          tags: ['auth'],
          summary: 'Cambiar mi contraseña / change my own password; ends my other sessions',
          body,
          response: { 204: z.null().describe('Sin contenido / no content') },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const meta = requestMeta(request);
        await guard.assertNotLocked(principal.email);
        const row = await db.selectFrom('users').select('password_hash').where('id', '=', principal.userId).executeTakeFirstOrThrow();
        if (!(await verifyPassword(row.password_hash, request.body.currentPassword))) {
          const counted = await guard.recordFailure(principal.email);
          if (counted.locked) throw new LoginLockedError(counted.retryAfterSeconds);
          throw new HubError('HUB_ERR_AUTH_INVALID_CREDENTIALS');
        }
        const problems = passwordProblems(request.body.newPassword, principal.email);
        if (problems.length > 0) {
          const details = problems.map((message) => ({ path: 'body.newPassword', message }));
          throw new HubError('HUB_ERR_VALIDATION', `Contraseña rechazada / password rejected — ${problems.join('; ')}`, details);
        }
        const passwordHash = await hashPassword(request.body.newPassword);
        await db.transaction().execute(async (trx) => {
          await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: sql<Date>`now()` }).where('id', '=', principal.userId).execute();
          const sessionsRevoked = await revokeAllSessions(trx, principal.userId, principal.sessionId);
          await recordAudit(trx, {
            action: 'user.password_changed',
            actorUserId: principal.userId,
            targetType: 'user',
            targetId: principal.userId,
            ...meta,
            details: { email: principal.email, sessionsRevoked, self: true },
          });
        });
        await guard.recordSuccess(principal.email);
        return reply.status(204).send(null);
      },
    );
  };
}
