import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, tokenFor } from '../support/auth.js';
import { createUser, TEST_PASSWORD } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { auditRows, call, login } from './auth-helpers.js';

const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Issue 12: refresh-token rotation and revocation, proved end to end — which tokens die when, and
 * that the access tokens of a dead session stop at once (they are JWTs, but every request checks
 * their session).
 */
describe('refresh tokens: rotation, reuse detection, logout, revocation on account changes, expiry', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub({ AUTH_REQUESTS_PER_IP_PER_MINUTE: '10000' });
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  const db = () => hub.ctx.db.kysely;
  const me = (token: string) => call(hub.app, { method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
  const refresh = (refreshToken: string) => call(hub.app, { method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
  const logout = (refreshToken: string) => call(hub.app, { method: 'POST', url: '/api/v1/auth/logout', payload: { refreshToken } });
  const liveTokens = (userId: string) => db().selectFrom('refresh_tokens').select(['family_id']).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
  const adminToken = async () => tokenFor(db(), (await createUser(db(), { roles: ['admin'] })).id);

  it('rotates on every refresh: each answer carries a new token, only the newest is live, the family stays one session', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const pairs = [(await login(hub.app, user.email, TEST_PASSWORD)).json()];
    for (let i = 0; i < 3; i++) {
      const res = await refresh(pairs.at(-1).refreshToken);
      expect(res.statusCode).toBe(200);
      pairs.push(res.json());
    }
    expect(new Set(pairs.map((pair) => pair.refreshToken)).size).toBe(4);
    const live = await liveTokens(user.id);
    expect(live).toHaveLength(1);
    const rows = await db().selectFrom('refresh_tokens').select(['token_hash', 'family_id', 'revoked_at']).where('user_id', '=', user.id).execute();
    expect(new Set(rows.map((row) => row.family_id)).size).toBe(1);
    expect(rows.find((row) => row.revoked_at === null)?.token_hash).toBe(hashRefreshToken(pairs.at(-1).refreshToken));
  });

  it('detects reuse of a rotated token: the whole family dies, with every access token of it, audited; other sessions live on', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const stolen = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const other = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const second = (await refresh(stolen.refreshToken)).json();
    const third = (await refresh(second.refreshToken)).json();

    const replay = await refresh(stolen.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('HUB_ERR_AUTH_REFRESH_INVALID');
    for (const pair of [stolen, second, third]) expect((await me(pair.accessToken)).json().error.code).toBe('HUB_ERR_AUTH_SESSION_REVOKED');
    expect((await refresh(third.refreshToken)).statusCode).toBe(401);
    expect((await me(other.accessToken)).statusCode).toBe(200);
    expect((await refresh(other.refreshToken)).statusCode).toBe(200);

    const audit = (await auditRows(db(), 'auth.refresh_reused')).filter((row) => row.actor_user_id === user.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ tokensRevoked: 1 });
  });

  it('logout with an already rotated token still ends the session it belongs to', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const first = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const second = (await refresh(first.refreshToken)).json();
    expect((await logout(first.refreshToken)).statusCode).toBe(204);
    expect((await me(second.accessToken)).json().error.code).toBe('HUB_ERR_AUTH_SESSION_REVOKED');
    expect((await refresh(second.refreshToken)).statusCode).toBe(401);
    expect(await liveTokens(user.id)).toHaveLength(0);
  });

  it('an admin password reset ends every session of the user', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const sessions = [(await login(hub.app, user.email, TEST_PASSWORD)).json(), (await login(hub.app, user.email, TEST_PASSWORD)).json()];
    const res = await call(hub.app, { method: 'PUT', url: `/api/v1/users/${user.id}/password`, headers: bearer(await adminToken()), payload: { password: 'Nueva-Clave-Segura-2026' } });
    expect(res.statusCode).toBe(204);
    for (const pair of sessions) {
      expect((await me(pair.accessToken)).json().error.code).toBe('HUB_ERR_AUTH_SESSION_REVOKED');
      expect((await refresh(pair.refreshToken)).statusCode).toBe(401);
    }
    expect((await auditRows(db(), 'user.password_changed')).find((row) => row.target_id === user.id)?.details).toMatchObject({ sessionsRevoked: 2 });
    // The old refresh tokens were revoked, not rotated: presenting them is no "reuse".
    expect((await auditRows(db(), 'auth.refresh_reused')).filter((row) => row.actor_user_id === user.id)).toHaveLength(0);
  });

  it('changing my own password keeps this session and ends the others; a wrong current password or a weak new one changes nothing', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const mine = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const other = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const change = (currentPassword: string, newPassword: string) =>
      call(hub.app, { method: 'POST', url: '/api/v1/auth/password', headers: bearer(mine.accessToken), payload: { currentPassword, newPassword } });
    expect((await change('no-es-la-actual-2026', 'Nueva-Clave-Propia-2026')).json().error.code).toBe('HUB_ERR_AUTH_INVALID_CREDENTIALS');
    const weak = await change(TEST_PASSWORD, 'corta1');
    expect(weak.json().error.code).toBe('HUB_ERR_VALIDATION');
    expect((await me(other.accessToken)).statusCode).toBe(200);

    expect((await change(TEST_PASSWORD, 'Nueva-Clave-Propia-2026')).statusCode).toBe(204);
    expect((await me(mine.accessToken)).statusCode).toBe(200);
    expect((await me(other.accessToken)).json().error.code).toBe('HUB_ERR_AUTH_SESSION_REVOKED');
    expect((await refresh(other.refreshToken)).statusCode).toBe(401);
    expect((await login(hub.app, user.email, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await login(hub.app, user.email, 'Nueva-Clave-Propia-2026')).statusCode).toBe(200);
    const audit = (await auditRows(db(), 'user.password_changed')).filter((row) => row.target_id === user.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: user.id, details: { self: true, sessionsRevoked: 1 } });
    expect(JSON.stringify(audit)).not.toContain('Nueva-Clave');
    expect((await call(hub.app, { method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: 'x', newPassword: 'y' } })).statusCode).toBe(401);
  });

  it('disabling a user ends their sessions; enabling them again does not bring the old ones back', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const pair = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const admin = await adminToken();
    const patch = (disabled: boolean) => call(hub.app, { method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: bearer(admin), payload: { disabled } });
    expect((await patch(true)).statusCode).toBe(200);
    expect(await liveTokens(user.id)).toHaveLength(0);
    expect((await me(pair.accessToken)).json().error.code).toBe('HUB_ERR_USER_DISABLED');
    expect((await patch(false)).statusCode).toBe(200);
    expect((await me(pair.accessToken)).json().error.code).toBe('HUB_ERR_AUTH_SESSION_REVOKED');
    expect((await refresh(pair.refreshToken)).statusCode).toBe(401);
    expect((await login(hub.app, user.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('an expired refresh token ends its session: no refresh, and its still-unexpired access token is refused', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const pair = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const other = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    await db().updateTable('refresh_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('token_hash', '=', hashRefreshToken(pair.refreshToken)).execute();
    expect((await refresh(pair.refreshToken)).json().error.code).toBe('HUB_ERR_AUTH_REFRESH_INVALID');
    expect((await me(pair.accessToken)).json().error.code).toBe('HUB_ERR_AUTH_SESSION_REVOKED');
    expect((await me(other.accessToken)).statusCode).toBe(200);
    // Expired is not reused: the other session is untouched and nothing is flagged.
    expect((await auditRows(db(), 'auth.refresh_reused')).filter((row) => row.actor_user_id === user.id)).toHaveLength(0);
  });

  it('refreshed tokens expire REFRESH_TOKEN_TTL_SECONDS after their own issue (rotation slides the session)', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const pair = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const before = Date.now();
    const next = (await refresh(pair.refreshToken)).json();
    const expiresAt = Date.parse(next.refreshExpiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + hub.config.REFRESH_TOKEN_TTL_SECONDS * 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + hub.config.REFRESH_TOKEN_TTL_SECONDS * 1000);
  });
});
