import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize, STAFF_ROLES, HANDLING_ROLES } from '../auth/principal.js';
import { HubError } from '../errors/error-registry.js';
import { principalOf } from '../http/authenticate.js';
import { channelFileUrl } from '../files/file-links.js';
import { sendAgentMessage } from '../outbound/send-agent-message.usecase.js';
import type { HubContext } from '../runtime/context.js';
import { enqueueOutbound } from '../workers/outbound.worker.js';
import { conversationDetail, findConversation, listConversations } from './conversation-queries.js';
import { replyBodySchema } from '../outbound/reply-body.schema.js';
import { replyOptions, replyOptionsSchema } from '../outbound/reply-options.js';
import { listItemSchema, messageSchema, statusSchema, summarySchema, timelineItemSchema } from './conversation.schema.js';
import { loadTimeline } from './conversation-timeline.js';
import { toMessageView } from './conversation-views.js';

const detailSchema = z.object({
  conversation: summarySchema,
  contact: z.object({
    id: z.uuid(),
    displayName: z.string().nullable(),
    identities: z.array(z.object({ kind: z.string(), value: z.string(), channelId: z.string().nullable() })),
  }),
  messages: z.array(messageSchema),
  events: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      occurredAt: z.string(),
      actorType: z.string(),
      actorId: z.string().nullable(),
      messageId: z.string().nullable(),
      payload: z.record(z.string(), z.unknown()),
    }),
  ),
});

const idParams = z.object({ id: z.uuid() });

export function conversationsRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;

    app.get(
      '/conversations',
      {
        schema: {
          tags: ['conversations'],
          summary: 'Lista de conversaciones visibles / conversations the caller may see',
          querystring: z.object({
            campaignId: z.uuid().optional(),
            channelId: z.uuid().optional(),
            status: z.union([statusSchema, z.array(statusSchema)]).optional(),
            folio: z.string().max(40).optional(),
            mine: z.enum(['true', 'false']).optional(),
            open: z.enum(['true', 'false']).optional(),
            q: z.string().max(100).optional().describe('Folio (o su inicio), teléfono, correo o nombre / folio prefix, phone digits, e-mail or name'),
            queueId: z.union([z.uuid(), z.array(z.uuid()).max(50)]).optional(),
            myQueues: z.enum(['true', 'false']).optional().describe('Solo las filas cuyas habilidades tengo / only queues whose skills I hold'),
            limit: z.coerce.number().int().min(1).max(200).default(50),
            cursor: z.string().max(100).optional(),
          }),
          response: { 200: z.object({ items: z.array(listItemSchema), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, STAFF_ROLES, request.query.campaignId);
        const q = request.query;
        return listConversations(db, principal, {
          limit: q.limit,
          ...(q.campaignId ? { campaignId: q.campaignId } : {}),
          ...(q.channelId ? { channelId: q.channelId } : {}),
          ...(q.status ? { status: Array.isArray(q.status) ? q.status : [q.status] } : {}),
          ...(q.folio ? { folio: q.folio } : {}),
          ...(q.mine === 'true' ? { assignedToMe: true } : {}),
          ...(q.open ? { open: q.open === 'true' } : {}),
          ...(q.cursor ? { cursor: q.cursor } : {}),
          ...(q.q?.trim() ? { q: q.q } : {}),
          ...(q.queueId ? { queueIds: Array.isArray(q.queueId) ? q.queueId : [q.queueId] } : {}),
          ...(q.myQueues === 'true' ? { myQueues: true } : {}),
        });
      },
    );

    const detail = async (principal: ReturnType<typeof principalOf>, by: { id: string } | { folio: string }) => {
      const row = await findConversation(db, by);
      if (!row) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
      authorize(principal, STAFF_ROLES, row.campaign_id);
      const d = await conversationDetail(db, row);
      return {
        conversation: d.summary,
        contact: {
          id: row.contact_id,
          displayName: row.contact_name,
          identities: d.identities.map((i) => ({ kind: i.kind, value: i.value, channelId: i.channel_id })),
        },
        messages: d.messages.map(toMessageView),
        events: d.events.map((e) => ({
          id: e.id,
          type: e.type,
          occurredAt: e.occurred_at.toISOString(),
          actorType: e.actor_type,
          actorId: e.actor_id,
          messageId: e.message_id,
          payload: e.payload,
        })),
      };
    };

    app.get(
      '/conversations/:id',
      { schema: { tags: ['conversations'], summary: 'Conversación con contacto, mensajes y eventos / conversation detail', params: idParams, response: { 200: detailSchema } } },
      async (request) => detail(principalOf(request), { id: request.params.id }),
    );

    app.get(
      '/conversations/by-folio/:folio',
      {
        schema: {
          tags: ['conversations'],
          summary: 'Buscar por folio / conversation by folio',
          params: z.object({ folio: z.string().min(3).max(40) }),
          response: { 200: detailSchema },
        },
      },
      async (request) => detail(principalOf(request), { folio: request.params.folio }),
    );

    app.get(
      '/conversations/:id/timeline',
      {
        schema: {
          tags: ['conversations'],
          summary: 'Línea de tiempo: mensajes, notas y eventos / timeline of messages, notes and routing events, oldest first',
          params: idParams,
          response: { 200: z.object({ items: z.array(timelineItemSchema) }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const row = await findConversation(db, { id: request.params.id });
        if (!row) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
        authorize(principal, STAFF_ROLES, row.campaign_id);
        return { items: await loadTimeline(db, row) };
      },
    );

    app.post(
      '/conversations/:id/messages',
      {
        schema: {
          tags: ['conversations'],
          summary:
            'Responder al ciudadano / send a reply: text and/or uploaded files, or an interactive message (buttons, list), or an approved template (stored pending, sent by the outbound worker)',
          params: idParams,
          body: replyBodySchema,
          response: { 202: z.object({ message: messageSchema }) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        authorize(principal, HANDLING_ROLES);
        const { text, fileIds, interactive, template } = request.body;
        // The provider fetches attachments from outside: an absolute URL with a 7-day token.
        const baseUrl = ctx.config.PUBLIC_URL ?? `${request.protocol}://${request.host}`;
        const agentReply = {
          ...(text !== undefined ? { text } : {}),
          ...(fileIds ? { files: { ids: fileIds, urlFor: (fileId: string) => channelFileUrl(ctx.config.JWT_SECRET, baseUrl, fileId) } } : {}),
          ...(interactive ? { interactive } : {}),
          ...(template ? { template } : {}),
        };
        // The channel decides what may go out (capabilities, templates, service window).
        const { message, folio, outbox } = await sendAgentMessage(db, principal, request.params.id, agentReply, ctx.channels);
        ctx.relay.publishCommitted(outbox);
        request.log.info({ folio, messageId: message.id }, 'reply stored');
        try {
          await enqueueOutbound(ctx, message.id);
        } catch (error) {
          // Stored as pending: the worker's sweep enqueues it once Redis answers again.
          request.log.warn({ err: error, folio, messageId: message.id }, 'reply stored but not enqueued yet');
        }
        return reply.status(202).send({ message: toMessageView(message) });
      },
    );

    app.get(
      '/conversations/:id/reply-options',
      {
        schema: {
          tags: ['conversations'],
          summary: 'Qué puede enviar el agente ahora: ventana de atención, archivos, interactivos y plantillas / what the composer may send now',
          params: idParams,
          response: { 200: replyOptionsSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const row = await db.selectFrom('conversations').select(['campaign_id', 'channel_id', 'last_inbound_at']).where('id', '=', request.params.id).executeTakeFirst();
        if (!row) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
        authorize(principal, STAFF_ROLES, row.campaign_id);
        const channel = await ctx.channels.get(row.channel_id);
        if (!channel) throw new HubError('HUB_ERR_CHANNEL_NOT_FOUND');
        return replyOptions(channel, row.last_inbound_at, new Date());
      },
    );
  };
}
