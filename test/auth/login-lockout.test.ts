import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { bearer, tokenFor } from '../support/auth.js';
import { createUser, TEST_PASSWORD } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { auditRows, call } from './auth-helpers.js';

/** A login from a given client address (trustProxy: the hub reads X-Forwarded-For like behind a proxy). */
function loginFrom(app: FastifyInstance, ip: string, email: string, password: string) {
  return call(app, { method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, headers: { 'x-forwarded-for': ip } });
}

describe('login lockout: 5 failed logins lock an account for 15 minutes (Redis, every process)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => {
    await hub.cleanup();
  });
  const db = () => hub.ctx.db.kysely;

  it('locks after 5 failures: the 6th login, with the right password, gets 423, Retry-After and a Spanish message; audited without the password', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const ip = '198.51.100.10';
    for (let attempt = 1; attempt <= 4; attempt++) {
      const res = await loginFrom(hub.app, ip, user.email, `mala-clave-${attempt}-xyz`);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('HUB_ERR_AUTH_INVALID_CREDENTIALS');
    }
    // The 5th failure locks the account and says so.
    const fifth = await loginFrom(hub.app, ip, user.email, 'mala-clave-5-xyz');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('HUB_ERR_AUTH_LOCKED');

    const sixth = await loginFrom(hub.app, ip, user.email, TEST_PASSWORD);
    expect(sixth.statusCode).toBe(423);
    expect(sixth.json().error.code).toBe('HUB_ERR_AUTH_LOCKED');
    expect(sixth.json().error.message).toMatch(/^Cuenta bloqueada temporalmente .*intente de nuevo en 15 min \/ account temporarily locked/);
    const retryAfter = Number(sixth.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // No session was opened by the right password during the lock.
    expect(await db().selectFrom('refresh_tokens').select('id').where('user_id', '=', user.id).execute()).toHaveLength(0);

    const locked = (await auditRows(db(), 'auth.locked_out')).filter((row) => row.target_id === user.id);
    expect(locked).toHaveLength(1);
    expect(locked[0]).toMatchObject({ outcome: 'failure', actor_user_id: null, ip, details: { email: user.email, failures: 5, lockedMinutes: 15 } });
    const failed = (await auditRows(db(), 'auth.login_failed')).filter((row) => row.target_id === user.id);
    expect(failed.map((row) => (row.details as { reason?: string }).reason)).toEqual([...Array<string>(5).fill('wrong_password'), 'locked']);
    expect(JSON.stringify([...locked, ...failed])).not.toContain('mala-clave');
    expect(JSON.stringify([...locked, ...failed])).not.toContain(TEST_PASSWORD);
  });

  it('forgets the failures after a successful login', async () => {
    const user = await createUser(db(), { roles: ['agent'] });
    const ip = '198.51.100.11';
    for (let i = 0; i < 4; i++) expect((await loginFrom(hub.app, ip, user.email, 'equivocada-123')).statusCode).toBe(401);
    expect((await loginFrom(hub.app, ip, user.email, TEST_PASSWORD)).statusCode).toBe(200);
    // Four more failures would have locked the account had the success not reset the count.
    for (let i = 0; i < 4; i++) expect((await loginFrom(hub.app, ip, user.email, 'equivocada-456')).statusCode).toBe(401);
    expect((await loginFrom(hub.app, ip, user.email, TEST_PASSWORD)).statusCode).toBe(200);
    expect((await auditRows(db(), 'auth.locked_out')).filter((row) => row.target_id === user.id)).toHaveLength(0);
  });

  it('locks the account, not the address: another account on the same IP still logs in', async () => {
    const victim = await createUser(db(), { roles: ['agent'] });
    const colleague = await createUser(db(), { roles: ['agent'] });
    const ip = '198.51.100.12';
    for (let i = 0; i < 5; i++) await loginFrom(hub.app, ip, victim.email, 'adivinanza-789');
    expect((await loginFrom(hub.app, ip, victim.email, TEST_PASSWORD)).statusCode).toBe(423);
    expect((await loginFrom(hub.app, ip, colleague.email, TEST_PASSWORD)).statusCode).toBe(200);
    // The lock follows the account to other addresses (a distributed guess is no better).
    expect((await loginFrom(hub.app, '198.51.100.99', victim.email, TEST_PASSWORD)).statusCode).toBe(423);
  });

  it('locks an unknown e-mail the same way, so a lockout does not reveal which accounts exist', async () => {
    const ip = '198.51.100.13';
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await loginFrom(hub.app, ip, 'nadie.aqui@example.mx', 'cualquier-cosa-1')).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 423, 423]);
  });

  it('an administrator setting a new password lifts the lock', async () => {
    const admin = await createUser(db(), { roles: ['admin'] });
    const user = await createUser(db(), { roles: ['agent'] });
    const ip = '198.51.100.14';
    for (let i = 0; i < 5; i++) await loginFrom(hub.app, ip, user.email, 'no-la-recuerdo-1');
    expect((await loginFrom(hub.app, ip, user.email, TEST_PASSWORD)).statusCode).toBe(423);
    const token = await tokenFor(db(), admin.id);
    const reset = await call(hub.app, { method: 'PUT', url: `/api/v1/users/${user.id}/password`, headers: bearer(token), payload: { password: 'Nueva-Clave-Segura-2026' } });
    expect(reset.statusCode).toBe(204);
    expect((await loginFrom(hub.app, ip, user.email, 'Nueva-Clave-Segura-2026')).statusCode).toBe(200);
  });
});

describe('per-IP limit on /auth/login and /auth/refresh', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub({ AUTH_REQUESTS_PER_IP_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  it('answers 429 with Retry-After past the limit, for that address only', async () => {
    const users = await Promise.all([1, 2, 3, 4].map(() => createUser(hub.ctx.db.kysely, { roles: ['agent'] })));
    const ip = '203.0.113.20';
    const statuses = [];
    for (const user of users) statuses.push((await loginFrom(hub.app, ip, user.email, TEST_PASSWORD)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await loginFrom(hub.app, ip, users[0]!.email, TEST_PASSWORD);
    expect(limited.json().error.code).toBe('HUB_ERR_RATE_LIMITED');
    expect(limited.json().error.message).toMatch(/^Demasiadas solicitudes/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another address is not affected.
    expect((await loginFrom(hub.app, '203.0.113.21', users[3]!.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('limits /auth/refresh per address too', async () => {
    const ip = '203.0.113.30';
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const res = await call(hub.app, { method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: `no-existe-${i}` }, headers: { 'x-forwarded-for': ip } });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
