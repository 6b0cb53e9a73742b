import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../support/test-context.js';

/**
 * Issue 12: /metrics names queues, load and error rates. With METRICS_TOKEN set, only a scraper
 * holding it reads them; without it the port must be restricted by network (README).
 */
describe('/metrics behind METRICS_TOKEN', () => {
  const TOKEN = 'prometheus-scrape-token-0123456789';
  let hub: TestHub;

  beforeAll(async () => {
    hub = await createTestHub({ METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => hub?.cleanup());

  it('refuses a scrape without the token or with another one', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`, 'Bearer ']) {
      const res = await hub.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.body).not.toContain('ventanilla_');
    }
  });

  it('serves the exposition to the holder of the token', async () => {
    const res = await hub.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('ventanilla_');
  });

  it('leaves the probes open', async () => {
    expect((await hub.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
