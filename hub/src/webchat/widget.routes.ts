import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HubError } from '../errors/error-registry.js';
import type { HubContext } from '../runtime/context.js';
import { RateLimitedError } from './rate-limiter.js';
import { originHeader } from './visitor-auth.js';
import { allowWidgetOrigin, PREFLIGHT_HEADERS } from './widget-cors.js';
import { loadWidgetChannel, originAllowed } from './widget-channel.js';
import { widgetChannelRoutes } from './widget-channel.routes.js';
import { widgetFileRoutes } from './widget-files.routes.js';
import { createWidgetServices } from './widget-services.js';
import { widgetVisitorRoutes } from './widget-visitor.routes.js';

const CHANNEL_PATH = /^\/widget\/v1\/channels\/([^/?#]+)\//;

/**
 * /widget/v1 — the web chat widget's REST API (widget.contract.ts), public: no staff auth hook.
 * Every route checks the page's Origin against the channel before anything else.
 */
export function widgetRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const services = createWidgetServices(ctx);

    app.addHook('onError', async (_request, reply, error) => {
      if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
    });

    // Preflights carry no token: a channel route is checked against its channel, a token route
    // against every web chat channel's origins (the real request is then checked exactly).
    app.options('/*', { schema: { hide: true, params: z.object({ '*': z.string() }) } }, async (request, reply) => {
      const origin = originHeader(request);
      const channelId = CHANNEL_PATH.exec(request.url)?.[1];
      const allowed = channelId
        ? originAllowed((await loadWidgetChannel(ctx.channels, channelId).catch(() => null))?.settings ?? { allowedOrigins: [] }, origin)
        : await services.origins.allows(origin);
      if (!allowed || !origin) throw new HubError('HUB_ERR_WIDGET_ORIGIN');
      allowWidgetOrigin(reply, origin);
      return reply.status(204).headers(PREFLIGHT_HEADERS).send();
    });

    await app.register(widgetChannelRoutes(ctx, services));
    await app.register(widgetVisitorRoutes(ctx, services));
    await app.register(widgetFileRoutes(ctx, services));
  };
}
