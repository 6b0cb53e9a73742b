import type { FastifyReply } from 'fastify';

/**
 * CORS for the widget routes (issue 5 item 3): the page's own origin is reflected, never `*`,
 * only after it was checked against the channel; `Vary: Origin` keeps caches from serving one
 * site's answer to another. Download names and retry hints must be readable by the widget script.
 */
export function allowWidgetOrigin(reply: FastifyReply, origin: string): void {
  reply.header('access-control-allow-origin', origin);
  reply.header('vary', 'Origin');
  reply.header('access-control-expose-headers', 'Content-Disposition, Retry-After, X-Request-Id');
}

export const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type, X-Request-Id',
  'access-control-max-age': '600',
} as const;
