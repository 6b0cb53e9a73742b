import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '@ventanilla/hub';
import { bearer } from '../support/auth.js';
import { createCampaign, createUser, TEST_PASSWORD } from '../support/factories.js';
import { createTestHub, TEST_JWT_SECRET, type TestHub } from '../support/test-context.js';
import { auditRows, call, login } from './auth-helpers.js';

// The storage contract: only the SHA-256 hex digest of a refresh token is kept.
const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('hex');

describe('auth: login, refresh rotation, logout, access tokens', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  const db = () => hub.ctx.db.kysely;
  const me = (token: string) => call(hub.app, { method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
  const refresh = (refreshToken: string) => call(hub.app, { method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
  const logout = (refreshToken: string) => call(hub.app, { method: 'POST', url: '/api/v1/auth/logout', payload: { refreshToken } });

  it('logs in with email (any case) and password, returns a token pair and the user, and audits it', async () => {
    const campaign = await createCampaign(db());
    const user = await createUser(db(), { roles: ['agent'], campaignIds: [campaign.id] });
    const res = await login(hub.app, user.email.toUpperCase(), TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: hub.config.ACCESS_TOKEN_TTL_SECONDS,
      user: { id: user.id, email: user.email, roles: ['agent'], campaignIds: [campaign.id], locale: 'es-MX' },
    });
    expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect((await me(body.accessToken)).json()).toMatchObject({ id: user.id, campaignIds: [campaign.id] });

    const stored = await db().selectFrom('users').select('last_login_at').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(stored.last_login_at).toBeInstanceOf(Date);
    // Only the digest is stored: a copy of the table cannot be replayed.
    const tokens = await db().selectFrom('refresh_tokens').select('token_hash').where('user_id', '=', user.id).execute();
    expect(tokens.map((t) => t.token_hash)).toEqual([hashRefreshToken(body.refreshToken)]);

    const audit = (await auditRows(db(), 'auth.login_succeeded')).filter((row) => row.actor_user_id === user.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ email: user.email });
  });

  it('rejects a wrong password and an unknown email alike, and audits both without the password', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const wrong = await login(hub.app, user.email, 'no-es-la-contraseña-1');
    const unknown = await login(hub.app, 'nadie@example.mx', 'no-es-la-contraseña-2');
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('HUB_ERR_AUTH_INVALID_CREDENTIALS');
    }
    expect(wrong.json().error.message).toBe(unknown.json().error.message);

    const failed = await auditRows(db(), 'auth.login_failed');
    const forUser = failed.find((row) => row.target_id === user.id);
    const forNobody = failed.find((row) => (row.details as { email?: string }).email === 'nadie@example.mx');
    expect(forUser).toMatchObject({ outcome: 'failure', details: { email: user.email, reason: 'wrong_password' } });
    expect(forNobody).toMatchObject({ outcome: 'failure', details: { reason: 'unknown_email' } });
    expect(JSON.stringify(failed)).not.toContain('no-es-la-contraseña');
  });

  it('refuses a disabled user with 403 only when the password is right', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    await db().updateTable('users').set({ disabled: true }).where('id', '=', user.id).execute();
    const res = await login(hub.app, user.email, TEST_PASSWORD);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('HUB_ERR_USER_DISABLED');
    expect((await login(hub.app, user.email, 'otra-contraseña-mala')).json().error.code).toBe('HUB_ERR_AUTH_INVALID_CREDENTIALS');
    expect((await auditRows(db(), 'auth.login_failed')).some((row) => row.target_id === user.id && (row.details as { reason?: string }).reason === 'disabled')).toBe(true);
    expect(await db().selectFrom('refresh_tokens').select('id').where('user_id', '=', user.id).execute()).toHaveLength(0);
  });

  it('rotates the refresh token: the new pair works, the old refresh token is spent', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const first = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const res = await refresh(first.refreshToken);
    expect(res.statusCode).toBe(200);
    const second = res.json();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.user.id).toBe(user.id);
    expect((await me(second.accessToken)).statusCode).toBe(200);
    // Same session: the access token of the first pair keeps working until it expires.
    expect((await me(first.accessToken)).statusCode).toBe(200);
    const rows = await db().selectFrom('refresh_tokens').selectAll().where('user_id', '=', user.id).orderBy('created_at').execute();
    expect(rows).toHaveLength(2);
    expect(rows[0]?.revoked_at).not.toBeNull();
    expect(rows[0]?.replaced_by).toBe(rows[1]?.id);
    expect(rows[1]?.family_id).toBe(rows[0]?.family_id);
  });

  it('treats reuse of a rotated refresh token as theft: the whole session ends and it is audited', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const first = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const second = (await refresh(first.refreshToken)).json();

    const replay = await refresh(first.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('HUB_ERR_AUTH_REFRESH_INVALID');
    // The thief's (or victim's) newer token dies with the family, and so do its access tokens.
    expect((await refresh(second.refreshToken)).json().error.code).toBe('HUB_ERR_AUTH_REFRESH_INVALID');
    const after = await me(second.accessToken);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('HUB_ERR_AUTH_SESSION_REVOKED');

    const reused = (await auditRows(db(), 'auth.refresh_reused')).filter((row) => row.actor_user_id === user.id);
    expect(reused).toHaveLength(1);
    expect(reused[0]?.outcome).toBe('failure');
  });

  it('lets only one of two concurrent uses of the same refresh token win', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const pair = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const results = await Promise.all([refresh(pair.refreshToken), refresh(pair.refreshToken), refresh(pair.refreshToken)]);
    expect(results.filter((res) => res.statusCode === 200)).toHaveLength(1);
    const live = await db().selectFrom('refresh_tokens').select('id').where('user_id', '=', user.id).where('revoked_at', 'is', null).execute();
    // The losers look like a replay, so the family is revoked: fail closed.
    expect(live).toHaveLength(0);
  });

  it('logout ends that session: its refresh and access tokens stop working, other sessions do not', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const pair = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const other = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const res = await logout(pair.refreshToken);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await refresh(pair.refreshToken)).json().error.code).toBe('HUB_ERR_AUTH_REFRESH_INVALID');
    const meAfter = await me(pair.accessToken);
    expect(meAfter.statusCode).toBe(401);
    expect(meAfter.json().error.code).toBe('HUB_ERR_AUTH_SESSION_REVOKED');
    expect((await call(hub.app, { method: 'GET', url: '/api/v1/users', headers: bearer(pair.accessToken) })).statusCode).toBe(401);
    expect((await me(other.accessToken)).statusCode).toBe(200);
    expect((await auditRows(db(), 'auth.logout')).some((row) => row.actor_user_id === user.id)).toBe(true);
    expect((await logout('no-existe-este-token')).statusCode).toBe(401);
  });

  it('answers missing, malformed, foreign and expired access tokens with 401 and a precise code', async () => {
    const user = await createUser(db(), { roles: ['admin'] });
    const { refreshToken } = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const familyId = (await db().selectFrom('refresh_tokens').select('family_id').where('token_hash', '=', hashRefreshToken(refreshToken)).executeTakeFirstOrThrow()).family_id;
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'HUB_ERR_AUTH_REQUIRED'],
      [{ authorization: 'Basic dXNlcjpwYXNz' }, 'HUB_ERR_AUTH_REQUIRED'],
      [bearer('not-a-jwt'), 'HUB_ERR_AUTH_TOKEN_INVALID'],
      [bearer(await signAccessToken('another-secret-another-secret-another-secret', 900, { userId: user.id, sessionId: familyId })), 'HUB_ERR_AUTH_TOKEN_INVALID'],
      [bearer(await signAccessToken(TEST_JWT_SECRET, -60, { userId: user.id, sessionId: familyId })), 'HUB_ERR_AUTH_TOKEN_INVALID'],
      [bearer(await signAccessToken(TEST_JWT_SECRET, 900, { userId: user.id, sessionId: 'no-uuid' })), 'HUB_ERR_AUTH_TOKEN_INVALID'],
      [bearer(await signAccessToken(TEST_JWT_SECRET, 900, { userId: user.id, sessionId: crypto.randomUUID() })), 'HUB_ERR_AUTH_SESSION_REVOKED'],
    ];
    for (const url of ['/api/v1/auth/me', '/api/v1/users', '/api/v1/audit']) {
      for (const [headers, code] of cases) {
        const res = await call(hub.app, { method: 'GET', url, headers });
        expect({ url, status: res.statusCode, code: res.json().error?.code }).toEqual({ url, status: 401, code });
      }
      // The control: the same kind of token, valid, is accepted.
      const valid = await signAccessToken(TEST_JWT_SECRET, 900, { userId: user.id, sessionId: familyId });
      expect((await call(hub.app, { method: 'GET', url, headers: bearer(valid) })).statusCode).toBe(200);
    }
  });

  it('rejects garbage and expired refresh tokens', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const pair = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    expect((await refresh('basura')).json().error.code).toBe('HUB_ERR_AUTH_REFRESH_INVALID');
    await db().updateTable('refresh_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('token_hash', '=', hashRefreshToken(pair.refreshToken)).execute();
    const res = await refresh(pair.refreshToken);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('HUB_ERR_AUTH_REFRESH_INVALID');
    expect((await refresh('')).json().error.code).toBe('HUB_ERR_VALIDATION');
  });

  it('stops a user disabled mid-session at the next request and at refresh', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const pair = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    await db().updateTable('users').set({ disabled: true }).where('id', '=', user.id).execute();
    const res = await me(pair.accessToken);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('HUB_ERR_USER_DISABLED');
    expect((await refresh(pair.refreshToken)).statusCode).toBe(401);
  });

  it('documents the auth routes in OpenAPI', async () => {
    const doc = (await call(hub.app, { method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const path of ['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout']) expect(doc.paths[path].post.tags).toEqual(['auth']);
    expect(doc.paths['/api/v1/auth/login'].post.requestBody.content['application/json'].schema.required).toEqual(['email', 'password']);
  });
});
