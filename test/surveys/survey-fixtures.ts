import type { Db, SeatType } from '@ventanilla/hub';
import { createApiChannel } from '../support/factories.js';

// kysely is a dependency of the hub package, not of test/: reach its types through the hub.
type Kysely = Db['kysely'];

/** A closed conversation of the campaign, as ingest and the router would have left it. */
export async function createClosedConversation(db: Kysely, campaignId: string, channelId?: string) {
  const channel = channelId ?? (await createApiChannel(db, campaignId)).channel.id;
  const contact = await db.insertInto('contacts').values({ display_name: 'Ciudadana de prueba' }).returning('id').executeTakeFirstOrThrow();
  const { folio } = await db
    .selectNoFrom((eb) => eb.fn<string>('next_folio', [eb.val(campaignId)]).as('folio'))
    .executeTakeFirstOrThrow();
  return db
    .insertInto('conversations')
    .values({ folio, campaign_id: campaignId, channel_id: channel, contact_id: contact.id, status: 'resolved', closed_at: new Date() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * `conversation.assigned` written straight to the log with the payload router_claim writes
 * (hub/src/db/migrations/0003_router.sql; hub/src/domain/interaction-events.ts).
 */
export async function assignedEvent(db: Kysely, conversation: { id: string; campaign_id: string }, agentId: string, seatType: SeatType | null) {
  await db
    .insertInto('interaction_events')
    .values({
      type: 'conversation.assigned',
      campaign_id: conversation.campaign_id,
      conversation_id: conversation.id,
      actor_type: 'system',
      actor_id: 'router',
      payload: JSON.stringify({ offerId: null, agentId, queueId: null, channelClass: 'text', seatType, via: 'auto_accept' }),
    })
    .execute();
}

/** A tier-2 transfer between two assignments, as the transfer use case logs it. */
export async function transferredToTier2(db: Kysely, conversation: { id: string; campaign_id: string }, fromAgentId: string) {
  await db
    .insertInto('interaction_events')
    .values({
      type: 'conversation.transferred',
      campaign_id: conversation.campaign_id,
      conversation_id: conversation.id,
      actor_type: 'agent',
      actor_id: fromAgentId,
      payload: JSON.stringify({
        kind: 'tier2',
        reason: 'Requiere atención especializada',
        fromAgentId,
        toAgentId: null,
        fromQueueId: null,
        toQueueId: null,
        fromCampaignId: conversation.campaign_id,
        toCampaignId: conversation.campaign_id,
        seatTypeBefore: 'PS-I',
        seatTypeAfter: 'PS-P',
      }),
    })
    .execute();
}
