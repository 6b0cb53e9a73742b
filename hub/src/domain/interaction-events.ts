import type { Kysely, Transaction } from 'kysely';
import type { ActorType, Database } from '../db/schema.js';

/**
 * The domain event catalogue (CONVENTIONS 5): dotted noun.past_verb names, payloads of ids.
 * Rows go to interaction_events (append-only) in the transaction that changed the state.
 */
export type DomainEvent =
  | { type: 'contact.created'; contactId: string; conversationId: string; payload: { channelId: string } }
  | { type: 'contact.merged'; contactId: string; payload: { sourceContactId: string; targetContactId: string; movedConversationIds: string[] } }
  | { type: 'conversation.opened'; conversationId: string; contactId: string; payload: { folio: string; channelId: string; channelKind: string } }
  | {
      type: 'message.received';
      conversationId: string;
      contactId: string;
      messageId: string;
      payload: { contentType: string; providerMessageId: string; providerTimestamp: string };
    }
  | { type: 'message.queued'; conversationId: string; messageId: string; payload: { contentType: string } }
  | { type: 'message.sent'; conversationId: string; messageId: string; payload: { providerMessageId: string; attempt: number } }
  | { type: 'message.delivered' | 'message.read'; conversationId: string; messageId: string; payload: { providerMessageId: string } }
  | {
      type: 'message.failed';
      conversationId: string;
      messageId: string;
      payload: { code: string; reason: string; retryable: boolean; attempt: number };
    }
  | { type: 'message.send_retried'; conversationId: string; messageId: string; payload: { code: string; reason: string; attempt: number } };

export type DomainEventType = DomainEvent['type'];

export interface EventContext {
  campaignId: string;
  actorType: ActorType;
  actorId?: string | null;
}

export async function appendEvents(db: Transaction<Database> | Kysely<Database>, context: EventContext, events: DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('interaction_events')
    .values(
      events.map((event) => ({
        type: event.type,
        campaign_id: context.campaignId,
        conversation_id: 'conversationId' in event ? event.conversationId : null,
        contact_id: 'contactId' in event ? event.contactId : null,
        message_id: 'messageId' in event ? event.messageId : null,
        actor_type: context.actorType,
        actor_id: context.actorId ?? null,
        payload: JSON.stringify(event.payload),
      })),
    )
    .execute();
}
