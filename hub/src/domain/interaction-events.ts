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
  | { type: 'conversation.reopened'; conversationId: string; contactId: string; payload: { folio: string; channelId: string; channelKind: string } }
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
  | { type: 'message.send_retried'; conversationId: string; messageId: string; payload: { code: string; reason: string; attempt: number } }
  // Router (issue 3). conversation.offered / conversation.assigned (auto-accept) are written by
  // the SQL function router_claim (migrations/0003_router.sql) with the same payload shapes.
  | {
      type: 'conversation.queued';
      conversationId: string;
      contactId: string;
      payload: { queueId: string; channelClass: string; priority: number; seatType: string; afterHours: boolean; preferredAgentId: string | null };
    }
  | {
      type: 'conversation.assigned';
      conversationId: string;
      payload: { offerId: string | null; agentId: string; queueId: string | null; channelClass: string; seatType: string | null; via: 'accept' | 'auto_accept' | 'reassign' | 'transfer' };
    }
  | { type: 'offer.rejected'; conversationId: string; payload: { offerId: string; agentId: string; reason: string } }
  | { type: 'offer.timed_out'; conversationId: string; payload: { offerId: string; agentId: string; timeoutSeconds: number } }
  | {
      type: 'conversation.transferred';
      conversationId: string;
      payload: {
        kind: 'agent' | 'queue' | 'tier2' | 'campaign' | 'reassign';
        reason: string | null;
        fromAgentId: string | null;
        toAgentId: string | null;
        fromQueueId: string | null;
        toQueueId: string | null;
        fromCampaignId: string;
        toCampaignId: string;
        seatTypeBefore: string | null;
        seatTypeAfter: string | null;
      };
    }
  | { type: 'conversation.released'; conversationId: string; payload: { agentId: string; channelClass: string; seatType: string | null; cause: 'resolved' | 'transferred' | 'abandoned' | 'reassigned' } }
  | { type: 'conversation.resolved'; conversationId: string; payload: { agentId: string | null; reason: string } }
  | {
      type: 'conversation.abandoned';
      conversationId: string;
      contactId: string;
      payload: { cause: 'contact_left' | 'max_wait' | 'bot_idle'; queueId: string | null; waitedMs: number; statusBefore: string };
    }
  | {
      type: 'conversation.overflowed';
      conversationId: string;
      payload: { fromQueueId: string; toQueueId: string; stepIndex: number; outcome: string; relaxedLevels: number };
    }
  | { type: 'conversation.after_hours'; conversationId: string; payload: { queueId: string; mode: string } }
  // The citizen pressed "end chat" in the web chat widget (issue 5 item 3); the agent still resolves it if they had answered.
  | { type: 'conversation.contact_ended'; conversationId: string; contactId: string; payload: { channelKind: string; statusBefore: string } }
  // Wrap-up on resolve (issue 4): codes are the stable code strings, for reports that outlive a relabel.
  | { type: 'conversation.tipified'; conversationId: string; payload: { codeIds: string[]; codes: string[]; summary: string | null; agentId: string } }
  // Inbox (issue 4). A note's text stays in conversation_notes: the log keeps ids and sizes only.
  | { type: 'note.added'; conversationId: string; payload: { noteId: string; length: number } }
  | { type: 'file.uploaded'; conversationId: string; payload: { fileId: string; mimeType: string; size: number } }
  // Exit survey (issue 5 item 4): counts and ratings only; the comment stays in survey_responses.
  | {
      type: 'survey.answered';
      conversationId: string;
      contactId: string;
      payload: { responseId: string; rating: number | null; yes: number; no: number; agentRatings: { agentId: string; tier: 'PS-I' | 'PS-P'; rating: number }[] };
    }
  // Tier-0 bots (issue 7). bot.outcome rows are the usage facts bot billing weighs (seed-digest §5.4);
  // what the citizen said and the handoff summary's text stay in bot_turns / conversation_notes.
  | {
      type: 'bot.turn';
      conversationId: string;
      messageId: string | null;
      payload: { sessionId: string; turnId: string; modelId: string; intent: string | null; score: number; answeredBy: string; language: string; replies: number };
    }
  | {
      type: 'bot.handed_off';
      conversationId: string;
      payload: { sessionId: string; modelId: string; noteId: string; reason: string; intent: string | null; language: string; queueId: string | null; skills: string[]; collectedFields: string[] };
    }
  | {
      type: 'bot.outcome';
      conversationId: string;
      payload: { sessionId: string; outcomeId: string; outcome: string; weightPct: number; intent: string | null; modelId: string; channelId: string; supersedesId: string | null; reason: string | null };
    }
  | { type: 'bot.repeated_wrong'; conversationId: string; payload: { sessionId: string; outcomeId: string; intent: string; campaignWrongs30d: number } }
  | {
      type: 'agent.state_changed';
      payload: { agentId: string; from: string; to: string; reason: string | null; seatType: string; load: { text: number; voice: number; email: number } };
    };

export type DomainEventType = DomainEvent['type'];

export interface EventContext {
  campaignId: string;
  actorType: ActorType;
  actorId?: string | null;
}

export async function appendEvents(db: Transaction<Database> | Kysely<Database>, context: EventContext, events: DomainEvent[]): Promise<void> {
  await appendEventRows(
    db,
    events.map((event) => ({ context, event })),
  );
}

/** Events of several campaigns in one go (set-based use cases); chunked under the bind-parameter limit. */
export async function appendEventRows(db: Transaction<Database> | Kysely<Database>, rows: { context: EventContext; event: DomainEvent }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    await db
      .insertInto('interaction_events')
      .values(
        rows.slice(i, i + 5000).map(({ context, event }) => ({
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
}
