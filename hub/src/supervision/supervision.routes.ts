import { Emitter } from '@socket.io/redis-emitter';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMeta } from '../audit/audit.js';
import { toMessageView } from '../conversations/conversation-views.js';
import { messageSchema } from '../conversations/conversation.schema.js';
import { principalOf } from '../http/authenticate.js';
import { rooms, STAFF_NAMESPACE } from '../realtime/events.contract.js';
import { socketIoKey } from '../realtime/realtime-publisher.js';
import type { HubContext } from '../runtime/context.js';
import { enqueueOutbound } from '../workers/outbound.worker.js';
import { liveSessions, supervisionState } from './supervision.queries.js';
import { bargeBodySchema, liveSessionSchema, modeSchema, supervisionStateSchema, takeoverBodySchema, whisperBodySchema, whisperViewSchema } from './supervision.schema.js';
import { SupervisionService } from './supervision.service.js';
import type { VoiceSupervisionPort } from './voice-supervision.port.js';
import { voiceSupervisionFor } from './voice-supervision.wiring.js';

const tags = ['supervision'];
const idParams = z.object({ id: z.uuid() });

/**
 * Supervisor interventions (issue 9 item 5) under /api/v1: monitor, whisper, barge and takeover
 * of an agent's live session, on every channel (hub/src/supervision/README.md). Supervisors of the
 * conversation's campaign and admins only; every use is audited.
 */
export function supervisionRoutes(ctx: HubContext, voice: VoiceSupervisionPort | null = voiceSupervisionFor(ctx)): FastifyPluginAsyncZod {
  const db = ctx.db.kysely;
  const emitter = new Emitter(ctx.redis, { key: socketIoKey(ctx.config.REDIS_PREFIX) });
  const service = new SupervisionService({
    db,
    logger: ctx.logger,
    publish: (outbox) => ctx.relay.publishCommitted(outbox),
    applyEffects: (effects) => ctx.router.apply(effects),
    channels: ctx.channels,
    enqueueOutbound: (messageId) => enqueueOutbound(ctx, messageId),
    joinConversationRoom: (userId, conversationId) => emitter.of(STAFF_NAMESPACE).in(rooms.agent(userId)).socketsJoin(rooms.conversation(conversationId)),
    voice,
  });
  const meta = (request: Parameters<typeof requestMeta>[0]) => requestMeta(request);

  return async (app) => {
    app.get(
      '/conversations/:id/supervision',
      {
        schema: {
          tags,
          summary: 'Supervisión de la conversación: quién monitorea y los susurros que el usuario puede ver / who is supervising and the whispers the caller may see',
          params: idParams,
          response: { 200: supervisionStateSchema },
        },
      },
      async (request) => supervisionState(db, principalOf(request), request.params.id),
    );

    app.post(
      '/conversations/:id/supervision/monitor',
      {
        schema: {
          tags,
          summary: 'Monitorear la sesión del agente sin que el ciudadano lo sepa (en llamada: escucha silenciosa) / monitor the agent’s session silently',
          params: idParams,
          response: { 201: z.object({ mode: modeSchema, voice: z.boolean() }) },
        },
      },
      async (request, reply) => reply.status(201).send(await service.monitor(principalOf(request), request.params.id, meta(request))),
    );

    app.delete(
      '/conversations/:id/supervision/monitor',
      { schema: { tags, summary: 'Dejar de monitorear (en llamada: cuelga el tramo del supervisor) / stop monitoring', params: idParams, response: { 200: z.object({ ok: z.literal(true) }) } } },
      async (request) => {
        await service.stop(principalOf(request), request.params.id, meta(request));
        return { ok: true as const };
      },
    );

    app.post(
      '/conversations/:id/supervision/whisper',
      {
        schema: {
          tags,
          summary: 'Susurrar al agente: solo el agente lo ve, nunca el ciudadano (en llamada: modo coach; el texto, si lo hay, llega a la pantalla del agente) / whisper to the agent',
          params: idParams,
          body: whisperBodySchema,
          response: { 201: z.object({ whisper: whisperViewSchema.nullable(), mode: modeSchema.nullable() }) },
        },
      },
      async (request, reply) => reply.status(201).send(await service.whisper(principalOf(request), request.params.id, request.body.text, meta(request))),
    );

    app.post(
      '/conversations/:id/supervision/barge',
      {
        schema: {
          tags,
          summary: 'Intervenir: el supervisor escribe al ciudadano con su nombre por la vía normal de envío (en llamada: tres vías) / barge in as the supervisor',
          params: idParams,
          body: bargeBodySchema,
          response: { 202: z.object({ message: messageSchema.nullable(), mode: modeSchema.nullable() }) },
        },
      },
      async (request, reply) => {
        const { message, mode } = await service.barge(principalOf(request), request.params.id, request.body.text, meta(request));
        return reply.status(202).send({ message: message ? toMessageView(message) : null, mode });
      },
    );

    app.post(
      '/conversations/:id/supervision/takeover',
      {
        schema: {
          tags,
          summary: 'Tomar control: la sesión pasa al supervisor con un motivo; el agente la pierde y se le informa / take over the session with a reason',
          params: idParams,
          body: takeoverBodySchema,
          response: { 200: z.object({ conversationId: z.uuid(), folio: z.string(), assigneeId: z.uuid(), fromAgentId: z.uuid() }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { folio, fromAgentId } = await service.takeover(principal, { conversationId: request.params.id, ...request.body }, meta(request));
        return { conversationId: request.params.id, folio, assigneeId: principal.userId, fromAgentId };
      },
    );

    app.get(
      '/supervision/sessions',
      {
        schema: {
          tags,
          summary: 'Sesiones en curso de los agentes que el usuario puede supervisar / agents’ live sessions the caller may supervise',
          querystring: z.object({ campaignId: z.uuid().optional() }),
          response: { 200: z.object({ items: z.array(liveSessionSchema) }) },
        },
      },
      async (request) => ({ items: await liveSessions(db, principalOf(request), request.query.campaignId) }),
    );
  };
}
