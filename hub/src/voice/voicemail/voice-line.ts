import { sql, type Transaction } from 'kysely';
import type { InboundContent } from '@ventanilla/connectors/core';
import type { LoadedChannel } from '../../channels/channel-store.js';
import type { Conversation, Database } from '../../db/schema.js';
import { appendEvents } from '../../domain/interaction-events.js';
import { HubError } from '../../errors/error-registry.js';
import { ingestMessages } from '../../ingest/ingest-message.usecase.js';
import { writeOutbox, type OutboxRow } from '../../outbox/outbox.js';
import { defaultQueueFor } from '../../router/usecases/intake.usecase.js';
import { routedNotification } from '../../router/usecases/router-effects.js';
import { releaseHeldSeat } from '../../router/usecases/session-end.usecase.js';
import { loadRoutingQueues, seatTypeOfTier } from '../../router/store/routing-settings.js';

/**
 * Where voicemails and call-backs meet the router (issue 8 items 5–6). A voicemail is handled
 * like a message (`email` class, deferred work: it no longer takes an agent's whole voice seat); a call-back is a
 * voice task that waits (`waiting_contact`, which the router never offers) until it is due.
 */
export type LinePlacement = { kind: 'voicemail' } | { kind: 'callback_waiting' } | { kind: 'callback_due' };

export interface VoiceIntake {
  conversationId: string;
  folio: string;
  outbox: OutboxRow[];
}

/**
 * The citizen's open conversation on the voice channel (the caller's queued one, matched by the
 * phone's contact) or a new one with a folio, with `content` as its inbound message — the
 * ingest's own contact and folio rules, in the caller's transaction.
 */
export async function ingestVoiceMessage(
  trx: Transaction<Database>,
  channel: LoadedChannel,
  input: { phone: string; name?: string | undefined; providerMessageId: string; content: InboundContent },
): Promise<VoiceIntake> {
  const [result] = await ingestMessages(trx, [
    {
      channel,
      event: {
        type: 'message',
        providerMessageId: input.providerMessageId,
        occurredAt: new Date().toISOString(),
        contact: { phone: input.phone, ...(input.name ? { name: input.name } : {}) },
        content: input.content,
      },
    },
  ]);
  if (!result) throw new Error('ingest returned no result');
  if (result.outcome === 'stored') return { conversationId: result.conversationId, folio: result.folio, outbox: result.outbox };
  // The same provider id again (a repeated webhook): the message's conversation, nothing new.
  const row = await trx
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select(['c.id', 'c.folio'])
    .where('m.id', '=', result.messageId)
    .executeTakeFirstOrThrow();
  return { conversationId: row.id, folio: row.folio, outbox: [] };
}

/**
 * Puts the conversation in the campaign's line for a voicemail or a call-back: out of any agent's
 * seat (a pending offer is cancelled), in its queue (the one it had, else the channel's or the
 * campaign's default). Returns the realtime rows and whether a seat was freed.
 */
export async function placeInLine(
  trx: Transaction<Database>,
  conversationId: string,
  placement: LinePlacement,
  channelQueueId: string | undefined,
): Promise<{ conversation: Conversation; outbox: OutboxRow[]; released: boolean }> {
  const conversation = await trx.selectFrom('conversations').selectAll().where('id', '=', conversationId).forUpdate().executeTakeFirst();
  if (!conversation) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
  if (conversation.closed_at !== null) throw new HubError('HUB_ERR_CONVERSATION_CLOSED');
  const queues = await loadRoutingQueues(trx, [conversation.campaign_id]);
  const queue = (conversation.queue_id !== null ? queues.get(conversation.queue_id) : undefined) ?? defaultQueueFor(queues, conversation.campaign_id, channelQueueId);
  if (!queue) throw new HubError('HUB_ERR_QUEUE_NOT_FOUND', 'La campaña no tiene filas de atención / the campaign has no queues');
  const released = (await releaseHeldSeat(trx, conversation, 'reassigned', { type: 'system', id: 'voice' })) !== null;
  const status = placement.kind === 'callback_waiting' ? 'waiting_contact' : 'queued';
  // A voicemail is deferred work like an e-mail: it takes no live seat, and the router sends no
  // place-in-line messages to it (a text message cannot go out on a voice channel).
  const channelClass = placement.kind === 'voicemail' ? 'email' : 'voice';
  const requeued = status === 'queued' && (conversation.status !== 'queued' || conversation.queue_id === null);
  const updated = await trx
    .updateTable('conversations')
    .set({
      status,
      queue_id: queue.id,
      channel_class: channelClass,
      seat_type: seatTypeOfTier(queue.tier),
      assignee_id: null,
      offer_id: null,
      priority: conversation.queue_id === null ? queue.config.priority : conversation.priority,
      ...(requeued ? { enqueued_at: sql<Date>`clock_timestamp()`, queue_entered_at: sql<Date>`clock_timestamp()` } : {}),
      updated_at: sql<Date>`clock_timestamp()`,
    })
    .where('id', '=', conversation.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (requeued) {
    await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'system', actorId: 'voice' }, [
      {
        type: 'conversation.queued',
        conversationId: conversation.id,
        contactId: conversation.contact_id,
        payload: { queueId: queue.id, channelClass, priority: updated.priority, seatType: seatTypeOfTier(queue.tier), afterHours: false, preferredAgentId: null },
      },
    ]);
  }
  const outbox = await writeOutbox(trx, [routedNotification(updated, placement.kind)]);
  return { conversation: updated, outbox, released };
}
