import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@ventanilla/hub';
import { passwordProblems } from '../../hub/src/auth/password.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createUser, TEST_PASSWORD } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { auditRows, call, login } from './auth-helpers.js';

describe('staff password policy (pure)', () => {
  it('accepts the demo and test passwords', () => {
    expect(passwordProblems(DEMO_PASSWORD, 'admin@demo.ventanilla.mx')).toEqual([]);
    expect(passwordProblems(TEST_PASSWORD, 'user-abcd@example.mx')).toEqual([]);
  });

  it('refuses short, letters-only, digits-only, the e-mail, and common passwords, Spanish first', () => {
    expect(passwordProblems('Corta-2026', 'a@b.mx')).toEqual(['mínimo 12 caracteres / at least 12 characters']);
    expect(passwordProblems('solamenteletras', 'a@b.mx')).toEqual(['debe combinar letras con al menos un número o símbolo / must mix letters with at least one digit or symbol']);
    expect(passwordProblems('123456789012345', 'a@b.mx')).toHaveLength(1);
    expect(passwordProblems('maria.lopez-2026', 'Maria.Lopez@imss.gob.mx')).toEqual(['no debe contener su correo electrónico / must not contain your e-mail address']);
    expect(passwordProblems('maria.lopez@imss.gob.mx', 'maria.lopez@imss.gob.mx')).toContain('no debe contener su correo electrónico / must not contain your e-mail address');
    for (const common of ['Contraseña2026!', 'Password-2026', 'qwertyuiop12', 'Administrador1', '¡Ventanilla2026!']) {
      expect(passwordProblems(common, 'a@b.mx')).toContain('es una contraseña demasiado común / is too common a password');
    }
    // Several problems are reported together.
    expect(passwordProblems('password', 'a@b.mx')).toHaveLength(3);
    // Counted in characters, not bytes: 12 accented letters plus a digit pass.
    expect(passwordProblems('ñañañañañaña1', 'a@b.mx')).toEqual([]);
  });
});

describe('staff password policy on the users routes', () => {
  let hub: TestHub;
  let adminToken: string;
  beforeAll(async () => {
    hub = await createTestHub();
    const admin = await createUser(hub.ctx.db.kysely, { roles: ['admin'] });
    adminToken = await tokenFor(hub.ctx.db.kysely, admin.id);
  });
  afterAll(async () => {
    await hub.cleanup();
  });
  const db = () => hub.ctx.db.kysely;
  const createBody = (email: string, password: string) => ({ email, displayName: 'Agente Nuevo', password, roles: ['agent'] });

  it('refuses a new user whose password breaks the policy, with the reasons in Spanish first, and creates nothing', async () => {
    const email = `pedro.${randomUUID().slice(0, 6)}@example.mx`;
    const cases: Array<[string, RegExp]> = [
      ['Corta-2026', /mínimo 12 caracteres/],
      ['solamenteletras', /debe combinar letras/],
      [`${email.split('@')[0]}-2026`, /no debe contener su correo/],
      ['Contraseña2026!', /demasiado común/],
    ];
    for (const [password, reason] of cases) {
      const res = await call(hub.app, { method: 'POST', url: '/api/v1/users', headers: bearer(adminToken), payload: createBody(email, password) });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('HUB_ERR_VALIDATION');
      expect(res.json().error.message).toMatch(reason);
      expect(res.json().error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'body.password' })]));
    }
    expect(await db().selectFrom('users').select('id').where('email', '=', email).execute()).toHaveLength(0);
    const ok = await call(hub.app, { method: 'POST', url: '/api/v1/users', headers: bearer(adminToken), payload: createBody(email, 'Ventanilla-Segura-2026') });
    expect(ok.statusCode).toBe(201);
  });

  it('an admin sets a new password: the policy applies, the old password and sessions stop working, audited without the password', async () => {
    const user = await createUser(db(), { roles: ['agent'], email: `lucia.${randomUUID().slice(0, 6)}@example.mx` });
    const session = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const put = (password: string, token = adminToken) =>
      call(hub.app, { method: 'PUT', url: `/api/v1/users/${user.id}/password`, headers: bearer(token), payload: { password } });

    const weak = await put('password');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.message).toMatch(/^Contraseña rechazada \/ password rejected — mínimo 12 caracteres/);
    // Only admins.
    expect((await put('Otra-Clave-Segura-2026', session.accessToken)).json().error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');

    expect((await put('Otra-Clave-Segura-2026')).statusCode).toBe(204);
    expect((await login(hub.app, user.email, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await login(hub.app, user.email, 'Otra-Clave-Segura-2026')).statusCode).toBe(200);
    // The session opened with the old password ended.
    expect((await call(hub.app, { method: 'GET', url: '/api/v1/auth/me', headers: bearer(session.accessToken) })).statusCode).toBe(401);
    const audit = (await auditRows(db(), 'user.password_changed')).filter((row) => row.target_id === user.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ email: user.email, sessionsRevoked: 1 });
    expect(JSON.stringify(audit)).not.toContain('Otra-Clave');
  });

  it('answers 404 for a user that does not exist', async () => {
    const res = await call(hub.app, { method: 'PUT', url: `/api/v1/users/${randomUUID()}/password`, headers: bearer(adminToken), payload: { password: 'Otra-Clave-Segura-2026' } });
    expect(res.json().error.code).toBe('HUB_ERR_USER_NOT_FOUND');
  });
});
