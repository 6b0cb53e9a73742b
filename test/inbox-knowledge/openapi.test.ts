import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../support/test-context.js';

interface Operation {
  tags?: string[];
  summary?: string;
  requestBody?: { content: Record<string, { schema: unknown }> };
}

/** The inbox UI is built against this contract: every route documented, tagged, summarised in both languages. */
describe('agent-desktop knowledge in the OpenAPI document', () => {
  let hub: TestHub;
  let paths: Record<string, Record<string, Operation>>;
  beforeAll(async () => {
    hub = await createTestHub();
    paths = (await hub.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json().paths;
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  it('documents each route with the inbox-knowledge tag and a Spanish / English summary', () => {
    const routes: [string, string][] = [
      ['/api/v1/campaigns/{id}/canned-responses', 'get'],
      ['/api/v1/campaigns/{id}/canned-responses', 'post'],
      ['/api/v1/canned-responses/{id}', 'put'],
      ['/api/v1/canned-responses/{id}', 'delete'],
      ['/api/v1/campaigns/{id}/disposition-codes', 'get'],
      ['/api/v1/campaigns/{id}/disposition-codes', 'post'],
      ['/api/v1/disposition-codes/{id}', 'put'],
      ['/api/v1/conversations/{id}/dispositions', 'get'],
      ['/api/v1/campaigns/{id}/kb-articles', 'get'],
      ['/api/v1/campaigns/{id}/kb-articles', 'post'],
      ['/api/v1/kb-articles/{id}', 'get'],
      ['/api/v1/kb-articles/{id}', 'put'],
      ['/api/v1/kb-articles/{id}', 'delete'],
    ];
    for (const [path, method] of routes) {
      const operation = paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(operation!.tags).toEqual(['inbox-knowledge']);
      expect(operation!.summary).toMatch(/.+ \/ .+/);
    }
  });

  it('documents the wrap-up fields of the resolve body', () => {
    const body = JSON.stringify(paths['/api/v1/conversations/{id}/resolve']?.['post']?.requestBody);
    expect(body).toContain('dispositionCodeIds');
    expect(body).toContain('summary');
  });
});
