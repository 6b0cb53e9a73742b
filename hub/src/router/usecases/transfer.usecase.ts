import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { assertCampaign, authorize, HANDLING_ROLES, hasRole, type Principal } from '../../auth/principal.js';
import { retryOnConflict } from '../../db/retry-transaction.js';
import type { Conversation, Database } from '../../db/schema.js';
import { appendEvents } from '../../domain/interaction-events.js';
import { HubError } from '../../errors/error-registry.js';
import { writeOutbox, type OutboxRow } from '../../outbox/outbox.js';
import { rooms } from '../../realtime/events.contract.js';
import { spareCapacity } from '../core/agent-capacity.js';
import type { RouterTimer } from '../service/router-timer.types.js';
import { loadCampaignRouting, loadRoutingQueues, seatTypeOfTier, type RoutingQueueRow } from '../store/routing-settings.js';
import { defaultQueueFor, queueTimers } from './intake.usecase.js';
import { routedNotification, type RouterEffects } from './router-effects.js';
import { releaseHeldSeat } from './session-end.usecase.js';

/**
 * Transfers (issue 3 item 6) and supervisor reassignment (item 7). The folio stays; every
 * transfer is one `conversation.transferred` event carrying the seat types before and after
 * (billing switches rate there, seed-digest §3.6).
 */

export type TransferTarget =
  | { kind: 'agent'; agentId: string }
  | { kind: 'queue'; queueId: string }
  | { kind: 'tier2'; queueId?: string | undefined }
  | { kind: 'campaign'; campaignId: string; queueId?: string | undefined };

export interface TransferInput {
  conversationId: string;
  target: TransferTarget;
  reason: string | null;
  /** Supervisor reassignment: straight to the agent, no offer to accept. */
  reassign?: boolean;
}

export async function transferConversation(db: Kysely<Database>, principal: Principal, input: TransferInput): Promise<RouterEffects> {
  return retryOnConflict(() =>
    db.transaction().execute(async (trx) => {
      const conversation = await trx.selectFrom('conversations').selectAll().where('id', '=', input.conversationId).forUpdate().executeTakeFirst();
      if (!conversation) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
      authorize(principal, input.reassign ? ['admin', 'supervisor'] : HANDLING_ROLES, conversation.campaign_id);
      if (conversation.closed_at !== null) throw new HubError('HUB_ERR_CONVERSATION_CLOSED');
      if (!input.reassign && conversation.assignee_id !== principal.userId && !hasRole(principal, ['admin', 'supervisor'])) throw new HubError('HUB_ERR_NOT_ASSIGNEE');
      if (input.target.kind === 'tier2' && (input.reason === null || input.reason.trim() === '')) {
        throw new HubError('HUB_ERR_VALIDATION', 'Indique el motivo de la transferencia a segundo nivel / a reason is required for a tier-2 transfer');
      }

      const targetCampaignId = input.target.kind === 'campaign' ? input.target.campaignId : conversation.campaign_id;
      if (input.target.kind === 'campaign') {
        // The user must belong to the receiving campaign too (issue 3, bad input → 403).
        assertCampaign(principal, targetCampaignId);
        const exists = await trx.selectFrom('campaigns').select('id').where('id', '=', targetCampaignId).executeTakeFirst();
        if (!exists) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
      }
      const queues = await loadRoutingQueues(trx, [targetCampaignId]);
      const queue = pickTargetQueue(input.target, queues, conversation, targetCampaignId);
      const actor = { type: 'agent' as const, id: principal.userId };
      const fromAgent = conversation.assignee_id;
      // Both seats now, in user id order — the order router_claim locks seats in — so a transfer
      // and a routing pass claiming for the same two agents can never deadlock.
      const seatIds = [...new Set([fromAgent, input.target.kind === 'agent' ? input.target.agentId : null].filter((id): id is string => id !== null))].sort();
      if (seatIds.length > 0) await sql`SELECT 1 FROM agent_seats WHERE user_id = ANY(${seatIds}::uuid[]) ORDER BY user_id FOR UPDATE`.execute(trx);
      const released = await releaseHeldSeat(trx, conversation, input.reassign ? 'reassigned' : 'transferred', actor);
      const seatTypeAfter = seatTypeOfTier(queue.tier);
      const now = Date.now();
      const moved = queue.id !== conversation.queue_id || targetCampaignId !== conversation.campaign_id;
      await trx
        .updateTable('conversations')
        .set({
          status: 'queued',
          assignee_id: null,
          offer_id: null,
          campaign_id: targetCampaignId,
          queue_id: queue.id,
          priority: queue.config.priority,
          seat_type: seatTypeAfter,
          channel_class: conversation.channel_class ?? 'text',
          enqueued_at: conversation.enqueued_at ?? conversation.opened_at,
          ...(moved ? { queue_entered_at: new Date(now), overflow_steps: 0, relaxed_levels: 0, visited_queue_ids: [] } : {}),
          // A transfer to a queue or tier should not come straight back to the agent who sent it.
          excluded_agent_ids: released !== null && input.target.kind !== 'agent' ? [released] : [],
          preferred_agent_id: null,
          updated_at: sql`clock_timestamp()`,
        })
        .where('id', '=', conversation.id)
        .execute();

      const timers: RouterTimer[] = moved ? queueTimers(conversation.id, queue, now, 0) : [];
      const outbox: OutboxRow[] = [];
      let toAgent: string | null = null;
      if (input.target.kind === 'agent') {
        toAgent = input.target.agentId;
        const routing = (await loadCampaignRouting(trx, [targetCampaignId])).get(targetCampaignId);
        const accepted = input.reassign === true || routing?.autoAccept === true;
        const offerId = randomUUID();
        const expiresAt = now + (routing?.offerTimeoutSeconds ?? 20) * 1000;
        await assertAgentCanTake(trx, toAgent, targetCampaignId, conversation.channel_class ?? 'text');
        const decision = {
          offerId,
          conversationId: conversation.id,
          agentId: toAgent,
          queueId: queue.id,
          channelClass: conversation.channel_class ?? 'text',
          reason: input.reassign ? 'reassign' : 'transfer',
          expiresAt: new Date(expiresAt).toISOString(),
          accepted,
        };
        const { rows } = await sql<{ r: { claimed: unknown[]; outbox: OutboxRow[] } }>`SELECT router_claim(${JSON.stringify([decision])}::jsonb) AS r`.execute(trx);
        const claim = rows[0]?.r;
        if (!claim || claim.claimed.length !== 1) throw new HubError('HUB_ERR_AGENT_AT_CAPACITY');
        outbox.push(...claim.outbox);
        if (!accepted) timers.push({ kind: 'offer_timeout', offerIds: [offerId], at: expiresAt });
      }

      await appendEvents(trx, { campaignId: targetCampaignId, actorType: 'agent', actorId: principal.userId }, [
        {
          type: 'conversation.transferred',
          conversationId: conversation.id,
          payload: {
            kind: input.reassign ? 'reassign' : input.target.kind,
            reason: input.reason,
            fromAgentId: fromAgent,
            toAgentId: toAgent,
            fromQueueId: conversation.queue_id,
            toQueueId: queue.id,
            fromCampaignId: conversation.campaign_id,
            toCampaignId: targetCampaignId,
            seatTypeBefore: conversation.seat_type,
            seatTypeAfter,
          },
        },
      ]);
      const after = await trx.selectFrom('conversations').selectAll().where('id', '=', conversation.id).executeTakeFirstOrThrow();
      const extra = [...(released ? [rooms.agent(released)] : []), ...(targetCampaignId !== conversation.campaign_id ? [rooms.campaign(conversation.campaign_id)] : [])];
      outbox.push(...(await writeOutbox(trx, [routedNotification(after, input.reassign ? 'reassigned' : 'transferred', extra)])));
      return { outbox, timers, messageIds: [], reroute: true };
    }),
  );
}

function pickTargetQueue(target: TransferTarget, queues: ReadonlyMap<string, RoutingQueueRow>, conversation: Conversation, campaignId: string): RoutingQueueRow {
  const named = (id: string): RoutingQueueRow => {
    const q = queues.get(id);
    if (!q || q.campaignId !== campaignId) throw new HubError('HUB_ERR_QUEUE_NOT_FOUND', `La fila ${id} no existe en la campaña destino / queue ${id} is not in the target campaign`);
    return q;
  };
  switch (target.kind) {
    case 'queue':
      return named(target.queueId);
    case 'agent': {
      const current = conversation.queue_id !== null ? queues.get(conversation.queue_id) : undefined;
      const fallback = current ?? defaultQueueFor(queues, campaignId, undefined);
      if (!fallback) throw new HubError('HUB_ERR_QUEUE_NOT_FOUND');
      return fallback;
    }
    case 'tier2': {
      if (target.queueId !== undefined) {
        const q = named(target.queueId);
        if (q.tier !== 2) throw new HubError('HUB_ERR_TRANSFER_INVALID', 'La fila destino no es de segundo nivel (PS-P) / the target queue is not tier 2');
        return q;
      }
      const tier2 = [...queues.values()].filter((q) => q.tier === 2).sort((a, b) => a.config.priority - b.config.priority)[0];
      if (!tier2) throw new HubError('HUB_ERR_TRANSFER_INVALID', 'La campaña no tiene fila de segundo nivel / the campaign has no tier-2 queue');
      return tier2;
    }
    case 'campaign': {
      if (target.queueId !== undefined) return named(target.queueId);
      const q = defaultQueueFor(queues, campaignId, undefined);
      if (!q) throw new HubError('HUB_ERR_TRANSFER_INVALID', 'La campaña destino no tiene filas / the target campaign has no queues');
      return q;
    }
  }
}

/** The clear errors of issue 3 ("assigning to an offline agent or one at capacity"). */
async function assertAgentCanTake(trx: Transaction<Database>, agentId: string, campaignId: string, channelClass: 'text' | 'voice' | 'email'): Promise<void> {
  const seat = await trx
    .selectFrom('agent_seats as s')
    .innerJoin('user_campaigns as m', (join) => join.onRef('m.user_id', '=', 's.user_id').on('m.campaign_id', '=', campaignId))
    .selectAll('s')
    .where('s.user_id', '=', agentId)
    .executeTakeFirst();
  if (!seat) throw new HubError('HUB_ERR_AGENT_NOT_AGENT', 'El destino no es agente de esta campaña / the target is not an agent of this campaign');
  if (seat.state !== 'available') throw new HubError('HUB_ERR_AGENT_UNAVAILABLE', `El agente está en estado ${seat.state} / the agent is ${seat.state}`);
  const capacity = { text: seat.cap_text, voice: seat.cap_voice, email: seat.cap_email };
  const load = { text: seat.load_text, voice: seat.load_voice, email: seat.load_email };
  if (!spareCapacity(capacity, load, channelClass)) {
    throw new HubError('HUB_ERR_AGENT_AT_CAPACITY', `El agente ya atiende ${load[channelClass]} de ${capacity[channelClass]} sesiones / the agent holds ${load[channelClass]} of ${capacity[channelClass]}`);
  }
}
