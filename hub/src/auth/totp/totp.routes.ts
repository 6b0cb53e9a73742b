import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../../audit/audit.js';
import { HubError } from '../../errors/error-registry.js';
import { authenticateHook, bearerToken, principalOf } from '../../http/authenticate.js';
import type { HubContext } from '../../runtime/context.js';
import { authenticateToken } from '../load-principal.js';
import { LoginLockedError, type LoginGuard } from '../login-guard.js';
import { startSession, tokenPairSchema } from '../login-session.js';
import { verifyPassword } from '../password.js';
import { revokeAllSessions } from '../refresh-tokens.js';
import { base32Encode } from './base32.js';
import { passwordFingerprint, verifyChallenge, type ChallengePurpose } from './totp-challenge.js';
import { generateTotpSecret, type TotpKeys } from './totp-crypto.js';
import { totpRequiredFor } from './totp-policy.js';
import { consumeRecoveryCode, consumeTotpCode, deleteTotp, enableTotp, loadTotp, savePendingSecret } from './totp-store.js';

/** Shown as the account's issuer in authenticator apps. */
const ISSUER = 'Ventanilla';

const challengeField = z.string().min(20).max(2000).describe('El reto que devolvió /auth/login / the challenge /auth/login answered');
const codeField = z.string().trim().regex(/^\d{6}$/, 'seis dígitos / six digits').describe('Código de 6 dígitos de la app autenticadora / 6-digit authenticator code');
const recoveryField = z.string().trim().min(10).max(20).describe('Un código de recuperación (uso único) / a single-use recovery code');

/** The login answer when the password was right but tokens wait for the second factor. */
export const loginSecondStepSchema = z.union([
  z.object({ totpRequired: z.literal(true), challenge: z.string(), expiresIn: z.number().int().describe('Segundos de vida del reto / challenge lifetime (s)') }),
  z.object({ totpEnrolmentRequired: z.literal(true), challenge: z.string(), expiresIn: z.number().int() }),
]);

const setupResponse = z.object({
  secret: z.string().describe('Secreto base32 para captura manual / base32 secret for manual entry'),
  otpauthUri: z.string(),
  qrDataUrl: z.string().describe('El URI otpauth:// como QR (PNG data URL) / the otpauth:// URI as a QR code'),
});
const enableResponse = z.object({
  recoveryCodes: z.array(z.string()).describe('Se muestran solo esta vez / shown only this once'),
  session: tokenPairSchema.optional().describe('Solo al inscribirse durante el inicio de sesión / only when enrolling during login'),
});
const statusResponse = z.object({ enabled: z.boolean(), required: z.boolean(), recoveryCodesLeft: z.number().int() });
const noContent = z.null().describe('Sin contenido / no content');

interface Caller {
  userId: string;
  email: string;
  locale: string;
  /** The session making the change (kept when others are revoked); null while enrolling during login. */
  sessionId: string | null;
}

/**
 * TOTP second factor (RFC 6238) under /api/v1/auth: enrolment (setup → enable with a code →
 * recovery codes), disable, status, and the login's second step /login/totp.
 */
export function totpRoutes(ctx: HubContext, guard: LoginGuard, keys: TotpKeys): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;

    /** A challenge's user, still enabled and with the password the challenge was earned with. */
    async function challengeUser(token: string, purpose: ChallengePurpose) {
      const claims = await verifyChallenge(ctx.config.JWT_SECRET, token, purpose);
      const user = await db
        .selectFrom('users')
        .select(['id', 'email', 'locale', 'roles', 'disabled', 'password_hash'])
        .where('id', '=', claims.userId)
        .executeTakeFirst();
      if (!user || passwordFingerprint(user.password_hash) !== claims.pwf) throw new HubError('HUB_ERR_AUTH_TOTP_CHALLENGE_INVALID');
      if (user.disabled) throw new HubError('HUB_ERR_USER_DISABLED');
      return user;
    }

    /** Enrolment works with a session, or — for a role that must enrol before it gets one — with the enrol challenge. */
    async function enrollingCaller(request: FastifyRequest, challenge: string | undefined): Promise<Caller> {
      const token = bearerToken(request);
      if (token || !challenge) {
        const principal = await authenticateToken(db, ctx.config.JWT_SECRET, token);
        const row = await db.selectFrom('users').select('locale').where('id', '=', principal.userId).executeTakeFirstOrThrow();
        return { userId: principal.userId, email: principal.email, locale: row.locale, sessionId: principal.sessionId };
      }
      const user = await challengeUser(challenge, 'enrol');
      await guard.assertNotLocked(user.email);
      return { userId: user.id, email: user.email, locale: user.locale, sessionId: null };
    }

    /** A wrong second factor counts like a wrong password (login-guard): the N-th locks the account. */
    async function countFailure(request: FastifyRequest, user: { id: string; email: string }, reason: string): Promise<never> {
      const meta = requestMeta(request);
      await recordAudit(db, { action: 'auth.totp_failed', actorUserId: null, actorLabel: user.email, targetType: 'user', targetId: user.id, outcome: 'failure', ...meta, details: { email: user.email, reason } });
      const counted = await guard.recordFailure(user.email);
      if (!counted.locked) throw new HubError('HUB_ERR_AUTH_TOTP_INVALID');
      await recordAudit(db, {
        action: 'auth.locked_out',
        actorUserId: null,
        actorLabel: user.email,
        targetType: 'user',
        targetId: user.id,
        outcome: 'failure',
        ...meta,
        details: { email: user.email, failures: counted.failures, lockedMinutes: ctx.config.AUTH_LOCKOUT_MINUTES, step: 'totp' },
      });
      throw new LoginLockedError(counted.retryAfterSeconds);
    }

    app.post(
      '/login/totp',
      {
        schema: {
          tags: ['auth'],
          summary: 'Segundo paso del inicio de sesión / log in, step 2: the TOTP code (or a recovery code) for the challenge',
          security: [],
          body: z.object({ challenge: challengeField, code: codeField.optional(), recoveryCode: recoveryField.optional() }).refine((body) => (body.code === undefined) !== (body.recoveryCode === undefined), 'code o recoveryCode, uno de los dos / exactly one of code or recoveryCode'),
          response: { 200: tokenPairSchema },
        },
      },
      async (request) => {
        await guard.hitIp('login', request.ip);
        const user = await challengeUser(request.body.challenge, 'login');
        // Reset or turned off since the challenge was issued: a pending new secret must not count.
        if (!(await loadTotp(db, keys, user.id))?.enabled) throw new HubError('HUB_ERR_AUTH_TOTP_CHALLENGE_INVALID');
        await guard.assertNotLocked(user.email);
        const { code, recoveryCode } = request.body;
        let factor: 'totp' | 'recovery_code' = 'totp';
        if (code !== undefined) {
          if (!(await consumeTotpCode(db, keys, user.id, code))) await countFailure(request, user, 'wrong_code');
        } else if (recoveryCode !== undefined) {
          const spent = await consumeRecoveryCode(db, keys, user.id, recoveryCode);
          if (!spent.ok) await countFailure(request, user, 'wrong_recovery_code');
          factor = 'recovery_code';
          await recordAudit(db, { action: 'auth.totp_recovery_used', actorUserId: user.id, targetType: 'user', targetId: user.id, ...requestMeta(request), details: { email: user.email, remaining: spent.remaining } });
        }
        await guard.recordSuccess(user.email);
        return startSession(ctx, request, { id: user.id, email: user.email, locale: user.locale }, { secondFactor: factor });
      },
    );

    app.get(
      '/totp',
      {
        onRequest: authenticateHook(ctx),
        schema: { tags: ['auth'], summary: 'Estado del segundo factor / my TOTP status', response: { 200: statusResponse } },
      },
      async (request) => {
        const principal = principalOf(request);
        const state = await loadTotp(db, keys, principal.userId);
        const left = await db
          .selectFrom('user_totp_recovery_codes')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('user_id', '=', principal.userId)
          .where('used_at', 'is', null)
          .executeTakeFirstOrThrow();
        return { enabled: state?.enabled ?? false, required: totpRequiredFor(ctx.config, principal.roles), recoveryCodesLeft: state?.enabled ? Number(left.n) : 0 };
      },
    );

    app.post(
      '/totp/setup',
      {
        schema: {
          tags: ['auth'],
          summary: 'Generar secreto TOTP / start TOTP enrolment: a new secret, otpauth:// URI and QR (session, or the enrolment challenge)',
          body: z.object({ challenge: challengeField.optional() }).default({}),
          response: { 200: setupResponse },
        },
      },
      async (request) => {
        const caller = await enrollingCaller(request, request.body.challenge);
        const secret = generateTotpSecret();
        if (!(await savePendingSecret(db, keys, caller.userId, secret))) throw new HubError('HUB_ERR_AUTH_TOTP_ALREADY_ENABLED');
        const encoded = base32Encode(secret);
        const label = encodeURIComponent(`${ISSUER}:${caller.email}`);
        const otpauthUri = `otpauth://totp/${label}?secret=${encoded}&issuer=${ISSUER}&algorithm=SHA1&digits=6&period=30`;
        const qrDataUrl = await QRCode.toDataURL(otpauthUri, { type: 'image/png', errorCorrectionLevel: 'M', margin: 2, width: 240 });
        return { secret: encoded, otpauthUri, qrDataUrl };
      },
    );

    app.post(
      '/totp/enable',
      {
        schema: {
          tags: ['auth'],
          summary: 'Activar TOTP con un código / enable TOTP with a current code; returns 10 recovery codes once and ends the other sessions',
          body: z.object({ code: codeField, challenge: challengeField.optional() }),
          response: { 200: enableResponse },
        },
      },
      async (request) => {
        const caller = await enrollingCaller(request, request.body.challenge);
        const state = await loadTotp(db, keys, caller.userId);
        if (!state) throw new HubError('HUB_ERR_AUTH_TOTP_NOT_SET_UP');
        if (state.enabled) throw new HubError('HUB_ERR_AUTH_TOTP_ALREADY_ENABLED');
        if (!(await consumeTotpCode(db, keys, caller.userId, request.body.code))) throw new HubError('HUB_ERR_AUTH_TOTP_INVALID');
        const recoveryCodes = await db.transaction().execute(async (trx) => {
          const codes = await enableTotp(trx, keys, caller.userId);
          const sessionsRevoked = await revokeAllSessions(trx, caller.userId, caller.sessionId ?? undefined);
          await recordAudit(trx, {
            action: 'auth.totp_enabled',
            actorUserId: caller.userId,
            targetType: 'user',
            targetId: caller.userId,
            ...requestMeta(request),
            details: { email: caller.email, sessionsRevoked, duringLogin: caller.sessionId === null },
          });
          return codes;
        });
        if (caller.sessionId !== null) return { recoveryCodes };
        // Enrolled during login: the code just proved the second factor, so the login completes.
        await guard.recordSuccess(caller.email);
        const session = await startSession(ctx, request, { id: caller.userId, email: caller.email, locale: caller.locale }, { secondFactor: 'totp', enrolled: true });
        return { recoveryCodes, session };
      },
    );

    app.post(
      '/totp/disable',
      {
        onRequest: authenticateHook(ctx),
        schema: {
          tags: ['auth'],
          summary: 'Desactivar TOTP / disable TOTP with a current code or the password; ends the other sessions',
          body: z
            .object({ code: codeField.optional(), password: z.string().min(1).max(1024).optional() })
            .refine((body) => body.code !== undefined || body.password !== undefined, 'code o password / code or password'),
          response: { 204: noContent },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const user = { id: principal.userId, email: principal.email };
        const state = await loadTotp(db, keys, user.id);
        if (!state?.enabled) throw new HubError('HUB_ERR_AUTH_TOTP_NOT_ENABLED');
        if (totpRequiredFor(ctx.config, principal.roles)) throw new HubError('HUB_ERR_AUTH_TOTP_REQUIRED');
        await guard.assertNotLocked(user.email);
        const { code, password } = request.body;
        if (code !== undefined) {
          if (!(await consumeTotpCode(db, keys, user.id, code))) await countFailure(request, user, 'wrong_code_disable');
        } else if (password !== undefined) {
          const row = await db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
          if (!(await verifyPassword(row.password_hash, password))) await countFailure(request, user, 'wrong_password_disable');
        }
        await db.transaction().execute(async (trx) => {
          await deleteTotp(trx, user.id);
          const sessionsRevoked = await revokeAllSessions(trx, user.id, principal.sessionId);
          await recordAudit(trx, {
            action: 'auth.totp_disabled',
            actorUserId: user.id,
            targetType: 'user',
            targetId: user.id,
            ...requestMeta(request),
            details: { email: user.email, sessionsRevoked, provedWith: code !== undefined ? 'code' : 'password' },
          });
        });
        ctx.publisher.disconnectUser(user.id);
        return reply.status(204).send(null);
      },
    );
  };
}
