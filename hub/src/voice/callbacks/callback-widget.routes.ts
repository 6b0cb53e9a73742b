import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HubError } from '../../errors/error-registry.js';
import { documented, parseBody } from '../../inbox/inbox-http.js';
import type { HubContext } from '../../runtime/context.js';
import { authenticateVisitor } from '../../webchat/visitor-auth.js';
import { RateLimitedError, RateLimiter, type RateLimit } from '../../webchat/rate-limiter.js';
import { WidgetOriginCache } from '../../webchat/widget-origins.js';
import { voiceSettingsOf } from '../core/voice-channels.js';
import { callbackChannelId, widgetCallbackBody } from './callback.schema.js';
import { createCallback } from './create-callback.usecase.js';

/** A visitor may ask for a few call-backs an hour; one IP (a shared office) a few more. */
const PER_VISITOR: RateLimit = { bucket: 'widget-callbacks-visitor', limit: 3, windowSeconds: 3600 };
const PER_IP: RateLimit = { bucket: 'widget-callbacks-ip', limit: 10, windowSeconds: 3600 };

/**
 * POST /widget/v1/callbacks — a web chat visitor asks to be called back (issue 8 item 6), with the
 * widget's visitor token (Origin checked like every widget route) and a rate limit. The call-back
 * goes to the visitor's campaign's voice channel; the answer carries the folio to quote.
 */
export function callbackWidgetRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const limiter = new RateLimiter(ctx.redis, ctx.config.REDIS_PREFIX);
    const origins = new WidgetOriginCache(ctx.db.kysely);
    app.addHook('onError', async (_request, reply, error) => {
      if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
    });

    app.post(
      '/callbacks',
      {
        schema: {
          tags: ['widget'],
          summary: 'El visitante pide que le llamen / the visitor asks for a call-back',
          body: documented(widgetCallbackBody),
          response: { 201: z.object({ callbackId: z.uuid(), folio: z.string(), phone: z.string(), message: z.string() }) },
        },
      },
      async (request, reply) => {
        const visitor = await authenticateVisitor(ctx, origins, request, reply);
        await limiter.hit(PER_VISITOR, visitor.visitorId);
        await limiter.hit(PER_IP, request.ip);
        const input = parseBody(widgetCallbackBody, request.body);
        const campaignId = visitor.channel.row.campaign_id;
        const loaded = await ctx.channels.get(await callbackChannelId(ctx.db.kysely, campaignId));
        const settings = loaded ? voiceSettingsOf(loaded) : null;
        if (!loaded || !settings) throw new HubError('HUB_ERR_CHANNEL_NOT_FOUND', 'Por ahora no podemos devolver llamadas / call-backs are not available right now');
        const result = await createCallback(ctx, loaded, settings, { source: 'web', phone: input.phone, name: input.name, note: input.note });
        return reply.status(201).send({
          callbackId: result.callback.id,
          folio: result.folio,
          phone: result.callback.phone,
          message: `Le llamaremos al ${result.callback.phone}. Su folio es ${result.folio}. / We will call you at ${result.callback.phone}. Your folio is ${result.folio}.`,
        });
      },
    );
  };
}
