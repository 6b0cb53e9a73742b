import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { HubError } from '../../errors/error-registry.js';
import type { HubContext } from '../../runtime/context.js';

/** The citizens' portal page (inbox-ui/dist-portal, `npm run build:ui`, vite.portal.config.ts). */
const PORTAL_DIST = fileURLToPath(new URL('../../../../inbox-ui/dist-portal/', import.meta.url));

/** Vite's hashed asset names only: nothing else (no `..`, no folders) is ever read from disk. */
const ASSET_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.(js|css|svg|png|woff2)$/;
const ASSET_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
};

/** The page's own policy: scripts and styles from this origin only, its API on this origin, no frames. */
const PAGE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function notBuilt(): HubError {
  return new HubError('HUB_ERR_NOT_FOUND', 'El portal no está compilado (npm run build:ui) / the portal is not built (npm run build:ui)');
}

/**
 * GET /portal (and its client paths, e.g. /portal/tramite/TRAM-…) → the portal's page; its hashed
 * bundles under /portal/assets/. Public, like the API it calls (/portal/v1). Files are read per
 * request (small, from the page cache), so a rebuilt portal needs no restart — as /widget.js.
 */
export function portalPageRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  void ctx;
  return async (app) => {
    const page = async (): Promise<string> => {
      const html = await readFile(`${PORTAL_DIST}portal.html`, 'utf8').catch(() => null);
      if (html === null) throw notBuilt();
      return html;
    };
    const sendPage = async (_request: unknown, reply: FastifyReply) =>
      reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .header('content-security-policy', PAGE_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .send(await page());

    app.get('/portal', { schema: { hide: true } }, sendPage);
    app.get('/portal/', { schema: { hide: true } }, sendPage);
    // A direct link to one case: the page reads the folio from its path and asks only for the NSS/CURP.
    app.get('/portal/tramite/:folio', { schema: { hide: true, params: z.object({ folio: z.string().max(40) }) } }, sendPage);

    app.get('/portal/assets/:file', { schema: { hide: true, params: z.object({ file: z.string().max(200) }) } }, async (request, reply) => {
      const match = ASSET_NAME.exec(request.params.file);
      const type = match?.[1] === undefined ? undefined : ASSET_TYPES[match[1]];
      if (!match || type === undefined) throw new HubError('HUB_ERR_NOT_FOUND', 'Archivo no encontrado / file not found');
      const body = await readFile(`${PORTAL_DIST}assets/${request.params.file}`).catch(() => null);
      if (body === null) throw new HubError('HUB_ERR_NOT_FOUND', 'Archivo no encontrado / file not found');
      // Content-hashed names: a new build has new names, so the old ones can be cached for good.
      return reply.header('content-type', type).header('cache-control', 'public, max-age=31536000, immutable').header('x-content-type-options', 'nosniff').send(body);
    });
  };
}
