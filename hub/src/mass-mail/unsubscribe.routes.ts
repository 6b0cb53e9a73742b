import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorRegistry } from '../errors/error-registry.js';
import type { HubContext } from '../runtime/context.js';
import { escapeHtml } from './mail-template.js';
import { recordUnsubscribe, resolveUnsubscribe } from './unsubscribe.usecase.js';

/**
 * The public end of a mass mail's unsubscribe link, `/u/<token>` (no login: the signed token is
 * the authority). GET shows a confirmation page — link scanners and previews fetch links, so a GET
 * never unsubscribes; POST records the address on the campaign's suppression list, and is also
 * what a mail client sends for RFC 8058 one-click (`List-Unsubscribe=One-Click`).
 */

// A wildcard, not `:token`: Fastify cuts route parameters at 100 characters, and a token carries
// the whole address (up to 254).
const params = z.object({ '*': z.string().max(1000) });

/** `j•••@dominio.mx`: enough for the reader to recognise the address, not more for whoever sees the page. */
function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, Math.min(1, at))}•••${email.slice(at)}`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="es-MX">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1f2328;margin:0;padding:2rem 1rem}
main{max-width:34rem;margin:0 auto;background:#fff;border-radius:8px;padding:1.5rem 2rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.35rem;margin-top:0}
.en{color:#4a4f57;font-size:.95rem;border-top:1px solid #d0d4da;margin-top:1.5rem;padding-top:1rem}
button{font:inherit;font-weight:600;background:#0b5cad;color:#fff;border:0;border-radius:6px;padding:.7rem 1.2rem;cursor:pointer}
button:focus-visible{outline:3px solid #f2a900;outline-offset:2px}
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

function send(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    // The token is in the URL: no Referer to image hosts or anyone else, nothing but this page.
    .header('referrer-policy', 'no-referrer')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    .send(html);
}

const INVALID = page(
  'Enlace no válido',
  `<h1>El enlace para darse de baja no es válido</h1>
<p>Copie el enlace completo desde el correo que recibió; si el problema sigue, use el botón «Cancelar suscripción» de su programa de correo.</p>
<p class="en" lang="en">${escapeHtml(errorRegistry.HUB_ERR_UNSUBSCRIBE_TOKEN_INVALID.message.split(' / ')[1] ?? '')}: copy the whole link from the e-mail you received.</p>`,
);

export function unsubscribeRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    // Mail clients post the one-click body form-encoded or as multipart; its content is fixed
    // by RFC 8058 and not needed, so any small body is accepted here (and only here).
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 8192 }, (_request, body, done) => done(null, body));

    const claimsOf = (token: string) => resolveUnsubscribe(db, ctx.config.JWT_SECRET, token);

    app.get('/u/*', { schema: { hide: true, params } }, async (request, reply) => {
      const claims = await claimsOf(request.params['*']);
      if (!claims) return send(reply, 400, INVALID);
      const name = escapeHtml(claims.campaignName);
      return send(
        reply,
        200,
        page(
          'Darse de baja',
          `<h1>¿Dejar de recibir los correos masivos de ${name}?</h1>
<p>Dirección: <strong>${escapeHtml(maskEmail(claims.email))}</strong></p>
<p>No afecta las respuestas a trámites o solicitudes que usted inicie.</p>
<form method="post"><button type="submit">Sí, darme de baja</button></form>
<p class="en" lang="en">Stop receiving bulk e-mail from ${name}? Press the button above to unsubscribe; replies to requests you start are not affected.</p>`,
        ),
      );
    });

    app.post('/u/*', { schema: { hide: true, params } }, async (request, reply) => {
      const claims = await claimsOf(request.params['*']);
      if (!claims) return send(reply, 400, INVALID);
      await recordUnsubscribe(db, claims, 'enlace de baja / unsubscribe link');
      request.log.info({ campaignId: claims.campaignId }, 'mass mail unsubscribe recorded');
      const name = escapeHtml(claims.campaignName);
      return send(
        reply,
        200,
        page(
          'Baja confirmada',
          `<h1>Listo: ya no recibirá correos masivos de ${name}</h1>
<p>La baja de <strong>${escapeHtml(maskEmail(claims.email))}</strong> quedó registrada y se respeta en los siguientes envíos.</p>
<p class="en" lang="en">Done: you will not receive bulk e-mail from ${name} any more.</p>`,
        ),
      );
    });
  };
}
