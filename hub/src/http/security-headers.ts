import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.schema.js';

/**
 * The inbox's content policy today: what blocks framing (clickjacking), <base> hijacking, plugins
 * and foreign form targets, without touching scripts. A full `script-src 'self'` policy is not
 * sent, not even report-only: zod compiles its schemas with `new Function` when eval is allowed,
 * and a report-only policy allows it while reporting every compile — the live wallboard, which
 * validates a snapshot every second, stalled the page under the reports (its browser test hung).
 * Enforcing `script-src 'self'` needs zod's jitless mode in the inbox and `bypassCSP` in the
 * browser tests that inject axe-core (as the portal's already do); both are left for later.
 */
export const INBOX_CSP_ENFORCED = ["frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'", "form-action 'self'"].join('; ');

/**
 * Paths other sites load (the web chat widget's script and API) or that are meant to look like
 * another site (the widget demo page): no frame or content policy of ours; they keep nosniff.
 */
const FOR_OTHER_SITES = /^\/(widget\.js|widget-demo\.html|widget\/)/;
/** Swagger UI ships inline scripts: it gets the frame rules but not the inbox's content policy. */
const API_DOCS = /^\/api\/docs(\/|$|\?)/;
const STAFF_API = /^\/api\/v1\//;

const CORS_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const CORS_HEADERS = 'Authorization, Content-Type, X-Request-Id';
const CORS_EXPOSED = 'Content-Disposition, Retry-After, X-Request-Id';

/** STAFF_CORS_ORIGINS as a set of exact origins (scheme://host[:port], lower-cased, no slash). */
export function staffCorsOrigins(value: string | undefined): Set<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((origin) => origin.trim().toLowerCase().replace(/\/+$/, ''))
      .filter((origin) => origin !== ''),
  );
}

function setUnlessPresent(reply: FastifyReply, name: string, value: string): void {
  if (!reply.hasHeader(name)) reply.header(name, value);
}

function isHtml(reply: FastifyReply): boolean {
  const type = reply.getHeader('content-type');
  return typeof type === 'string' && type.startsWith('text/html');
}

function allowedOrigin(request: FastifyRequest, origins: Set<string>): string | undefined {
  const origin = request.headers.origin;
  return typeof origin === 'string' && origins.has(origin.toLowerCase()) ? origin : undefined;
}

/**
 * Security headers on every response and CORS for the staff API (issue 12 item 3). Installed on
 * the root instance before any route, so every route and the 404 handler get them. A header a
 * route set itself (the portal's CSP, the widget's CORS) is never overridden.
 */
export function installSecurityHeaders(app: FastifyInstance, config: Pick<Config, 'PUBLIC_URL' | 'STAFF_CORS_ORIGINS'>): void {
  const hsts = config.PUBLIC_URL?.startsWith('https://') ? 'max-age=31536000; includeSubDomains' : undefined;
  const corsOrigins = staffCorsOrigins(config.STAFF_CORS_ORIGINS);

  // Staff API CORS: same origin only unless STAFF_CORS_ORIGINS names the page's origin. Bearer
  // tokens, not cookies, authenticate: no Allow-Credentials. Preflights are answered here, before
  // the authentication hook (a preflight carries no token).
  app.addHook('onRequest', async (request, reply) => {
    if (corsOrigins.size === 0 || !STAFF_API.test(request.url)) return;
    const origin = allowedOrigin(request, corsOrigins);
    reply.header('vary', 'Origin');
    if (!origin) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-expose-headers', CORS_EXPOSED);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      return reply
        .status(204)
        .header('access-control-allow-methods', CORS_METHODS)
        .header('access-control-allow-headers', CORS_HEADERS)
        .header('access-control-max-age', '600')
        .send();
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.removeHeader('x-powered-by');
    setUnlessPresent(reply, 'x-content-type-options', 'nosniff');
    setUnlessPresent(reply, 'referrer-policy', 'strict-origin-when-cross-origin');
    if (hsts) setUnlessPresent(reply, 'strict-transport-security', hsts);
    if (FOR_OTHER_SITES.test(request.url)) return payload;
    setUnlessPresent(reply, 'x-frame-options', 'DENY');
    // A page that sets its own policy (the portal) keeps it whole.
    if (isHtml(reply) && !API_DOCS.test(request.url) && !reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', INBOX_CSP_ENFORCED);
    }
    return payload;
  });
}
