import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { z } from 'zod';
import { authorize } from '../auth/principal.js';
import { HubError } from '../errors/error-registry.js';
import { principalOf } from '../http/authenticate.js';
import type { HubContext } from '../runtime/context.js';
import { whatsappWebStateStore } from './whatsapp-web-manager.js';
import { WHATSAPP_WEB_STATES } from './whatsapp-web-state.js';

export const whatsappWebStatusViewSchema = z.object({
  state: z.enum(WHATSAPP_WEB_STATES),
  qrDataUrl: z.string().optional().describe('Código QR para vincular (PNG, data URL) / pairing QR code as a PNG data URL, while state is "qr"'),
  phone: z.string().optional().describe('Número vinculado / paired phone number (digits), once ready'),
  since: z.string(),
  reason: z.string().optional(),
});

/** GET /channels/:id/whatsapp-web (pairing state and QR) and POST …/logout (unlink), for admins only. */
export function whatsappWebRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const store = whatsappWebStateStore(ctx);
    app.get(
      '/channels/:id/whatsapp-web',
      {
        schema: {
          tags: ['campaigns'],
          summary: 'Estado de la sesión de WhatsApp Web / WhatsApp Web session state and pairing QR',
          description: 'Solo administradores de la campaña: el QR vincula el número de la institución / campaign admins only: the QR links the institution’s number.',
          params: z.object({ id: z.uuid() }),
          response: { 200: whatsappWebStatusViewSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const channel = await ctx.db.kysely.selectFrom('channels').select(['id', 'campaign_id', 'kind', 'enabled']).where('id', '=', request.params.id).executeTakeFirst();
        if (!channel || channel.kind !== 'whatsapp_web') throw new HubError('HUB_ERR_CHANNEL_NOT_FOUND');
        // Whoever sees the QR can take over the institution's WhatsApp number.
        authorize(principal, ['admin'], channel.campaign_id);
        void reply.header('cache-control', 'no-store');
        const current = await store.get(channel.id);
        if (!current) {
          // No worker runs the session: not started yet, or the channel is off.
          return { state: channel.enabled ? ('starting' as const) : ('disconnected' as const), since: new Date().toISOString() };
        }
        const { status, qr } = current;
        const qrDataUrl = status.state === 'qr' && qr ? await QRCode.toDataURL(qr, { type: 'image/png', errorCorrectionLevel: 'L', margin: 2, width: 264 }) : undefined;
        return { ...status, ...(qrDataUrl ? { qrDataUrl } : {}) };
      },
    );

    app.post(
      '/channels/:id/whatsapp-web/logout',
      {
        schema: {
          tags: ['campaigns'],
          summary: 'Desvincular el número de WhatsApp Web / unlink the WhatsApp Web number',
          description: 'El proceso que corre la sesión cierra la sesión en el teléfono y muestra un QR nuevo / the process running the session logs the phone out and shows a new QR.',
          params: z.object({ id: z.uuid() }),
          response: { 202: z.object({ requested: z.literal(true) }) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const channel = await ctx.db.kysely.selectFrom('channels').select(['id', 'campaign_id', 'kind']).where('id', '=', request.params.id).executeTakeFirst();
        if (!channel || channel.kind !== 'whatsapp_web') throw new HubError('HUB_ERR_CHANNEL_NOT_FOUND');
        authorize(principal, ['admin'], channel.campaign_id);
        await store.requestLogout(channel.id);
        return reply.status(202).send({ requested: true as const });
      },
    );
  };
}
