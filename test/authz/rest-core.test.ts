import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_POLICY, routeKey } from '../../hub/src/auth/access-policy/access-policy.js';
import { CORE_ROUTES } from '../../hub/src/auth/access-policy/rest-core.policy.js';
import { PUBLIC_ROUTES } from '../../hub/src/auth/access-policy/rest-public.policy.js';
import { tokenFor } from '../support/auth.js';
import { runMatrix } from './authz-matrix.js';
import { authzWorld, type AuthzWorld } from './authz-world.js';

/**
 * Issue 12: every route × every role (+ no session, + a user of another campaign) answers as
 * docs/authorization-matrix.md says. This file: the route inventory, public routes and the inbox core.
 */
describe('authorization matrix: inventory, public routes and the inbox core', () => {
  let w: AuthzWorld;
  beforeAll(async () => {
    w = await authzWorld();
  });
  afterAll(async () => {
    await w?.cleanup();
  });

  it('declares every route the hub registers, and no route it does not', () => {
    const registered = new Set(w.hub.app.registeredRoutes.map(routeKey));
    const declared = ACCESS_POLICY.map(routeKey);
    expect(registered.size).toBeGreaterThan(200);
    expect([...registered].filter((key) => !declared.includes(key)), 'declare these in hub/src/auth/access-policy/').toEqual([]);
    expect(declared.filter((key) => !registered.has(key)), 'declared but not registered').toEqual([]);
    expect(declared.length, 'a route declared twice').toBe(new Set(declared).size);
  });

  it('public routes give the same answer with or without a staff token, and open ones need no credentials', async () => {
    expect(await runMatrix(w, PUBLIC_ROUTES)).toEqual([]);
  });

  it('filtered lists answer a user of another campaign without a single row of campaign A', async () => {
    const foreign = await tokenFor(w.hub.ctx.db.kysely, w.fx.userIds.foreign);
    const own = await tokenFor(w.hub.ctx.db.kysely, w.fx.userIds.supervisor);
    const lists: [string, string][] = [
      ['/api/v1/campaigns', w.fx.campaignA],
      ['/api/v1/contacts?q=Ciudadana', w.fx.contact],
      ['/api/v1/conversations', w.fx.conversation],
      ['/api/v1/quality/campaigns', w.fx.campaignA],
    ];
    for (const [url, id] of lists) {
      const seen = await w.hub.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${own}` } });
      expect(seen.body, `${url}: campaign A's supervisor sees the row`).toContain(id);
      const hidden = await w.hub.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${foreign}` } });
      expect(hidden.statusCode, url).toBe(200);
      expect(hidden.body, `${url}: another campaign's user sees campaign A's row`).not.toContain(id);
    }
  });

  it('core staff routes let in exactly the declared roles and keep other campaigns out', async () => {
    expect(await runMatrix(w, CORE_ROUTES)).toEqual([]);
  }, 180_000);
});
