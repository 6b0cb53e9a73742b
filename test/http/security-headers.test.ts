import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, tokenFor } from '../support/auth.js';
import { createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';

const PANEL = 'https://panel.imss.gob.mx';

describe('security headers (default config: http PUBLIC_URL, no staff CORS)', () => {
  let hub: TestHub;
  let token: string;
  beforeAll(async () => {
    hub = await createTestHub();
    token = await tokenFor(hub.ctx.db.kysely, (await createUser(hub.ctx.db.kysely, { roles: ['agent'] })).id);
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  it('puts nosniff, referrer policy and frame denial on an API answer (and on errors), no x-powered-by, no HSTS over http', async () => {
    for (const res of [
      await hub.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) }),
      await hub.app.inject({ method: 'GET', url: '/api/v1/auth/me' }),
      await hub.app.inject({ method: 'GET', url: '/api/v1/no-existe' }),
    ]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('gives the inbox page a content security policy that forbids framing, <base> and plugins', async () => {
    const res = await hub.app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const enforced = String(res.headers['content-security-policy']);
    expect(enforced).toContain("frame-ancestors 'none'");
    expect(enforced).toContain("base-uri 'none'");
    expect(enforced).toContain("object-src 'none'");
    // No report-only policy: it made zod report every schema compile and stalled the wallboard.
    expect(res.headers['content-security-policy-report-only']).toBeUndefined();
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('keeps the portal page’s own policy', async () => {
    const res = await hub.app.inject({ method: 'GET', url: '/portal', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("connect-src 'self'; frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).not.toContain('twilio');
    expect(res.headers['content-security-policy-report-only']).toBeUndefined();
  });

  it('leaves the widget loadable by other sites: no frame or content policy on /widget.js and /widget/v1, cross-origin resource policy kept', async () => {
    const script = await hub.app.inject({ method: 'GET', url: '/widget.js', headers: { origin: 'https://www.gob.mx' } });
    expect(script.statusCode).toBe(200);
    expect(script.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(script.headers['x-content-type-options']).toBe('nosniff');
    expect(script.headers['x-frame-options']).toBeUndefined();
    expect(script.headers['content-security-policy']).toBeUndefined();
    const api = await hub.app.inject({ method: 'OPTIONS', url: '/widget/v1/session', headers: { origin: 'https://www.gob.mx', 'access-control-request-method': 'POST' } });
    expect(api.headers['x-frame-options']).toBeUndefined();
    expect(api.headers['content-security-policy']).toBeUndefined();
  });

  it('staff API is same-origin only by default: no Access-Control-Allow-Origin for any origin', async () => {
    const res = await hub.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { ...bearer(token), origin: PANEL } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await hub.app.inject({ method: 'OPTIONS', url: '/api/v1/users', headers: { origin: PANEL, 'access-control-request-method': 'GET' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('security headers with an https PUBLIC_URL and STAFF_CORS_ORIGINS', () => {
  let hub: TestHub;
  let token: string;
  beforeAll(async () => {
    hub = await createTestHub({ PUBLIC_URL: 'https://ventanilla.imss.gob.mx', STAFF_CORS_ORIGINS: `${PANEL}, http://localhost:5173` });
    token = await tokenFor(hub.ctx.db.kysely, (await createUser(hub.ctx.db.kysely, { roles: ['agent'] })).id);
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  it('sends Strict-Transport-Security when the public URL is https', async () => {
    const res = await hub.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('answers the preflight of an allowed origin and lets it read the answer', async () => {
    const preflight = await hub.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/conversations',
      headers: { origin: PANEL, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(PANEL);
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('Authorization');
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('PATCH');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();

    const res = await hub.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { ...bearer(token), origin: 'http://localhost:5173' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(String(res.headers['vary'])).toContain('Origin');
  });

  it('gives another origin no CORS headers, neither on the preflight nor on the answer', async () => {
    const preflight = await hub.app.inject({ method: 'OPTIONS', url: '/api/v1/conversations', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' } });
    expect(preflight.statusCode).not.toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const res = await hub.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { ...bearer(token), origin: 'https://evil.example.com' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    // A look-alike of an allowed origin is not allowed.
    const lookAlike = await hub.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { ...bearer(token), origin: `${PANEL}.evil.example.com` } });
    expect(lookAlike.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('does not add staff CORS outside /api/v1', async () => {
    const res = await hub.app.inject({ method: 'GET', url: '/healthz', headers: { origin: PANEL } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
