import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../support/test-context.js';

describe('health, readiness, metrics, OpenAPI', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  it('answers /healthz and /readyz with PostgreSQL and Redis checked', async () => {
    expect((await hub.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await hub.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.postgres.ok).toBe(true);
    expect(ready.json().checks.redis.ok).toBe(true);
  });

  it('exposes prom-client metrics with HTTP latency and queue depths', async () => {
    await hub.app.inject({ method: 'GET', url: '/healthz' });
    const res = await hub.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('hub_http_request_duration_seconds_bucket');
    expect(res.body).toContain('hub_queue_depth{queue="inbound",state="waiting"}');
    expect(res.body).toContain('hub_ingest_latency_seconds');
  });

  it('returns JSON errors with a stable code and a request id, never a stack', async () => {
    const res = await hub.app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: { 'x-request-id': 'abc-123' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.json().error.code).toBe('HUB_ERR_NOT_FOUND');
    expect(res.body).not.toContain('at ');
  });

  it('serves an OpenAPI document listing the /api/v1 routes', async () => {
    const res = await hub.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
  });
});

describe('OpenAPI coverage', () => {
  it('documents every /api/v1 route with its method', async () => {
    const hub = await createTestHub();
    try {
      const doc = (await hub.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
      const apiRoutes = hub.app.registeredRoutes.filter((r) => r.url.startsWith('/api/v1/') && r.url !== '/api/v1/openapi.json');
      expect(apiRoutes.length).toBeGreaterThan(10);
      const missing = apiRoutes.filter((r) => {
        const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
        return !doc.paths[path]?.[r.method.toLowerCase()];
      });
      expect(missing).toEqual([]);
    } finally {
      await hub.cleanup();
    }
  });
});

describe('root', () => {
  it('points at the API documentation and health endpoints', async () => {
    const hub = await createTestHub();
    try {
      const res = await hub.app.inject({ method: 'GET', url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ docs: '/api/docs', openapi: '/api/v1/openapi.json', readiness: '/readyz' });
      expect((await hub.app.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(200);
    } finally {
      await hub.cleanup();
    }
  });
});
