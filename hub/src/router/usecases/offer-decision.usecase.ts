import { sql, type Kysely, type Transaction } from 'kysely';
import { retryOnConflict } from '../../db/retry-transaction.js';
import type { Database, Offer } from '../../db/schema.js';
import { appendEvents } from '../../domain/interaction-events.js';
import { HubError } from '../../errors/error-registry.js';
import { rooms } from '../../realtime/events.contract.js';
import { setAgentState } from '../store/agent-seats.js';
import { loadCampaignRouting } from '../store/routing-settings.js';
import { releaseSeat } from '../store/seat-load.js';
import { mergeEffects, noEffects, writeRouted, type RouterEffects } from './router-effects.js';

/**
 * An agent's answer to an offer (issue 3 item 4): accept, or reject with a reason; and the
 * offer timing out (RONA): the conversation goes back to the line for the next agent, never to
 * this one again, and the agent goes `not_ready` until they confirm they are available.
 */

export async function acceptOffer(db: Kysely<Database>, agentId: string, offerId: string): Promise<RouterEffects> {
  return retryOnConflict(() =>
    db.transaction().execute(async (trx) => {
      const offer = await lockOffer(trx, offerId, agentId);
      if (offer.status !== 'pending' || offer.expires_at.getTime() <= Date.now()) throw new HubError('HUB_ERR_OFFER_EXPIRED');
      await trx.updateTable('offers').set({ status: 'accepted', decided_at: sql`clock_timestamp()` }).where('id', '=', offer.id).execute();
      const conversation = await trx
        .updateTable('conversations')
        .set({ status: 'assigned', updated_at: sql`clock_timestamp()` })
        .where('id', '=', offer.conversation_id)
        .where('offer_id', '=', offer.id)
        .where('status', '=', 'offered')
        .returningAll()
        .executeTakeFirst();
      if (!conversation) throw new HubError('HUB_ERR_OFFER_EXPIRED');
      await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'agent', actorId: agentId }, [
        {
          type: 'conversation.assigned',
          conversationId: conversation.id,
          payload: { offerId: offer.id, agentId, queueId: offer.queue_id, channelClass: offer.channel_class, seatType: conversation.seat_type, via: 'accept' },
        },
      ]);
      await trx.updateTable('agent_seats').set({ last_activity_at: sql`clock_timestamp()` }).where('user_id', '=', agentId).execute();
      return { ...noEffects(), outbox: await writeRouted(trx, conversation, 'accepted', [rooms.agent(agentId)]) };
    }),
  );
}

export async function rejectOffer(db: Kysely<Database>, agentId: string, offerId: string, reason: string): Promise<RouterEffects> {
  return retryOnConflict(() =>
    db.transaction().execute(async (trx) => {
      const offer = await lockOffer(trx, offerId, agentId);
      if (offer.status !== 'pending') throw new HubError('HUB_ERR_OFFER_EXPIRED');
      const effects = await returnToLine(trx, offer, 'rejected', reason);
      await trx.updateTable('agent_seats').set({ last_activity_at: sql`clock_timestamp()` }).where('user_id', '=', agentId).execute();
      return effects;
    }),
  );
}

/** RONA. A no-op unless the offer is still pending and past its expiry (timers may fire twice or late). */
export async function timeOutOffer(db: Kysely<Database>, offerId: string, now: number = Date.now()): Promise<RouterEffects> {
  return retryOnConflict(() =>
    db.transaction().execute(async (trx) => {
      const offer = await trx.selectFrom('offers').selectAll().where('id', '=', offerId).forUpdate().executeTakeFirst();
      if (!offer || offer.status !== 'pending' || offer.expires_at.getTime() > now) return noEffects();
      const effects = await returnToLine(trx, offer, 'timed_out', null);
      const change = await setAgentState(trx, offer.agent_id, { to: 'not_ready', reason: 'rona', actor: { type: 'system', id: 'router' }, onlyFrom: ['available'] });
      if (change) effects.outbox.push(...change.outbox);
      return effects;
    }),
  );
}

/**
 * An agent who steps away (aux state, offline) gives back the offers they have not answered, at
 * once rather than after the timeout: the citizens go to the next agent. Locks offers, then
 * conversations, then the seat — the order accept and RONA use — so it cannot deadlock with them.
 */
export async function withdrawPendingOffers(trx: Transaction<Database>, agentId: string, reason: string): Promise<RouterEffects> {
  const pending = await trx.selectFrom('offers').selectAll().where('agent_id', '=', agentId).where('status', '=', 'pending').orderBy('id').forUpdate().execute();
  const all: RouterEffects[] = [];
  for (const offer of pending) all.push(await returnToLine(trx, offer, 'rejected', reason));
  return mergeEffects(noEffects(), ...all);
}

/** Offers past their expiry whose timer was lost (process died between commit and scheduling). */
export async function overdueOfferIds(db: Kysely<Database>, graceMs: number): Promise<string[]> {
  const rows = await db
    .selectFrom('offers')
    .select('id')
    .where('status', '=', 'pending')
    .where('expires_at', '<', sql<Date>`clock_timestamp() - make_interval(secs => ${graceMs / 1000})`)
    .limit(1000)
    .execute();
  return rows.map((r) => r.id);
}

async function lockOffer(trx: Transaction<Database>, offerId: string, agentId: string): Promise<Offer> {
  const offer = await trx.selectFrom('offers').selectAll().where('id', '=', offerId).forUpdate().executeTakeFirst();
  // Someone else's offer reads as unknown: offers are private to the agent they were made to.
  if (!offer || offer.agent_id !== agentId) throw new HubError('HUB_ERR_OFFER_NOT_FOUND');
  return offer;
}

async function returnToLine(trx: Transaction<Database>, offer: Offer, outcome: 'rejected' | 'timed_out', reason: string | null): Promise<RouterEffects> {
  await trx
    .updateTable('offers')
    .set({ status: outcome, decided_at: sql`clock_timestamp()`, ended_at: sql`clock_timestamp()`, reject_reason: reason })
    .where('id', '=', offer.id)
    .execute();
  const conversation = await trx
    .updateTable('conversations')
    .set({
      status: 'queued',
      assignee_id: null,
      offer_id: null,
      excluded_agent_ids: sql<string[]>`array_append(excluded_agent_ids, ${offer.agent_id}::uuid)`,
      updated_at: sql`clock_timestamp()`,
    })
    .where('id', '=', offer.conversation_id)
    .where('offer_id', '=', offer.id)
    .where('status', '=', 'offered')
    .returningAll()
    .executeTakeFirst();
  await releaseSeat(trx, offer.agent_id, offer.channel_class);
  if (!conversation) return { ...noEffects(), reroute: true };
  const timeoutSeconds = (await loadCampaignRouting(trx, [offer.campaign_id])).get(offer.campaign_id)?.offerTimeoutSeconds ?? 20;
  await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: outcome === 'rejected' ? 'agent' : 'system', actorId: outcome === 'rejected' ? offer.agent_id : 'router' }, [
    outcome === 'rejected'
      ? { type: 'offer.rejected', conversationId: conversation.id, payload: { offerId: offer.id, agentId: offer.agent_id, reason: reason ?? '' } }
      : { type: 'offer.timed_out', conversationId: conversation.id, payload: { offerId: offer.id, agentId: offer.agent_id, timeoutSeconds } },
  ]);
  const change = outcome === 'rejected' ? 'rejected' : 'rona';
  return { ...noEffects(), reroute: true, outbox: await writeRouted(trx, conversation, change, [rooms.agent(offer.agent_id)]) };
}
