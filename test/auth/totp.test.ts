import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '@ventanilla/hub';
import { base32Decode } from '../../hub/src/auth/totp/base32.js';
import { totpCode } from '../../hub/src/auth/totp/totp.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createUser, TEST_PASSWORD } from '../support/factories.js';
import { createTestHub, testEnv, type TestHub } from '../support/test-context.js';
import { auditRows, call, login } from './auth-helpers.js';

/** TOTP needs the clock: Date (only Date) is faked so each test can move to the next 30-second step. */
function advanceClock(ms: number): void {
  vi.setSystemTime(new Date(Date.now() + ms));
}

function codeFor(secret: string, offsetMs = 0): string {
  const bytes = base32Decode(secret);
  if (!bytes) throw new Error('secret is not base32');
  return totpCode(bytes, Date.now() + offsetMs);
}

describe('TOTP second factor: enrolment, login step, replay, lockout, recovery codes, disable, admin reset', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub({ AUTH_REQUESTS_PER_IP_PER_MINUTE: '10000' });
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => advanceClock(120_000));
  afterAll(async () => {
    vi.useRealTimers();
    await hub.cleanup();
  });

  const db = () => hub.ctx.db.kysely;
  const post = (url: string, payload: object, token?: string) => call(hub.app, { method: 'POST', url, payload, ...(token ? { headers: bearer(token) } : {}) });
  const me = (token: string) => call(hub.app, { method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });

  /** A user with TOTP enabled through the API; returns the secret, recovery codes and the enrolling session. */
  async function enrolledUser(roles: Array<'agent' | 'supervisor' | 'admin'> = ['agent']) {
    const user = await createUser(db(), { roles });
    const session = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const setup = (await post('/api/v1/auth/totp/setup', {}, session.accessToken)).json();
    const enabled = await post('/api/v1/auth/totp/enable', { code: codeFor(setup.secret) }, session.accessToken);
    expect(enabled.statusCode).toBe(200);
    advanceClock(60_000);
    return { user, secret: setup.secret as string, recoveryCodes: enabled.json().recoveryCodes as string[], session };
  }

  it('enrols: setup gives a secret, otpauth URI and QR; a wrong code is refused; the right one enables it, returns 10 recovery codes and ends the other sessions', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const mine = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const other = (await login(hub.app, user.email, TEST_PASSWORD)).json();

    const setup = await post('/api/v1/auth/totp/setup', {}, mine.accessToken);
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUri, qrDataUrl } = setup.json();
    expect(base32Decode(secret)).toHaveLength(20);
    expect(otpauthUri).toBe(`otpauth://totp/Ventanilla%3A${encodeURIComponent(user.email)}?secret=${secret}&issuer=Ventanilla&algorithm=SHA1&digits=6&period=30`);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    // At rest: AES-GCM ciphertext, neither the base32 nor the raw secret.
    const row = await db().selectFrom('user_totp').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.enabled_at).toBeNull();
    expect(row.secret_encrypted).toMatch(/^v1\./);
    expect(row.secret_encrypted).not.toContain(secret);
    // Not enabled yet: the password alone still logs in.
    expect((await login(hub.app, user.email, TEST_PASSWORD)).json().accessToken).toEqual(expect.any(String));

    const wrong = await post('/api/v1/auth/totp/enable', { code: codeFor(secret, 5 * 60_000) }, mine.accessToken);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('HUB_ERR_AUTH_TOTP_INVALID');

    const enabled = await post('/api/v1/auth/totp/enable', { code: codeFor(secret) }, mine.accessToken);
    expect(enabled.statusCode).toBe(200);
    const { recoveryCodes } = enabled.json();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = await db().selectFrom('user_totp_recovery_codes').select('code_hash').where('user_id', '=', user.id).execute();
    expect(stored).toHaveLength(10);
    for (const code of recoveryCodes) expect(JSON.stringify(stored)).not.toContain(code.replace('-', ''));

    expect((await me(mine.accessToken)).statusCode).toBe(200);
    const otherAfter = await me(other.accessToken);
    expect(otherAfter.statusCode).toBe(401);
    expect(otherAfter.json().error.code).toBe('HUB_ERR_AUTH_SESSION_REVOKED');
    const status = await call(hub.app, { method: 'GET', url: '/api/v1/auth/totp', headers: bearer(mine.accessToken) });
    expect(status.json()).toEqual({ enabled: true, required: false, recoveryCodesLeft: 10 });
    const audit = (await auditRows(db(), 'auth.totp_enabled')).filter((entry) => entry.target_id === user.id);
    expect(audit).toHaveLength(1);
    expect((audit[0]?.details as { sessionsRevoked?: number }).sessionsRevoked).toBeGreaterThanOrEqual(2);
    // A second setup cannot silently replace an enabled secret.
    expect((await post('/api/v1/auth/totp/setup', {}, mine.accessToken)).json().error.code).toBe('HUB_ERR_AUTH_TOTP_ALREADY_ENABLED');
  });

  it('login with TOTP: the password earns only a challenge; the code gives the tokens; the same code is refused the second time', async () => {
    const { user, secret } = await enrolledUser();
    const sessionsBefore = (await db().selectFrom('refresh_tokens').select('id').where('user_id', '=', user.id).execute()).length;
    const first = await login(hub.app, user.email, TEST_PASSWORD);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ totpRequired: true, challenge: expect.any(String), expiresIn: 300 });
    expect((await db().selectFrom('refresh_tokens').select('id').where('user_id', '=', user.id).execute()).length).toBe(sessionsBefore);
    // The challenge is no access token.
    expect((await me(first.json().challenge)).json().error.code).toBe('HUB_ERR_AUTH_TOKEN_INVALID');

    const code = codeFor(secret);
    const second = await post('/api/v1/auth/login/totp', { challenge: first.json().challenge, code });
    expect(second.statusCode).toBe(200);
    expect(second.json().user.id).toBe(user.id);
    expect((await me(second.json().accessToken)).statusCode).toBe(200);
    const succeeded = (await auditRows(db(), 'auth.login_succeeded')).filter((row) => row.actor_user_id === user.id).at(-1);
    expect(succeeded?.details).toMatchObject({ secondFactor: 'totp' });

    const again = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const replay = await post('/api/v1/auth/login/totp', { challenge: again.challenge, code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('HUB_ERR_AUTH_TOTP_INVALID');
    advanceClock(60_000);
    expect((await post('/api/v1/auth/login/totp', { challenge: again.challenge, code: codeFor(secret) })).statusCode).toBe(200);

    const forged = `${again.challenge.slice(0, -4)}AAAA`;
    expect((await post('/api/v1/auth/login/totp', { challenge: forged, code: codeFor(secret, 30_000) })).json().error.code).toBe('HUB_ERR_AUTH_TOTP_CHALLENGE_INVALID');
    advanceClock(6 * 60_000);
    const expired = await post('/api/v1/auth/login/totp', { challenge: again.challenge, code: codeFor(secret) });
    expect(expired.json().error.code).toBe('HUB_ERR_AUTH_TOTP_CHALLENGE_INVALID');
  });

  it('counts wrong codes toward the lockout, and typing the password again does not reset the count', async () => {
    const { user, secret } = await enrolledUser();
    const challenge = () => login(hub.app, user.email, TEST_PASSWORD).then((res) => res.json().challenge as string);
    const wrongCode = codeFor(secret, 10 * 60_000);
    let current = await challenge();
    for (let attempt = 1; attempt <= 4; attempt++) {
      if (attempt === 3) current = await challenge();
      const res = await post('/api/v1/auth/login/totp', { challenge: current, code: wrongCode });
      expect(res.json().error.code).toBe('HUB_ERR_AUTH_TOTP_INVALID');
    }
    const fifth = await post('/api/v1/auth/login/totp', { challenge: current, code: wrongCode });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('HUB_ERR_AUTH_LOCKED');
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(0);
    // Locked: the right code, and the right password, are refused too.
    expect((await post('/api/v1/auth/login/totp', { challenge: current, code: codeFor(secret) })).statusCode).toBe(423);
    expect((await login(hub.app, user.email, TEST_PASSWORD)).statusCode).toBe(423);
    const locked = (await auditRows(db(), 'auth.locked_out')).filter((row) => row.target_id === user.id);
    expect(locked).toHaveLength(1);
    expect(locked[0]?.details).toMatchObject({ failures: 5, step: 'totp' });
    expect((await auditRows(db(), 'auth.totp_failed')).filter((row) => row.target_id === user.id)).toHaveLength(5);
  });

  it('accepts each recovery code once (any case, with or without the dash)', async () => {
    const { user, recoveryCodes } = await enrolledUser();
    const [code = ''] = recoveryCodes;
    const challenge = (await login(hub.app, user.email, TEST_PASSWORD)).json().challenge;
    const used = await post('/api/v1/auth/login/totp', { challenge, recoveryCode: code.toLowerCase().replace('-', '') });
    expect(used.statusCode).toBe(200);
    const status = await call(hub.app, { method: 'GET', url: '/api/v1/auth/totp', headers: bearer(used.json().accessToken) });
    expect(status.json().recoveryCodesLeft).toBe(9);
    const again = await post('/api/v1/auth/login/totp', { challenge, recoveryCode: code });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('HUB_ERR_AUTH_TOTP_INVALID');
    const audit = (await auditRows(db(), 'auth.totp_recovery_used')).filter((row) => row.target_id === user.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ remaining: 9 });
    expect(JSON.stringify(audit)).not.toContain(code);
    const both = await post('/api/v1/auth/login/totp', { challenge, code: '123456', recoveryCode: recoveryCodes[1] });
    expect(both.json().error.code).toBe('HUB_ERR_VALIDATION');
  });

  it('disables with the password or a current code (not a wrong one), ending the other sessions; the password alone logs in again', async () => {
    const { user, secret, session } = await enrolledUser();
    const challenge = (await login(hub.app, user.email, TEST_PASSWORD)).json().challenge;
    const other = (await post('/api/v1/auth/login/totp', { challenge, code: codeFor(secret) })).json();
    advanceClock(60_000);
    const wrong = await post('/api/v1/auth/totp/disable', { password: 'no-es-la-clave-2026' }, session.accessToken);
    expect(wrong.json().error.code).toBe('HUB_ERR_AUTH_TOTP_INVALID');
    expect((await post('/api/v1/auth/totp/disable', {}, session.accessToken)).json().error.code).toBe('HUB_ERR_VALIDATION');
    const ok = await post('/api/v1/auth/totp/disable', { code: codeFor(secret) }, session.accessToken);
    expect(ok.statusCode).toBe(204);
    expect((await me(session.accessToken)).statusCode).toBe(200);
    expect((await me(other.accessToken)).json().error.code).toBe('HUB_ERR_AUTH_SESSION_REVOKED');
    expect(await db().selectFrom('user_totp_recovery_codes').select('id').where('user_id', '=', user.id).execute()).toHaveLength(0);
    expect((await login(hub.app, user.email, TEST_PASSWORD)).json().accessToken).toEqual(expect.any(String));
    expect((await auditRows(db(), 'auth.totp_disabled')).filter((row) => row.target_id === user.id)[0]?.details).toMatchObject({ provedWith: 'code' });
    expect((await post('/api/v1/auth/totp/disable', { password: TEST_PASSWORD }, session.accessToken)).json().error.code).toBe('HUB_ERR_AUTH_TOTP_NOT_ENABLED');
  });

  it('lets only an admin reset a user\'s TOTP: removed, every session of the user ended, audited; login is password-only again', async () => {
    const { user, session, secret } = await enrolledUser();
    const pending = (await login(hub.app, user.email, TEST_PASSWORD)).json().challenge;
    const supervisor = await createUser(db(), { roles: ['supervisor'] });
    const admin = await createUser(db(), { roles: ['admin'] });
    const reset = (token: string) => call(hub.app, { method: 'DELETE', url: `/api/v1/users/${user.id}/totp`, headers: bearer(token) });
    const denied = await reset(await tokenFor(db(), supervisor.id));
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');
    expect(await db().selectFrom('user_totp').select('user_id').where('user_id', '=', user.id).execute()).toHaveLength(1);

    const adminToken = await tokenFor(db(), admin.id);
    expect((await reset(adminToken)).statusCode).toBe(204);
    expect((await me(session.accessToken)).json().error.code).toBe('HUB_ERR_AUTH_SESSION_REVOKED');
    expect(await db().selectFrom('user_totp').select('user_id').where('user_id', '=', user.id).execute()).toHaveLength(0);
    const audit = (await auditRows(db(), 'user.totp_reset')).filter((row) => row.target_id === user.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: admin.id, details: { email: user.email, wasEnabled: true } });
    // A challenge issued before the reset is void: nothing left to check it against.
    expect((await post('/api/v1/auth/login/totp', { challenge: pending, code: codeFor(secret) })).json().error.code).toBe('HUB_ERR_AUTH_TOTP_CHALLENGE_INVALID');
    expect((await login(hub.app, user.email, TEST_PASSWORD)).json().accessToken).toEqual(expect.any(String));
    expect((await reset(adminToken)).json().error.code).toBe('HUB_ERR_AUTH_TOTP_NOT_ENABLED');
  });

  it('refuses a challenge earned with a password that an admin has since replaced', async () => {
    const { user, secret } = await enrolledUser();
    const admin = await createUser(db(), { roles: ['admin'] });
    const challenge = (await login(hub.app, user.email, TEST_PASSWORD)).json().challenge;
    const changed = await call(hub.app, { method: 'PUT', url: `/api/v1/users/${user.id}/password`, headers: bearer(await tokenFor(db(), admin.id)), payload: { password: 'Otra-Clave-Nueva-2026' } });
    expect(changed.statusCode).toBe(204);
    const res = await post('/api/v1/auth/login/totp', { challenge, code: codeFor(secret) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('HUB_ERR_AUTH_TOTP_CHALLENGE_INVALID');
  });

  it('documents the TOTP routes in OpenAPI', async () => {
    const doc = (await call(hub.app, { method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const path of ['/api/v1/auth/login/totp', '/api/v1/auth/totp/setup', '/api/v1/auth/totp/enable', '/api/v1/auth/totp/disable', '/api/v1/auth/password']) expect(doc.paths[path].post.tags).toEqual(['auth']);
    expect(doc.paths['/api/v1/auth/totp'].get.tags).toEqual(['auth']);
    expect(doc.paths['/api/v1/users/{id}/totp'].delete.tags).toEqual(['users']);
  });
});

describe('TOTP required for some roles (AUTH_TOTP_REQUIRED_ROLES)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub({ AUTH_TOTP_REQUIRED_ROLES: 'admin,supervisor', AUTH_REQUESTS_PER_IP_PER_MINUTE: '10000' });
  });
  afterAll(async () => {
    await hub.cleanup();
  });
  const db = () => hub.ctx.db.kysely;
  const post = (url: string, payload: object, token?: string) => call(hub.app, { method: 'POST', url, payload, ...(token ? { headers: bearer(token) } : {}) });

  it('makes a supervisor enrol before getting a session, with the enrolment challenge; agents are not affected', async () => {
    const supervisor = await createUser(db(), { roles: ['supervisor'] });
    const first = await login(hub.app, supervisor.email, TEST_PASSWORD);
    expect(first.json()).toEqual({ totpEnrolmentRequired: true, challenge: expect.any(String), expiresIn: 300 });
    const { challenge } = first.json();
    expect(await db().selectFrom('refresh_tokens').select('id').where('user_id', '=', supervisor.id).execute()).toHaveLength(0);
    // An enrolment challenge is not a login challenge.
    expect((await post('/api/v1/auth/login/totp', { challenge, code: '123456' })).json().error.code).toBe('HUB_ERR_AUTH_TOTP_CHALLENGE_INVALID');

    const setup = await post('/api/v1/auth/totp/setup', { challenge });
    expect(setup.statusCode).toBe(200);
    const enabled = await post('/api/v1/auth/totp/enable', { challenge, code: codeFor(setup.json().secret) });
    expect(enabled.statusCode).toBe(200);
    expect(enabled.json().recoveryCodes).toHaveLength(10);
    const session = enabled.json().session;
    expect(session.user.id).toBe(supervisor.id);
    const status = await call(hub.app, { method: 'GET', url: '/api/v1/auth/totp', headers: bearer(session.accessToken) });
    expect(status.json()).toMatchObject({ enabled: true, required: true });
    // Required for the role: it cannot be turned off by the user.
    expect((await post('/api/v1/auth/totp/disable', { password: TEST_PASSWORD }, session.accessToken)).json().error.code).toBe('HUB_ERR_AUTH_TOTP_REQUIRED');
    // From now on the login asks for the code.
    expect((await login(hub.app, supervisor.email, TEST_PASSWORD)).json().totpRequired).toBe(true);

    const agent = await createUser(db(), { roles: ['agent'] });
    expect((await login(hub.app, agent.email, TEST_PASSWORD)).json().accessToken).toEqual(expect.any(String));
  });

  it('rejects an unknown role in the configuration', () => {
    expect(() => loadConfig(testEnv({ AUTH_TOTP_REQUIRED_ROLES: 'admin,jefe' }))).toThrow(/AUTH_TOTP_REQUIRED_ROLES/);
    expect(() => loadConfig(testEnv({ TOTP_ENCRYPTION_KEY: 'corta' }))).toThrow(/TOTP_ENCRYPTION_KEY/);
  });
});
