import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleWorld, insertModelRow, type ConsoleWorld, type Method } from './console-fixtures.js';

type Who = keyof ConsoleWorld['tokens'];

interface Route {
  name: string;
  method: Method;
  path: () => string;
  body?: object;
  /** What an allowed caller gets with these (deliberately cheap) arguments: proof the call got past the role check. */
  allowed: { status: number; code?: string };
}

/**
 * Issue 7 item 5 roles: trainers and admins of the campaign do everything, the campaign's
 * supervisors only read, agents and trainers of another campaign nothing (403) — on every route.
 */
describe('intent console roles', () => {
  let w: ConsoleWorld;
  let productionId: string;
  let draftId: string;

  beforeAll(async () => {
    w = await consoleWorld();
    productionId = (await insertModelRow(w, 1, 'production')).id;
    draftId = (await insertModelRow(w, 2, 'draft')).id;
  });
  afterAll(async () => {
    await w?.cleanup();
  });

  const routes: Route[] = [
    { name: 'list models', method: 'GET', path: () => '/models', allowed: { status: 200 } },
    { name: 'create draft', method: 'POST', path: () => '/models', body: { note: 'prueba de roles' }, allowed: { status: 201 } },
    { name: 'get model', method: 'GET', path: () => `/models/${productionId}`, allowed: { status: 200 } },
    { name: 'update model', method: 'PUT', path: () => `/models/${productionId}`, body: { model: { name: 'X', intents: [] } }, allowed: { status: 409, code: 'HUB_ERR_BOT_MODEL_NOT_DRAFT' } },
    { name: 'train', method: 'POST', path: () => `/models/${productionId}/train`, allowed: { status: 409, code: 'HUB_ERR_BOT_MODEL_NOT_DRAFT' } },
    { name: 'test', method: 'POST', path: () => `/models/${draftId}/test`, body: { utterance: 'hola' }, allowed: { status: 409, code: 'HUB_ERR_BOT_NOT_TRAINED' } },
    { name: 'promote', method: 'POST', path: () => `/models/${productionId}/promote`, allowed: { status: 409, code: 'HUB_ERR_BOT_ALREADY_PRODUCTION' } },
    { name: 'rollback', method: 'POST', path: () => '/rollback', allowed: { status: 409, code: 'HUB_ERR_BOT_NO_PREVIOUS' } },
    { name: 'export', method: 'GET', path: () => `/models/${productionId}/export`, allowed: { status: 200 } },
    { name: 'import', method: 'POST', path: () => '/import', body: { model: { intents: 'no' } }, allowed: { status: 400, code: 'HUB_ERR_BOT_MODEL_INVALID' } },
    { name: 'unmatched', method: 'GET', path: () => '/unmatched', allowed: { status: 200 } },
    { name: 'add to intent', method: 'POST', path: () => `/unmatched/${randomUUID()}/add`, body: { intent: 'saludo' }, allowed: { status: 404, code: 'HUB_ERR_BOT_TURN_NOT_FOUND' } },
    { name: 'dismiss', method: 'POST', path: () => `/unmatched/${randomUUID()}/dismiss`, allowed: { status: 404, code: 'HUB_ERR_BOT_TURN_NOT_FOUND' } },
    { name: 'metrics', method: 'GET', path: () => '/metrics', allowed: { status: 200 } },
    { name: 'flag wrong', method: 'POST', path: () => `/turns/${randomUUID()}/flag-wrong`, body: { reason: 'respuesta equivocada' }, allowed: { status: 404, code: 'HUB_ERR_BOT_TURN_NOT_FOUND' } },
  ];

  function allowedFor(route: Route): Who[] {
    return route.method === 'GET' ? ['trainer', 'admin', 'supervisor'] : ['trainer', 'admin'];
  }

  it('covers every route of the contract', () => {
    const registered = w.hub.app.registeredRoutes.filter((r) => r.url.startsWith('/api/v1/campaigns/:campaignId/bot/'));
    expect(registered).toHaveLength(routes.length);
  });

  for (const route of routes) {
    it(`${route.method} ${route.name}: allowed to ${route.method === 'GET' ? 'trainer, admin, supervisor' : 'trainer, admin'}; 403 to the rest`, async () => {
      const allowed = allowedFor(route);
      for (const who of Object.keys(w.tokens) as Who[]) {
        const res = await w.api(route.method, route.path(), w.tokens[who], route.body);
        if (allowed.includes(who)) {
          expect(res.status, `${who}: ${res.body}`).toBe(route.allowed.status);
          if (route.allowed.code) expect(res.json<{ error: { code: string } }>().error.code, who).toBe(route.allowed.code);
        } else {
          expect(res.status, `${who}: ${res.body}`).toBe(403);
          expect(res.json<{ error: { code: string } }>().error.code, who).toMatch(/^HUB_ERR_FORBIDDEN_(ROLE|CAMPAIGN)$/);
        }
      }
    });
  }

  it('a trainer of another campaign is refused even with a model id of that campaign in the URL of their own', async () => {
    const res = await w.hub.app.inject({
      method: 'GET',
      url: `/api/v1/campaigns/${w.otherCampaignId}/bot/models/${productionId}`,
      headers: { authorization: `Bearer ${w.tokens.foreignTrainer}` },
    });
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('HUB_ERR_BOT_MODEL_NOT_FOUND');
  });
});
