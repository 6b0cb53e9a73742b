import type { FastifyReply, FastifyRequest } from 'fastify';
import { HubError } from '../errors/error-registry.js';
import { bearerToken } from '../http/authenticate.js';
import type { HubContext } from '../runtime/context.js';
import type { WebchatSession } from '../db/schema.js';
import { allowWidgetOrigin } from './widget-cors.js';
import { loadWidgetChannel, originAllowed, type WidgetChannel } from './widget-channel.js';
import type { WidgetOriginCache } from './widget-origins.js';
import { verifyVisitorToken } from './visitor-token.js';

export interface Visitor {
  visitorId: string;
  origin: string;
  channel: WidgetChannel;
  session: WebchatSession;
}

/**
 * Who is calling, for the REST routes and the socket namespace alike, checked on every call
 * (issue 5 item 2): the token's signature and expiry, its channel (enabled, web chat), the Origin
 * it was issued to (a token copied to another site → HUB_ERR_WIDGET_ORIGIN), and the visitor row.
 */
export async function resolveVisitor(ctx: HubContext, token: string | undefined, origin: string | undefined): Promise<Visitor> {
  const claims = await verifyVisitorToken(ctx.config.JWT_SECRET, token);
  const channel = await loadWidgetChannel(ctx.channels, claims.channelId);
  if (!originAllowed(channel.settings, origin) || origin !== claims.origin) throw new HubError('HUB_ERR_WIDGET_ORIGIN');
  const session = await ctx.db.kysely
    .selectFrom('webchat_sessions')
    .selectAll()
    .where('visitor_id', '=', claims.visitorId)
    .where('channel_id', '=', claims.channelId)
    .executeTakeFirst();
  if (!session) throw new HubError('HUB_ERR_WIDGET_TOKEN_INVALID');
  return { visitorId: claims.visitorId, origin, channel, session };
}

export function originHeader(request: FastifyRequest): string | undefined {
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') return origin;
  // Browsers send no Origin on a same-origin GET (the hub's own /widget-demo.html); Fetch
  // Metadata says it was same-origin, so the page's origin is the hub's own. The channel must
  // still list it among its allowed origins.
  if (request.headers['sec-fetch-site'] === 'same-origin' && typeof request.headers.host === 'string') return `${request.protocol}://${request.headers.host}`;
  return undefined;
}

/**
 * resolveVisitor for a REST call, with the CORS answer: an origin no channel allows gets a bare
 * 403; an allowed one gets its CORS headers even on errors, so the widget can read the code.
 */
export async function authenticateVisitor(ctx: HubContext, origins: WidgetOriginCache, request: FastifyRequest, reply: FastifyReply): Promise<Visitor> {
  const origin = originHeader(request);
  try {
    const visitor = await resolveVisitor(ctx, bearerToken(request), origin);
    allowWidgetOrigin(reply, visitor.origin);
    await touchSession(ctx, visitor.visitorId);
    return visitor;
  } catch (error) {
    const code = error instanceof HubError ? error.code : null;
    if (origin && code !== 'HUB_ERR_WIDGET_ORIGIN' && (await origins.allows(origin).catch(() => false))) allowWidgetOrigin(reply, origin);
    throw error;
  }
}

/** last_seen_at, written at most once a minute per visitor. */
async function touchSession(ctx: HubContext, visitorId: string): Promise<void> {
  await ctx.db.kysely
    .updateTable('webchat_sessions')
    .set({ last_seen_at: new Date() })
    .where('visitor_id', '=', visitorId)
    .where('last_seen_at', '<', new Date(Date.now() - 60_000))
    .execute();
}

/** The channel of a /channels/:channelId route, with its Origin checked and CORS answered. */
export async function authorizeChannelOrigin(ctx: HubContext, request: FastifyRequest, reply: FastifyReply, channelId: string): Promise<WidgetChannel & { origin: string }> {
  const channel = await loadWidgetChannel(ctx.channels, channelId);
  const origin = originHeader(request);
  if (!originAllowed(channel.settings, origin)) throw new HubError('HUB_ERR_WIDGET_ORIGIN');
  allowWidgetOrigin(reply, origin);
  return { ...channel, origin };
}
