import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HubError } from '../errors/error-registry.js';
import type { HubContext } from '../runtime/context.js';
import { createVisitorSession } from './create-visitor-session.usecase.js';
import { leaveMessage } from './leave-message.usecase.js';
import { authorizeChannelOrigin } from './visitor-auth.js';
import type { WidgetChannel } from './widget-channel.js';
import { widgetConfig } from './widget-config.js';
import { leaveMessageRequestSchema, prechatRequestSchema } from './widget-requests.schema.js';
import { RequestSlot, type WidgetServices } from './widget-services.js';

const params = z.object({ channelId: z.uuid() });
const rawParams = z.object({ channelId: z.string().max(64) });

/** The routes a page calls before it has a visitor token: /widget/v1/channels/:channelId/… */
export function widgetChannelRoutes(ctx: HubContext, services: WidgetServices): FastifyPluginAsyncZod {
  return async (app) => {
    const channelOf = new RequestSlot<WidgetChannel & { origin: string }>();
    // Origin first, before the body is read: another site gets a bare 403, whatever it sent.
    app.addHook('onRequest', async (request, reply) => {
      const parsed = rawParams.safeParse(request.params);
      channelOf.set(request, await authorizeChannelOrigin(ctx, request, reply, parsed.success ? parsed.data.channelId : ''));
    });

    app.get(
      '/channels/:channelId/config',
      { schema: { tags: ['widget'], summary: 'Configuración pública del chat web / public web chat widget configuration', params, security: [] } },
      async (request) => widgetConfig(ctx.db.kysely, channelOf.get(request)),
    );

    app.post(
      '/channels/:channelId/captcha',
      { schema: { tags: ['widget'], summary: 'Reto anti-robots del formulario / CAPTCHA challenge for the pre-chat form', params, security: [] } },
      async (request) => {
        const channel = channelOf.get(request);
        await services.limiter.hit(services.limits.sessionsPerIp, request.ip);
        const captcha = channel.settings.captcha;
        const challenge = await services.captchas[captcha.kind].issue(channel.row.id, captcha);
        if (!challenge) throw new HubError('HUB_ERR_NOT_FOUND', 'Este chat no usa verificación anti-robots / this chat uses no CAPTCHA');
        return challenge;
      },
    );

    app.post(
      '/channels/:channelId/sessions',
      {
        schema: {
          tags: ['widget'],
          summary: 'Formulario previo al chat: crea o reanuda un visitante / pre-chat form: creates or resumes a visitor',
          params,
          body: prechatRequestSchema,
          security: [],
          response: { 201: z.object({ visitorId: z.uuid(), visitorToken: z.string() }) },
        },
      },
      async (request, reply) => {
        const channel = channelOf.get(request);
        await services.limiter.hit(services.limits.sessionsPerIp, request.ip);
        const userAgent = request.headers['user-agent'];
        const created = await createVisitorSession(ctx, services.captchas, channel, request.body, { ip: request.ip, userAgent: userAgent ?? null });
        request.log.info({ channelId: channel.row.id, visitorId: created.visitorId, resumed: created.resumed }, 'widget visitor session');
        return reply.status(201).send({ visitorId: created.visitorId, visitorToken: created.visitorToken });
      },
    );

    app.post(
      '/channels/:channelId/leave-message',
      {
        schema: {
          tags: ['widget'],
          summary: 'Mensaje fuera de horario: se atiende por correo / leave a message outside hours, answered by e-mail',
          params,
          body: leaveMessageRequestSchema,
          security: [],
          response: { 202: z.object({ folio: z.null(), accepted: z.literal(true) }) },
        },
      },
      async (request, reply) => {
        const channel = channelOf.get(request);
        await services.limiter.hit(services.limits.sessionsPerIp, request.ip);
        await leaveMessage(ctx, services.captchas, channel, request.body, request.id);
        return reply.status(202).send({ folio: null, accepted: true as const });
      },
    );
  };
}
