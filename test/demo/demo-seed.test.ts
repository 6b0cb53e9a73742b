import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { DEMO_PASSWORD, seedDemo } from '../../hub/src/seed/demo-seed.js';

describe('demo seed', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  it('seeds the two campaigns, queues, skills, 10 staff and an API channel per campaign — once', async () => {
    const first = await seedDemo(hub.ctx.db.kysely);
    const second = await seedDemo(hub.ctx.db.kysely);
    expect(first.seeded).toBe(true);
    expect(second.seeded).toBe(false);
    expect(second.channels).toEqual(first.channels);
    const db = hub.ctx.db.kysely;
    expect((await db.selectFrom('campaigns').select('name').orderBy('name').execute()).map((c) => c.name)).toEqual(['Contribuyentes', 'Derechohabientes']);
    const users = await db.selectFrom('users').select('roles').execute();
    const count = (role: string) => users.filter((u) => u.roles.includes(role as never)).length;
    expect([count('agent'), count('supervisor'), count('trainer'), count('admin')]).toEqual([7, 1, 1, 1]);
    expect((await db.selectFrom('queues').select('id').execute()).length).toBeGreaterThanOrEqual(4);
    expect((await db.selectFrom('agent_skills').select('level').execute()).every((s) => s.level >= 1 && s.level <= 5)).toBe(true);
    expect(first.channels).toHaveLength(2);
    expect(first.channels.every((c) => c.secret.length >= 32)).toBe(true);
  });

  it('lets the printed demo logins in', async () => {
    for (const email of ['admin@demo.ventanilla.mx', 'agente1@demo.ventanilla.mx']) {
      const res = await hub.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: DEMO_PASSWORD } });
      expect(res.statusCode).toBe(200);
    }
  });
});
