import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser, TEST_PASSWORD } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { auditRows, call, login } from './auth-helpers.js';

describe('users and campaign memberships', () => {
  let hub: TestHub;
  let campaignA: string;
  let campaignB: string;
  let admin: { id: string; token: string };
  let supervisorA: { id: string; token: string };
  let agentA: { id: string; token: string };
  let agentB: { id: string; token: string };
  let agentAB: { id: string; token: string };

  beforeAll(async () => {
    hub = await createTestHub();
    const db = hub.ctx.db.kysely;
    campaignA = (await createCampaign(db)).id;
    campaignB = (await createCampaign(db)).id;
    const make = async (roles: Parameters<typeof createUser>[1]['roles'], campaignIds: string[]) => {
      const user = await createUser(db, { roles, campaignIds });
      return { id: user.id, token: await tokenFor(db, user.id) };
    };
    admin = await make(['admin'], []);
    supervisorA = await make(['supervisor'], [campaignA]);
    agentA = await make(['agent'], [campaignA]);
    agentB = await make(['agent'], [campaignB]);
    agentAB = await make(['agent'], [campaignA, campaignB]);
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  const db = () => hub.ctx.db.kysely;
  const as = (who: { token: string }, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) =>
    call(hub.app, { method, url: `/api/v1${url}`, headers: bearer(who.token), ...(payload ? { payload } : {}) });
  const newUser = (overrides: object = {}) => ({
    email: `Nuevo.${randomUUID().slice(0, 8)}@Example.MX`,
    displayName: 'Agente Nuevo',
    password: 'una-contraseña-larga',
    roles: ['agent'],
    campaignIds: [campaignA],
    ...overrides,
  });

  it('lets only admins create users (agent and supervisor get 403 HUB_ERR_FORBIDDEN_ROLE)', async () => {
    for (const who of [agentA, supervisorA]) {
      const res = await as(who, 'POST', '/users', newUser());
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');
    }
    expect((await as(agentA, 'GET', '/users')).json().error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');
  });

  it('creates a user (email lower-cased, memberships set, audited) who can then log in', async () => {
    const input = newUser({ roles: ['agent', 'trainer', 'agent'] });
    const res = await as(admin, 'POST', '/users', input);
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ email: input.email.toLowerCase(), roles: ['agent', 'trainer'], campaignIds: [campaignA], disabled: false, lastLoginAt: null });
    expect(Object.keys(created)).not.toContain('password');
    expect((await login(hub.app, input.email, input.password)).statusCode).toBe(200);
    const audit = (await auditRows(db(), 'user.created')).find((row) => row.target_id === created.id);
    expect(audit).toMatchObject({ actor_user_id: admin.id, details: { email: input.email.toLowerCase(), roles: ['agent', 'trainer'] } });
    expect(JSON.stringify(audit)).not.toContain(input.password);

    const dup = await as(admin, 'POST', '/users', { ...input, email: input.email.toUpperCase() });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('HUB_ERR_CONFLICT');
  });

  it('validates new users: password ≥ 12 chars, known non-empty roles, existing campaigns', async () => {
    for (const bad of [newUser({ password: 'corta-11ch' }), newUser({ roles: [] }), newUser({ roles: ['root'] }), newUser({ email: 'no-es-correo' })]) {
      const res = await as(admin, 'POST', '/users', bad);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('HUB_ERR_VALIDATION');
    }
    const ghost = randomUUID();
    const input = newUser({ campaignIds: [campaignA, ghost] });
    const res = await as(admin, 'POST', '/users', input);
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'HUB_ERR_CAMPAIGN_NOT_FOUND', details: { missing: [ghost] } });
    // Nothing half-created.
    expect(await db().selectFrom('users').select('id').where('email', '=', input.email.toLowerCase()).execute()).toHaveLength(0);
  });

  it('scopes the list: a supervisor of A sees members of A only, and only their A membership', async () => {
    const res = await as(supervisorA, 'GET', '/users');
    expect(res.statusCode).toBe(200);
    const items: Array<{ id: string; campaignIds: string[] }> = res.json().items;
    const ids = items.map((u) => u.id);
    expect(ids).toEqual(expect.arrayContaining([supervisorA.id, agentA.id, agentAB.id]));
    expect(ids).not.toContain(agentB.id);
    expect(ids).not.toContain(admin.id);
    expect(items.find((u) => u.id === agentAB.id)?.campaignIds).toEqual([campaignA]);

    expect((await as(supervisorA, 'GET', `/users?campaignId=${campaignB}`)).json().error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    expect((await as(supervisorA, 'GET', `/users/${agentB.id}`)).statusCode).toBe(404);
    expect((await as(supervisorA, 'GET', `/users/${agentA.id}`)).json().id).toBe(agentA.id);

    const all = (await as(admin, 'GET', `/users`)).json().items.map((u: { id: string }) => u.id);
    expect(all).toEqual(expect.arrayContaining([admin.id, agentB.id, agentAB.id]));
    const onlyB = (await as(admin, 'GET', `/users?campaignId=${campaignB}`)).json().items.map((u: { id: string }) => u.id);
    expect(onlyB.sort()).toEqual([agentB.id, agentAB.id].sort());
  });

  it('changes roles (audited with before/after) and refuses non-admins', async () => {
    const user = await createUser(db(), { roles: ['agent'], campaignIds: [campaignA] });
    expect((await as(supervisorA, 'PATCH', `/users/${user.id}`, { roles: ['supervisor'] })).json().error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');
    const res = await as(admin, 'PATCH', `/users/${user.id}`, { roles: ['supervisor', 'agent'], displayName: 'Nombre Nuevo' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ roles: ['supervisor', 'agent'], displayName: 'Nombre Nuevo' });
    const audit = (await auditRows(db(), 'user.roles_changed')).filter((row) => row.target_id === user.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: admin.id, details: { before: ['agent'], after: ['supervisor', 'agent'], added: ['supervisor'], removed: [] } });
    // Same roles again: no change, no new entry.
    await as(admin, 'PATCH', `/users/${user.id}`, { roles: ['agent', 'supervisor'] });
    expect((await auditRows(db(), 'user.roles_changed')).filter((row) => row.target_id === user.id)).toHaveLength(1);
    expect((await as(admin, 'PATCH', `/users/${user.id}`, {})).statusCode).toBe(400);
    expect((await as(admin, 'PATCH', `/users/${randomUUID()}`, { disabled: true })).json().error.code).toBe('HUB_ERR_USER_NOT_FOUND');
  });

  it('disabling ends every session of the user (audited); enabling lets them log in again', async () => {
    const user = await createUser(db(), { roles: ['agent'], campaignIds: [campaignA] });
    const pair = (await login(hub.app, user.email, TEST_PASSWORD)).json();
    const res = await as(admin, 'PATCH', `/users/${user.id}`, { disabled: true });
    expect(res.json().disabled).toBe(true);
    expect(await db().selectFrom('refresh_tokens').select('id').where('user_id', '=', user.id).where('revoked_at', 'is', null).execute()).toHaveLength(0);
    expect((await call(hub.app, { method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: pair.refreshToken } })).statusCode).toBe(401);
    expect((await login(hub.app, user.email, TEST_PASSWORD)).json().error.code).toBe('HUB_ERR_USER_DISABLED');
    expect((await auditRows(db(), 'user.disabled')).find((row) => row.target_id === user.id)?.details).toMatchObject({ sessionsRevoked: 1 });

    await as(admin, 'PATCH', `/users/${user.id}`, { disabled: false });
    expect((await auditRows(db(), 'user.enabled')).some((row) => row.target_id === user.id)).toBe(true);
    expect((await login(hub.app, user.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('does not let an admin disable themselves or drop their own admin role', async () => {
    for (const body of [{ disabled: true }, { roles: ['supervisor'] }]) {
      const res = await as(admin, 'PATCH', `/users/${admin.id}`, body);
      expect(res.statusCode).toBe(409);
    }
    expect((await as(admin, 'GET', '/users/' + admin.id)).json()).toMatchObject({ roles: ['admin'], disabled: false });
  });

  it('replaces memberships (audited with added/removed) and the change takes effect on scoping', async () => {
    const user = await createUser(db(), { roles: ['agent'], campaignIds: [campaignB] });
    const token = await tokenFor(db(), user.id);
    expect((await as(supervisorA, 'GET', `/users/${user.id}`)).statusCode).toBe(404);
    expect((await as(supervisorA, 'PUT', `/users/${user.id}/campaigns`, { campaignIds: [campaignA] })).json().error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');

    const res = await as(admin, 'PUT', `/users/${user.id}/campaigns`, { campaignIds: [campaignA] });
    expect(res.statusCode).toBe(200);
    expect(res.json().campaignIds).toEqual([campaignA]);
    const audit = (await auditRows(db(), 'user.memberships_changed')).filter((row) => row.target_id === user.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: admin.id, details: { added: [campaignA], removed: [campaignB] } });

    expect((await as(supervisorA, 'GET', `/users/${user.id}`)).statusCode).toBe(200);
    // Memberships are read per request: the user's existing token already reflects them.
    expect((await call(hub.app, { method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).json().campaignIds).toEqual([campaignA]);

    const ghost = await as(admin, 'PUT', `/users/${user.id}/campaigns`, { campaignIds: [randomUUID()] });
    expect(ghost.json().error.code).toBe('HUB_ERR_CAMPAIGN_NOT_FOUND');
    expect((await as(admin, 'GET', `/users/${user.id}`)).json().campaignIds).toEqual([campaignA]);
  });
});
