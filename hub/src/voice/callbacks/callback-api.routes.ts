import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize, HANDLING_ROLES } from '../../auth/principal.js';
import { HubError } from '../../errors/error-registry.js';
import { principalOf } from '../../http/authenticate.js';
import { ADMIN_OR_SUPERVISOR, assertCampaignExists, documented, parseBody } from '../../inbox/inbox-http.js';
import type { HubContext } from '../../runtime/context.js';
import { PgCallStore } from '../core/pg-call-store.js';
import { voiceSettingsOf } from '../core/voice-channels.js';
import { cancelCallback } from './cancel-callback.usecase.js';
import { callbackChannelId, callbackViewSchema, createCallbackBody, listCallbacksQuery, toCallbackView } from './callback.schema.js';
import { createCallback } from './create-callback.usecase.js';

const idParams = z.object({ id: z.uuid() });
const created = callbackViewSchema.extend({ created: z.boolean() });

/**
 * Call-backs for staff and integrations (issue 8 item 6), under /api/v1 with a bearer token:
 * request one (agents, supervisors, admins of the campaign; an integration is a user with one of
 * those roles), list them, cancel one (supervisors, admins), and call back a voicemail's caller.
 */
export function callbackApiRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['voice'];

    async function channelFor(campaignId: string, channelId?: string) {
      const id = await callbackChannelId(db, campaignId, channelId);
      const loaded = await ctx.channels.get(id);
      const settings = loaded ? voiceSettingsOf(loaded) : null;
      if (!loaded || !settings) throw new HubError('HUB_ERR_CHANNEL_NOT_FOUND', 'El canal de voz no está configurado / the voice channel is not configured');
      return { loaded, settings };
    }

    app.post(
      '/voice/callbacks',
      { schema: { tags, summary: 'Solicitar una devolución de llamada / request a call-back', body: documented(createCallbackBody), response: { 201: created } } },
      async (request, reply) => {
        const principal = principalOf(request);
        const input = parseBody(createCallbackBody, request.body);
        authorize(principal, HANDLING_ROLES, input.campaignId);
        await assertCampaignExists(db, input.campaignId);
        const { loaded, settings } = await channelFor(input.campaignId, input.channelId);
        const result = await createCallback(ctx, loaded, settings, {
          source: 'api',
          phone: input.phone,
          name: input.name,
          note: input.note,
          requestedBy: principal.userId,
          ...(input.dueAt ? { dueAt: new Date(input.dueAt) } : {}),
        });
        return reply.status(201).send({ ...toCallbackView(result.callback, result.folio), created: result.created });
      },
    );

    app.get(
      '/voice/callbacks',
      { schema: { tags, summary: 'Devoluciones de llamada de la campaña / call-backs of a campaign', querystring: listCallbacksQuery, response: { 200: z.object({ items: z.array(callbackViewSchema) }) } } },
      async (request) => {
        const { campaignId, status, limit } = request.query;
        authorize(principalOf(request), HANDLING_ROLES, campaignId);
        let query = db
          .selectFrom('voice_callbacks as cb')
          .innerJoin('conversations as c', 'c.id', 'cb.conversation_id')
          .selectAll('cb')
          .select('c.folio')
          .where('cb.campaign_id', '=', campaignId);
        if (status) query = query.where('cb.status', '=', status);
        const rows = await query.orderBy('cb.requested_at', 'desc').limit(limit).execute();
        return { items: rows.map((row) => toCallbackView(row, row.folio)) };
      },
    );

    app.post(
      '/voice/callbacks/:id/cancel',
      { schema: { tags, summary: 'Cancelar una devolución de llamada / cancel a call-back', params: idParams, response: { 200: callbackViewSchema } } },
      async (request) => {
        const row = await db.selectFrom('voice_callbacks').select('campaign_id').where('id', '=', request.params.id).executeTakeFirst();
        if (!row) throw new HubError('HUB_ERR_NOT_FOUND', 'Devolución de llamada no encontrada / call-back not found');
        const principal = principalOf(request);
        authorize(principal, ADMIN_OR_SUPERVISOR, row.campaign_id);
        const { callback, folio } = await cancelCallback(ctx, request.params.id, principal.displayName);
        return toCallbackView(callback, folio);
      },
    );

    app.post(
      '/voice/voicemails/:id/callback',
      { schema: { tags, summary: 'Devolver la llamada de un mensaje de voz / call back a voicemail’s caller', params: idParams, response: { 201: created } } },
      async (request, reply) => {
        const voicemail = await db.selectFrom('voice_voicemails').selectAll().where('id', '=', request.params.id).executeTakeFirst();
        if (!voicemail) throw new HubError('HUB_ERR_NOT_FOUND', 'Mensaje de voz no encontrado / voicemail not found');
        const principal = principalOf(request);
        authorize(principal, HANDLING_ROLES, voicemail.campaign_id);
        const { loaded, settings } = await channelFor(voicemail.campaign_id, voicemail.channel_id);
        const result = await createCallback(ctx, loaded, settings, {
          source: 'voicemail',
          phone: voicemail.from_number,
          conversationId: voicemail.conversation_id,
          voicemailId: voicemail.id,
          originCallSid: voicemail.call_sid,
          requestedBy: principal.userId,
        });
        if (result.created) {
          // `callback_created` on the voicemail's call (over by now, so nothing else writes its record).
          const calls = new PgCallStore(db);
          const call = await calls.get(voicemail.call_sid);
          if (call) {
            call.events.push({ at: new Date().toISOString(), type: 'callback_created', data: { callbackId: result.callback.id, phone: voicemail.from_number } });
            await calls.save(call);
          }
        }
        return reply.status(201).send({ ...toCallbackView(result.callback, result.folio), created: result.created });
      },
    );
  };
}
