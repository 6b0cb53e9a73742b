import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta, type AuditAction } from '../../audit/audit.js';
import { authorize, canAccessCampaign, HANDLING_ROLES, hasRole, type Principal } from '../../auth/principal.js';
import { HubError } from '../../errors/error-registry.js';
import { principalOf } from '../../http/authenticate.js';
import type { HubContext } from '../../runtime/context.js';
import { AgentVoiceChannels } from './agent-channel.js';
import { agentEndpointBody, agentEndpointOf, setAgentEndpoint } from './agent-endpoint.js';
import { callForStaff, type CallConversation } from './call-access.js';
import { addThirdParty, hangUpCall, setCitizenHold, transferCall, type CallControlDeps } from './call-controls.usecase.js';
import { screenPop, screenPopSchema } from './screen-pop.query.js';
import { softphoneToken } from './softphone-token.js';

const tags = ['voice'];
const callParams = z.object({ conversationId: z.uuid() });
const okSchema = z.object({ ok: z.literal(true) });
const e164 = z.string().trim().regex(/^\+[1-9]\d{6,14}$/, 'número E.164, p. ej. +525512345678 / E.164 number, e.g. +525512345678');
const transferBody = z.discriminatedUnion('target', [
  z.strictObject({ target: z.literal('agent'), targetId: z.uuid(), reason: z.string().trim().max(500).optional() }),
  z.strictObject({ target: z.literal('queue'), targetId: z.uuid(), reason: z.string().trim().max(500).optional() }),
  z.strictObject({ target: z.literal('tier2'), targetId: z.uuid().optional(), reason: z.string().trim().min(1, 'indique el motivo / a reason is required').max(500) }),
  z.strictObject({ target: z.literal('campaign'), targetId: z.uuid(), reason: z.string().trim().max(500).optional() }),
]);
const endpointView = z.object({ kind: z.enum(['client', 'phone', 'sip']), address: z.string().nullable(), source: z.enum(['agent', 'default']) });
const tokenView = z.object({ token: z.string(), identity: z.string(), channelId: z.uuid(), expiresAt: z.string() });

/**
 * The agent's side of a call (issue 8 item 4) under /api/v1/voice: the softphone token, where
 * the agent takes calls, the screen pop, and hold / resume / hang up / transfer / conference.
 * Every control is audited.
 */
export function voiceAgentRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const channels = new AgentVoiceChannels(ctx.channels, ctx.config);
    const deps: CallControlDeps = { db, channels, logger: ctx.logger, applyEffects: (effects) => ctx.router.apply(effects) };

    async function audit(request: FastifyRequest, principal: Principal, action: AuditAction, conversation: Pick<CallConversation, 'id' | 'campaign_id'>, details: Record<string, unknown> = {}): Promise<void> {
      await recordAudit(db, { action, actorUserId: principal.userId, ...requestMeta(request), campaignId: conversation.campaign_id, targetType: 'conversation', targetId: conversation.id, details });
    }

    app.post(
      '/voice/token',
      {
        schema: {
          tags,
          summary: 'Token del teléfono web (Twilio Voice) / softphone access token',
          body: z.strictObject({ channelId: z.uuid().optional() }).optional(),
          response: { 200: tokenView },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, HANDLING_ROLES);
        const requested = request.body?.channelId;
        let channelId = requested;
        if (channelId === undefined) {
          // The first enabled voice channel of the agent's campaigns.
          const row = await db
            .selectFrom('channels')
            .select('id')
            .where('kind', '=', 'voice')
            .where('enabled', '=', true)
            .$if(!hasRole(principal, ['admin']), (qb) => qb.where('campaign_id', 'in', principal.campaignIds.length > 0 ? principal.campaignIds : ['00000000-0000-0000-0000-000000000000']))
            .orderBy('created_at')
            .executeTakeFirst();
          if (!row) throw new HubError('HUB_ERR_CHANNEL_NOT_FOUND', 'Sus campañas no tienen un canal de voz / your campaigns have no voice channel');
          channelId = row.id;
        }
        const channel = await channels.get(channelId);
        if (!channel) throw new HubError('HUB_ERR_CHANNEL_NOT_FOUND', 'Canal de voz desconocido / unknown voice channel');
        authorize(principal, HANDLING_ROLES, channel.campaignId);
        return softphoneToken(channel, principal.userId);
      },
    );

    app.get('/voice/agents/me/endpoint', { schema: { tags, summary: 'Dónde recibo las llamadas / where I take calls', response: { 200: endpointView } } }, async (request) => {
      const principal = principalOf(request);
      authorize(principal, HANDLING_ROLES);
      const own = await agentEndpointOf(db, principal.userId);
      return own ? { ...own, source: 'agent' as const } : { kind: 'client' as const, address: null, source: 'default' as const };
    });

    app.put(
      '/voice/agents/:agentId/endpoint',
      {
        schema: {
          tags,
          summary: 'Teléfono web, número o dirección SIP del agente (`me` = yo) / the agent’s softphone, phone number or SIP address',
          params: z.object({ agentId: z.union([z.literal('me'), z.uuid()]) }),
          body: agentEndpointBody,
          response: { 200: endpointView },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const agentId = request.params.agentId === 'me' ? principal.userId : request.params.agentId;
        if (agentId === principal.userId) authorize(principal, HANDLING_ROLES);
        else {
          authorize(principal, ['admin', 'supervisor']);
          const shared = await db.selectFrom('user_campaigns').select('campaign_id').where('user_id', '=', agentId).execute();
          if (shared.length === 0 && !(await db.selectFrom('users').select('id').where('id', '=', agentId).executeTakeFirst())) throw new HubError('HUB_ERR_USER_NOT_FOUND');
          if (!hasRole(principal, ['admin']) && !shared.some((m) => canAccessCampaign(principal, m.campaign_id))) throw new HubError('HUB_ERR_FORBIDDEN_CAMPAIGN');
        }
        await setAgentEndpoint(db, agentId, request.body, principal.userId);
        await recordAudit(db, { action: 'voice_agent.endpoint_set', actorUserId: principal.userId, ...requestMeta(request), targetType: 'user', targetId: agentId, details: { ...request.body } });
        const own = await agentEndpointOf(db, agentId);
        return { kind: own?.kind ?? 'client', address: own?.address ?? null, source: 'agent' as const };
      },
    );

    app.get('/voice/calls/:conversationId', { schema: { tags, summary: 'Llamada: datos del ciudadano, ruta del IVR, tramos y grabaciones / the call’s screen pop', params: callParams, response: { 200: screenPopSchema } } }, async (request) => {
      const principal = principalOf(request);
      const conversation = await callForStaff(db, principal, request.params.conversationId);
      return screenPop(db, principal, conversation);
    });

    const control = (action: 'hold' | 'unhold' | 'hangup', audited: AuditAction, summary: string) =>
      app.post(`/voice/calls/:conversationId/${action}`, { schema: { tags, summary, params: callParams, response: { 200: okSchema } } }, async (request) => {
        const principal = principalOf(request);
        const conversation = await callForStaff(db, principal, request.params.conversationId);
        if (action === 'hangup') await hangUpCall(deps, conversation);
        else await setCitizenHold(deps, conversation, action === 'hold');
        await audit(request, principal, audited, conversation);
        return { ok: true as const };
      });
    control('hold', 'voice_call.held', 'Poner en espera / hold the caller');
    control('unhold', 'voice_call.resumed', 'Retomar la llamada / take the caller off hold');
    control('hangup', 'voice_call.hung_up', 'Colgar (el ciudadano pasa a la encuesta) / hang up (the caller goes to the survey)');

    app.post(
      '/voice/calls/:conversationId/transfer',
      { schema: { tags, summary: 'Transferir a agente, fila, segundo nivel o campaña / transfer to an agent, queue, tier 2 or campaign', params: callParams, body: transferBody, response: { 200: okSchema } } },
      async (request) => {
        const principal = principalOf(request);
        const conversation = await callForStaff(db, principal, request.params.conversationId);
        await transferCall(deps, principal, conversation, request.body);
        await audit(request, principal, 'voice_call.transferred', conversation, { ...request.body });
        return { ok: true as const };
      },
    );

    app.post(
      '/voice/calls/:conversationId/conference',
      {
        schema: {
          tags,
          summary: 'Agregar a un tercero a la llamada / add a third party to the call',
          params: callParams,
          body: z.strictObject({ to: e164 }),
          response: { 200: z.object({ ok: z.literal(true), callSid: z.string() }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const conversation = await callForStaff(db, principal, request.params.conversationId);
        const { callSid } = await addThirdParty(deps, principal, conversation, request.body.to);
        await audit(request, principal, 'voice_call.conferenced', conversation, { to: request.body.to, callSid });
        return { ok: true as const, callSid };
      },
    );
  };
}
