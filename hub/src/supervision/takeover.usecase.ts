import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import type { Principal } from '../auth/principal.js';
import { retryOnConflict } from '../db/retry-transaction.js';
import type { Database } from '../db/schema.js';
import { appendEvents } from '../domain/interaction-events.js';
import { HubError } from '../errors/error-registry.js';
import { writeOutbox } from '../outbox/outbox.js';
import { rooms } from '../realtime/events.contract.js';
import { spareCapacity } from '../router/core/agent-capacity.js';
import { seatCapacity } from '../router/store/agent-seats.js';
import { loadCampaignRouting } from '../router/store/routing-settings.js';
import { routedNotification, type RouterEffects } from '../router/usecases/router-effects.js';
import { releaseHeldSeat } from '../router/usecases/session-end.usecase.js';
import type { RequestMeta } from './monitor.usecase.js';
import type { TakeoverReason } from './supervision.schema.js';
import { lockLiveConversation, type LiveConversation } from './supervision-access.js';
import { changedNotification } from './supervision-notify.js';

export interface TakeoverInput {
  conversationId: string;
  reasonCode: TakeoverReason;
  reasonText?: string | undefined;
}

/**
 * Takeover (seed L6769, L8320: manual reassignment): the session moves to the supervisor in one
 * transaction — the agent's seat is released (`conversation.released`, cause reassigned), the
 * supervisor's seat takes one session of the conversation's class under the same capacity rule
 * the router claims with, and `conversation.transferred` (kind reassign) + `conversation.assigned`
 * (via reassign) are appended, so KPI facts count a transfer. Folio, queue and campaign stay.
 *
 * Why not transferConversation(reassign): router_claim only claims seats in state `available`,
 * and a supervisor is usually not available for queue work — making them available would let the
 * router offer them the line. Here the supervisor holds the session on their own seat (created
 * on first takeover, state untouched, so the router still offers them nothing).
 */
export async function takeOverConversation(
  db: Kysely<Database>,
  principal: Principal,
  input: TakeoverInput,
  meta: RequestMeta,
  beforeCommit?: (conversation: LiveConversation, trx: Transaction<Database>) => Promise<void>,
): Promise<{ effects: RouterEffects; fromAgentId: string; voice: boolean; folio: string }> {
  return retryOnConflict(() =>
    db.transaction().execute(async (trx) => {
      const conversation = await lockLiveConversation(trx, principal, input.conversationId);
      if (beforeCommit) await beforeCommit(conversation, trx);
      const supervisorId = principal.userId;
      const fromAgentId = conversation.assignee_id;
      const channelClass = conversation.channel_class ?? 'text';
      await ensureSeat(trx, supervisorId, conversation.campaign_id);
      // Both seats, in user id order like router_claim, so concurrent claims never deadlock.
      await sql`SELECT 1 FROM agent_seats WHERE user_id = ANY(${[supervisorId, fromAgentId].sort()}::uuid[]) ORDER BY user_id FOR UPDATE`.execute(trx);
      const seat = await trx.selectFrom('agent_seats').selectAll().where('user_id', '=', supervisorId).executeTakeFirstOrThrow();
      const capacity = { text: seat.cap_text, voice: seat.cap_voice, email: seat.cap_email };
      const load = { text: seat.load_text, voice: seat.load_voice, email: seat.load_email };
      if (!spareCapacity(capacity, load, channelClass)) {
        throw new HubError(
          'HUB_ERR_AGENT_AT_CAPACITY',
          `Ya atiende ${load[channelClass]} de ${capacity[channelClass]} sesiones de este tipo; cierre una antes de tomar el control / you already hold ${load[channelClass]} of ${capacity[channelClass]}`,
        );
      }
      const actor = { type: 'agent' as const, id: supervisorId };
      await releaseHeldSeat(trx, conversation, 'reassigned', actor);
      const column = sql.ref(`load_${channelClass}`);
      await sql`UPDATE agent_seats SET ${column} = ${column} + 1, updated_at = clock_timestamp() WHERE user_id = ${supervisorId}`.execute(trx);
      const offerId = randomUUID();
      await trx
        .insertInto('offers')
        .values({
          id: offerId,
          conversation_id: conversation.id,
          agent_id: supervisorId,
          campaign_id: conversation.campaign_id,
          queue_id: conversation.queue_id,
          channel_class: channelClass,
          reason: 'takeover',
          status: 'accepted',
          expires_at: sql`clock_timestamp()`,
          decided_at: sql`clock_timestamp()`,
        })
        .execute();
      const after = await trx
        .updateTable('conversations')
        .set({ assignee_id: supervisorId, offer_id: offerId, updated_at: sql`clock_timestamp()` })
        .where('id', '=', conversation.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const reason = input.reasonText ? `${input.reasonCode}: ${input.reasonText}` : input.reasonCode;
      await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'agent', actorId: supervisorId }, [
        {
          type: 'conversation.transferred',
          conversationId: conversation.id,
          payload: {
            kind: 'reassign',
            reason: `takeover — ${reason}`,
            fromAgentId,
            toAgentId: supervisorId,
            fromQueueId: conversation.queue_id,
            toQueueId: conversation.queue_id,
            fromCampaignId: conversation.campaign_id,
            toCampaignId: conversation.campaign_id,
            seatTypeBefore: conversation.seat_type,
            seatTypeAfter: conversation.seat_type,
          },
        },
        {
          type: 'conversation.assigned',
          conversationId: conversation.id,
          payload: { offerId, agentId: supervisorId, queueId: conversation.queue_id, channelClass, seatType: conversation.seat_type, via: 'reassign' },
        },
      ]);
      await trx
        .insertInto('supervision_takeovers')
        .values({ conversation_id: conversation.id, campaign_id: conversation.campaign_id, supervisor_id: supervisorId, from_agent_id: fromAgentId, reason_code: input.reasonCode, reason_text: input.reasonText ?? null })
        .execute();
      // The supervisor now works the session: their monitoring of it is over.
      await trx
        .updateTable('supervision_sessions')
        .set({ ended_at: sql`clock_timestamp()`, end_cause: 'takeover' })
        .where('conversation_id', '=', conversation.id)
        .where('supervisor_id', '=', supervisorId)
        .where('ended_at', 'is', null)
        .execute();
      await recordAudit(trx, {
        action: 'supervision.taken_over',
        actorUserId: supervisorId,
        ...meta,
        campaignId: conversation.campaign_id,
        targetType: 'conversation',
        targetId: conversation.id,
        details: { folio: conversation.folio, fromAgentId, reasonCode: input.reasonCode, reasonText: input.reasonText ?? null, channelClass },
      });
      const outbox = await writeOutbox(trx, [
        routedNotification(after, 'taken_over', [rooms.agent(fromAgentId), rooms.agent(supervisorId)]),
        changedNotification(
          {
            campaignId: conversation.campaign_id,
            conversationId: conversation.id,
            folio: conversation.folio,
            change: 'taken_over',
            supervisorId,
            supervisorName: principal.displayName,
            agentId: fromAgentId,
            mode: null,
            reason,
          },
          true,
        ),
      ]);
      // reroute: the agent's seat has room again.
      return { effects: { outbox, timers: [], messageIds: [], reroute: true }, fromAgentId, voice: channelClass === 'voice', folio: conversation.folio };
    }),
  );
}

/**
 * A supervisor without an agent seat gets one on their first takeover: state `offline` (the
 * router only offers work to `available` seats), capacity from the campaign's defaults.
 */
async function ensureSeat(trx: Transaction<Database>, userId: string, campaignId: string): Promise<void> {
  const existing = await trx.selectFrom('agent_seats').select('user_id').where('user_id', '=', userId).executeTakeFirst();
  if (existing) return;
  const routing = (await loadCampaignRouting(trx, [campaignId])).get(campaignId);
  const cap = seatCapacity(routing ? [routing.capacity] : [], {});
  await trx
    .insertInto('agent_seats')
    .values({ user_id: userId, capacity_override: '{}', cap_text: cap.text, cap_voice: cap.voice, cap_email: cap.email })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
}
