import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS_ROUTES } from '../../hub/src/auth/access-policy/rest-operations.policy.js';
import { runMatrix } from './authz-matrix.js';
import { authzWorld, type AuthzWorld } from './authz-world.js';

/** Issue 12 authorization matrix, second half: SLA, billing, mass sends, bots, voice, quality, appointments, privacy. */
describe('authorization matrix: operations and back office', () => {
  let w: AuthzWorld;
  beforeAll(async () => {
    w = await authzWorld();
  });
  afterAll(async () => {
    await w?.cleanup();
  });

  it('operations staff routes let in exactly the declared roles and keep other campaigns out', async () => {
    expect(await runMatrix(w, OPERATIONS_ROUTES)).toEqual([]);
  }, 240_000);
});
