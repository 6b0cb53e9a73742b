import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../audit/audit.js';
import { authorize, HANDLING_ROLES } from '../auth/principal.js';
import { principalOf } from '../http/authenticate.js';
import type { HubContext } from '../runtime/context.js';
import { internalMessagesCsv } from './internal-messages-csv.js';
import { exportRows, listContacts, listThreads, readThread } from './internal-message.queries.js';
import { broadcastBodySchema, contactSchema, exportQuerySchema, internalMessageViewSchema, sendBodySchema, threadQuerySchema, threadSummarySchema } from './internal-message.schema.js';
import { broadcastToCampaignAgents, markInternalMessageRead, sendInternalMessage } from './send-internal-message.usecase.js';

const tags = ['internal-messages'];
const MANAGER_ROLES = ['admin', 'supervisor'] as const;

/** Agent ↔ supervisor internal messages (issue 9 item 6): separate from the citizen chat. */
export function internalMessagesRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  const db = ctx.db.kysely;
  return async (app) => {
    app.post(
      '/internal-messages',
      {
        schema: {
          tags,
          summary: 'Enviar un mensaje interno (agente → su supervisor; supervisor → agentes de su campaña) / send an internal message',
          body: sendBodySchema,
          response: { 201: z.object({ message: internalMessageViewSchema }) },
        },
      },
      async (request, reply) => {
        const { message, outbox } = await sendInternalMessage(db, principalOf(request), request.body);
        ctx.relay.publishCommitted(outbox);
        return reply.status(201).send({ message });
      },
    );

    app.post(
      '/internal-messages/broadcast',
      {
        schema: {
          tags,
          summary: 'Mensaje a todos los agentes de una campaña (supervisores y administradores) / message every agent of a campaign',
          body: broadcastBodySchema,
          response: { 201: z.object({ count: z.number().int(), messages: z.array(internalMessageViewSchema) }) },
        },
      },
      async (request, reply) => {
        const { messages, outbox } = await broadcastToCampaignAgents(db, principalOf(request), request.body);
        ctx.relay.publishCommitted(outbox);
        return reply.status(201).send({ count: messages.length, messages });
      },
    );

    app.get(
      '/internal-messages',
      {
        schema: {
          tags,
          summary: 'Conversación interna con un usuario, de la más reciente a la más antigua / thread with one user, newest first',
          querystring: threadQuerySchema,
          response: { 200: z.object({ items: z.array(internalMessageViewSchema), nextBefore: z.string().nullable() }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, HANDLING_ROLES);
        return readThread(db, principal, request.query);
      },
    );

    app.get(
      '/internal-messages/threads',
      { schema: { tags, summary: 'Conversaciones internas con no leídos / internal threads with unread counts', response: { 200: z.object({ items: z.array(threadSummarySchema) }) } } },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, HANDLING_ROLES);
        return { items: await listThreads(db, principal) };
      },
    );

    app.get(
      '/internal-messages/contacts',
      { schema: { tags, summary: 'A quién puede escribir, por campaña / whom the caller may write to, per campaign', response: { 200: z.object({ items: z.array(contactSchema) }) } } },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, HANDLING_ROLES);
        return { items: await listContacts(db, principal) };
      },
    );

    app.post(
      '/internal-messages/:id/read',
      {
        schema: {
          tags,
          summary: 'Marcar como leído (solo el destinatario) / mark read (recipient only)',
          params: z.object({ id: z.uuid() }),
          response: { 200: z.object({ id: z.uuid(), readAt: z.string() }) },
        },
      },
      async (request) => {
        const { readAt, outbox } = await markInternalMessageRead(db, principalOf(request), request.params.id);
        ctx.relay.publishCommitted(outbox);
        return { id: request.params.id, readAt };
      },
    );

    app.get(
      '/internal-messages/export',
      {
        schema: {
          tags,
          summary: 'Descargar los mensajes internos de una campaña en CSV (supervisores y administradores) / download a campaign’s internal messages as CSV',
          querystring: exportQuerySchema,
          produces: ['text/csv'],
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { campaignId, from, to } = request.query;
        authorize(principal, MANAGER_ROLES, campaignId);
        const rows = await exportRows(db, campaignId, new Date(from), new Date(to));
        await recordAudit(db, {
          actorUserId: principal.userId,
          ...requestMeta(request),
          action: 'data.exported',
          campaignId,
          targetType: 'internal_messages',
          targetId: campaignId,
          details: { export: 'internal-messages', from, to, rows: rows.length },
        });
        const filename = `mensajes-internos-${campaignId.slice(0, 8)}-${from.slice(0, 10)}.csv`;
        return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(internalMessagesCsv(rows));
      },
    );
  };
}
