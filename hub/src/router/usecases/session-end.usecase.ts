import { sql, type Kysely, type Transaction } from 'kysely';
import { authorize, HANDLING_ROLES, hasRole, type Principal } from '../../auth/principal.js';
import { retryOnConflict } from '../../db/retry-transaction.js';
import type { Conversation, Database } from '../../db/schema.js';
import { appendEvents, type DomainEvent } from '../../domain/interaction-events.js';
import { HubError } from '../../errors/error-registry.js';
import { recordWrapUp, type WrapUpInput } from '../../inbox/wrap-up.usecase.js';
import { storeSystemMessages } from '../../outbound/system-message.js';
import { writeOutbox } from '../../outbox/outbox.js';
import { rooms } from '../../realtime/events.contract.js';
import type { RouterTimer } from '../service/router-timer.types.js';
import { setAgentState } from '../store/agent-seats.js';
import { endOfferSession, releaseSeat } from '../store/seat-load.js';
import { acwMaxMs } from './agent-state.usecase.js';
import { noEffects, routedNotification, type RouterEffects } from './router-effects.js';

/**
 * How a session ends: the agent resolves the conversation (then after-contact work), or the
 * citizen leaves / the maximum wait runs out before an agent answered (abandoned, issue 3 item 9).
 */

/** Statuses in which an agent's seat holds the conversation. */
export const HELD_STATUSES = ['offered', 'assigned', 'waiting_contact'] as const;

export function holdsSeat(conversation: Pick<Conversation, 'status' | 'assignee_id'>): boolean {
  return conversation.assignee_id !== null && (HELD_STATUSES as readonly string[]).includes(conversation.status);
}

/**
 * Frees the seat the conversation holds (if any): load, offer row, `conversation.released`.
 * Returns the agent released, or null.
 */
export async function releaseHeldSeat(trx: Transaction<Database>, conversation: Conversation, cause: 'resolved' | 'transferred' | 'abandoned' | 'reassigned', actor: { type: 'agent' | 'system'; id: string }): Promise<string | null> {
  if (!holdsSeat(conversation) || conversation.assignee_id === null) return null;
  const channelClass = conversation.channel_class ?? 'text';
  await releaseSeat(trx, conversation.assignee_id, channelClass);
  if (conversation.offer_id !== null) {
    await trx.updateTable('offers').set({ status: 'cancelled', decided_at: sql`clock_timestamp()` }).where('id', '=', conversation.offer_id).where('status', '=', 'pending').execute();
  }
  await endOfferSession(trx, conversation.offer_id);
  await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: actor.type, actorId: actor.id }, [
    { type: 'conversation.released', conversationId: conversation.id, payload: { agentId: conversation.assignee_id, channelClass, seatType: conversation.seat_type, cause } },
  ]);
  return conversation.assignee_id;
}

/**
 * The agent (or a supervisor) closes the conversation. `wrapUp`: its tipification (1–5 codes,
 * required when the campaign has active codes) and summary, stored in the same transaction.
 */
export async function resolveConversation(db: Kysely<Database>, principal: Principal, conversationId: string, reason: string, wrapUp: WrapUpInput = {}): Promise<RouterEffects> {
  return retryOnConflict(() =>
    db.transaction().execute(async (trx) => {
      const conversation = await trx.selectFrom('conversations').selectAll().where('id', '=', conversationId).forUpdate().executeTakeFirst();
      if (!conversation) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
      authorize(principal, HANDLING_ROLES, conversation.campaign_id);
      if (conversation.closed_at !== null) throw new HubError('HUB_ERR_CONVERSATION_CLOSED');
      if (conversation.assignee_id !== principal.userId && !hasRole(principal, ['admin', 'supervisor'])) throw new HubError('HUB_ERR_NOT_ASSIGNEE');
      const tipified = await recordWrapUp(trx, conversation, principal.userId, wrapUp);
      const actor = { type: 'agent' as const, id: principal.userId };
      const released = await releaseHeldSeat(trx, conversation, 'resolved', actor);
      const closed = await trx
        .updateTable('conversations')
        .set({ status: 'resolved', offer_id: null, closed_at: sql`clock_timestamp()`, updated_at: sql`clock_timestamp()` })
        .where('id', '=', conversation.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'agent', actorId: principal.userId }, [
        ...(tipified ? [tipified] : []),
        { type: 'conversation.resolved', conversationId: conversation.id, payload: { agentId: released, reason } },
      ]);
      const outbox = await writeOutbox(trx, [routedNotification(closed, 'resolved', released ? [rooms.agent(released)] : [])]);
      const timers: RouterTimer[] = [];
      if (released !== null && conversation.status !== 'offered') {
        const acw = await acwMaxMs(trx, released, conversation.campaign_id);
        if (acw > 0) {
          const change = await setAgentState(trx, released, { to: 'after_contact_work', reason: conversation.folio, actor, onlyFrom: ['available'] });
          if (change) {
            outbox.push(...change.outbox);
            timers.push({ kind: 'acw_end', agentId: released, stateSince: change.at.getTime(), at: change.at.getTime() + acw });
          }
        }
      }
      return { outbox, timers, messageIds: [], reroute: released !== null };
    }),
  );
}

export type AbandonCause = 'contact_left' | 'max_wait';

/**
 * The citizen left, or waited longer than the queue allows, before an agent answered. A no-op
 * once an agent has accepted (the agent then resolves), or when the premise changed (`queueId`:
 * the max-wait timer of a queue the conversation has since left).
 */
export async function abandonConversation(db: Kysely<Database>, conversationId: string, cause: AbandonCause, options: { queueId?: string; message?: string } = {}): Promise<RouterEffects> {
  return retryOnConflict(() =>
    db.transaction().execute(async (trx) => {
      const conversation = await trx.selectFrom('conversations').selectAll().where('id', '=', conversationId).forUpdate().executeTakeFirst();
      if (!conversation || conversation.closed_at !== null) return noEffects();
      if (conversation.status !== 'queued' && conversation.status !== 'offered' && conversation.status !== 'bot') return noEffects();
      if (options.queueId !== undefined && conversation.queue_id !== options.queueId) return noEffects();
      const released = await releaseHeldSeat(trx, conversation, 'abandoned', { type: 'system', id: 'router' });
      const closed = await trx
        .updateTable('conversations')
        .set({ status: 'abandoned', offer_id: null, assignee_id: null, closed_at: sql`clock_timestamp()`, updated_at: sql`clock_timestamp()` })
        .where('id', '=', conversation.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const waitedMs = closed.closed_at!.getTime() - (conversation.enqueued_at ?? conversation.opened_at).getTime();
      const events: DomainEvent[] = [
        { type: 'conversation.abandoned', conversationId: conversation.id, contactId: conversation.contact_id, payload: { cause, queueId: conversation.queue_id, waitedMs, statusBefore: conversation.status } },
      ];
      await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: cause === 'contact_left' ? 'contact' : 'system', actorId: cause === 'contact_left' ? conversation.contact_id : 'router' }, events);
      const outbox = await writeOutbox(trx, [routedNotification(closed, 'abandoned', released ? [rooms.agent(released)] : [])]);
      const stored =
        options.message !== undefined
          ? await storeSystemMessages(trx, [{ conversationId: conversation.id, channelId: conversation.channel_id, campaignId: conversation.campaign_id, folio: conversation.folio, text: options.message }])
          : { messageIds: [], notifications: [] };
      outbox.push(...(await writeOutbox(trx, stored.notifications)));
      return { outbox, timers: [], messageIds: stored.messageIds, reroute: released !== null };
    }),
  );
}

/** The message a citizen gets when the maximum wait runs out (es-MX, with the folio to come back). */
export function maxWaitMessage(folio: string): string {
  return `Lo sentimos, en este momento no fue posible atenderle. Su folio es ${folio}; escríbanos de nuevo y con gusto le atenderemos.`;
}
