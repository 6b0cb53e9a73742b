import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize, canAccessCampaign, HANDLING_ROLES, hasRole, type Principal } from '../../auth/principal.js';
import { HubError } from '../../errors/error-registry.js';
import { wrapUpFields } from '../../inbox/wrap-up.usecase.js';
import { principalOf } from '../../http/authenticate.js';
import type { HubContext } from '../../runtime/context.js';
import { SELECTABLE_STATES, toSeatView, touchAgentActivity } from '../store/agent-seats.js';
import { acwMaxMs, changeAgentState } from '../usecases/agent-state.usecase.js';
import { acceptOffer, rejectOffer } from '../usecases/offer-decision.usecase.js';
import { resolveConversation } from '../usecases/session-end.usecase.js';
import { transferConversation, type TransferTarget } from '../usecases/transfer.usecase.js';

const seatSchema = z.object({
  agentId: z.uuid(),
  state: z.string(),
  stateSince: z.string(),
  stateReason: z.string().nullable(),
  seatType: z.string(),
  lastActivityAt: z.string(),
  load: z.object({ text: z.number(), voice: z.number(), email: z.number() }),
  capacity: z.object({ text: z.number(), voice: z.number(), email: z.number() }),
  capacityOverride: z.record(z.string(), z.number()),
  /** When after-contact work ends by itself (the strictest ACW limit of the agent's campaigns); null outside ACW. */
  acwEndsAt: z.string().nullable(),
});

const colleagueSchema = z.object({
  agentId: z.uuid(),
  displayName: z.string(),
  state: z.string(),
  seatType: z.string(),
  load: z.object({ text: z.number(), voice: z.number(), email: z.number() }),
  capacity: z.object({ text: z.number(), voice: z.number(), email: z.number() }),
});

const idParams = z.object({ id: z.uuid() });
const stateBody = z.object({
  state: z.enum(SELECTABLE_STATES, { error: `estado desconocido, use ${SELECTABLE_STATES.join(', ')} / unknown state` }),
  reason: z.string().trim().max(200).optional(),
});
const okSchema = z.object({ ok: z.literal(true) });

const transferBody = z.object({
  target: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('agent'), agentId: z.uuid() }),
    z.object({ kind: z.literal('queue'), queueId: z.uuid() }),
    z.object({ kind: z.literal('tier2'), queueId: z.uuid().optional() }),
    z.object({ kind: z.literal('campaign'), campaignId: z.uuid(), queueId: z.uuid().optional() }),
  ]),
  reason: z.string().trim().max(500).optional(),
});

/**
 * Agents' routing operations (issue 3): their state, offers (accept / reject with reason),
 * resolve, transfer; supervisors: another agent's state and manual reassignment.
 */
export function routingRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;

    async function seatOf(agentId: string) {
      const seat = await db.selectFrom('agent_seats').selectAll().where('user_id', '=', agentId).executeTakeFirst();
      if (!seat) throw new HubError('HUB_ERR_AGENT_NOT_AGENT');
      const acwEndsAt = seat.state === 'after_contact_work' ? new Date(seat.state_since.getTime() + (await acwMaxMs(db, agentId))).toISOString() : null;
      return { ...toSeatView(seat), acwEndsAt };
    }

    /** A supervisor may act on agents who share one of their campaigns; admins on anyone. */
    async function assertSupervises(principal: Principal, agentId: string): Promise<void> {
      authorize(principal, ['admin', 'supervisor']);
      if (hasRole(principal, ['admin'])) return;
      const shared = await db.selectFrom('user_campaigns').select('campaign_id').where('user_id', '=', agentId).execute();
      if (!shared.some((m) => canAccessCampaign(principal, m.campaign_id))) throw new HubError('HUB_ERR_FORBIDDEN_CAMPAIGN');
    }

    app.get('/agents/me/seat', { schema: { tags: ['routing'], summary: 'Mi estado y carga / my state, load and capacity', response: { 200: seatSchema } } }, async (request) => {
      const principal = principalOf(request);
      authorize(principal, ['agent']);
      return seatOf(principal.userId);
    });

    app.put(
      '/agents/me/state',
      { schema: { tags: ['routing'], summary: 'Cambiar mi estado / set my state (available, aux states, offline)', body: stateBody, response: { 200: seatSchema } } },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, ['agent']);
        const effects = await changeAgentState(db, { agentId: principal.userId, to: request.body.state, reason: request.body.reason ?? null, actor: { type: 'agent', id: principal.userId } });
        await ctx.router.apply(effects);
        return seatOf(principal.userId);
      },
    );

    app.get(
      '/campaigns/:id/colleagues',
      {
        schema: {
          tags: ['routing'],
          summary: 'Agentes de la campaña para transferir / the campaign’s agents, for a transfer',
          params: idParams,
          response: { 200: z.object({ items: z.array(colleagueSchema) }) },
        },
      },
      async (request) => {
        authorize(principalOf(request), HANDLING_ROLES, request.params.id);
        const rows = await db
          .selectFrom('agent_seats as s')
          .innerJoin('users as u', 'u.id', 's.user_id')
          .innerJoin('user_campaigns as m', 'm.user_id', 's.user_id')
          .select(['s.user_id', 'u.display_name', 's.state', 's.seat_type', 's.load_text', 's.load_voice', 's.load_email', 's.cap_text', 's.cap_voice', 's.cap_email'])
          .where('m.campaign_id', '=', request.params.id)
          .where('u.disabled', '=', false)
          .orderBy('u.display_name')
          .execute();
        return {
          items: rows.map((r) => ({
            agentId: r.user_id,
            displayName: r.display_name,
            state: r.state,
            seatType: r.seat_type,
            load: { text: r.load_text, voice: r.load_voice, email: r.load_email },
            capacity: { text: r.cap_text, voice: r.cap_voice, email: r.cap_email },
          })),
        };
      },
    );

    app.post('/agents/me/heartbeat', { schema: { tags: ['routing'], summary: 'Actividad (evita el cierre por inactividad) / activity heartbeat', response: { 200: okSchema } } }, async (request) => {
      const principal = principalOf(request);
      authorize(principal, ['agent']);
      await touchAgentActivity(db, principal.userId);
      return { ok: true as const };
    });

    app.get('/agents/:id/seat', { schema: { tags: ['routing'], summary: 'Estado de un agente (supervisión) / an agent’s state', params: idParams, response: { 200: seatSchema } } }, async (request) => {
      await assertSupervises(principalOf(request), request.params.id);
      return seatOf(request.params.id);
    });

    app.put(
      '/agents/:id/state',
      { schema: { tags: ['routing'], summary: 'Cambiar el estado de un agente (supervisión) / set an agent’s state', params: idParams, body: stateBody, response: { 200: seatSchema } } },
      async (request) => {
        const principal = principalOf(request);
        await assertSupervises(principal, request.params.id);
        const effects = await changeAgentState(db, { agentId: request.params.id, to: request.body.state, reason: request.body.reason ?? null, actor: { type: 'agent', id: principal.userId } });
        await ctx.router.apply(effects);
        return seatOf(request.params.id);
      },
    );

    app.post('/offers/:id/accept', { schema: { tags: ['routing'], summary: 'Aceptar oferta / accept an offer', params: idParams, response: { 200: okSchema } } }, async (request) => {
      const principal = principalOf(request);
      authorize(principal, ['agent']);
      await ctx.router.apply(await acceptOffer(db, principal.userId, request.params.id));
      return { ok: true as const };
    });

    app.post(
      '/offers/:id/reject',
      {
        schema: {
          tags: ['routing'],
          summary: 'Rechazar oferta con motivo / reject an offer with a reason',
          params: idParams,
          body: z.object({ reason: z.string().trim().min(1, 'indique el motivo / a reason is required').max(200) }),
          response: { 200: okSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, ['agent']);
        await ctx.router.apply(await rejectOffer(db, principal.userId, request.params.id, request.body.reason));
        return { ok: true as const };
      },
    );

    app.post(
      '/conversations/:id/resolve',
      {
        schema: {
          tags: ['routing'],
          summary: 'Cerrar (resolver) con tipificación y liberar la sesión / resolve with wrap-up codes and release the session',
          params: idParams,
          body: z.object({ reason: z.string().trim().max(200).optional(), ...wrapUpFields }).optional(),
          response: { 200: okSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, HANDLING_ROLES);
        const { reason, dispositionCodeIds, summary } = request.body ?? {};
        await ctx.router.apply(await resolveConversation(db, principal, request.params.id, reason ?? 'resolved', { dispositionCodeIds, summary }));
        return { ok: true as const };
      },
    );

    app.post(
      '/conversations/:id/transfer',
      {
        schema: {
          tags: ['routing'],
          summary: 'Transferir a agente, fila, segundo nivel o campaña / transfer to an agent, queue, tier 2 or campaign',
          params: idParams,
          body: transferBody,
          response: { 200: okSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, HANDLING_ROLES);
        const target = request.body.target as TransferTarget;
        await ctx.router.apply(await transferConversation(db, principal, { conversationId: request.params.id, target, reason: request.body.reason ?? null }));
        return { ok: true as const };
      },
    );

    app.post(
      '/conversations/:id/reassign',
      {
        schema: {
          tags: ['routing'],
          summary: 'Reasignar a un agente (supervisión) / reassign to an agent (supervisor)',
          params: idParams,
          body: z.object({ agentId: z.uuid(), reason: z.string().trim().max(500).optional() }),
          response: { 200: okSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, ['admin', 'supervisor']);
        const effects = await transferConversation(db, principal, {
          conversationId: request.params.id,
          target: { kind: 'agent', agentId: request.body.agentId },
          reason: request.body.reason ?? null,
          reassign: true,
        });
        await ctx.router.apply(effects);
        return { ok: true as const };
      },
    );
  };
}
