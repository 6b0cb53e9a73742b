import type { Transaction } from 'kysely';
import type { Conversation, Database } from '../../db/schema.js';
import { writeOutbox, type OutboxNotification, type OutboxRow } from '../../outbox/outbox.js';
import { rooms } from '../../realtime/events.contract.js';
import type { RouterTimer } from '../service/router-timer.types.js';

/**
 * What a router use case leaves to do after its transaction commits: publish the realtime rows,
 * schedule timers, enqueue system messages, and run a routing pass if it freed or added work.
 * RouterService.apply does all four; each is also recovered by a sweep if the process dies first.
 */
export interface RouterEffects {
  outbox: OutboxRow[];
  timers: RouterTimer[];
  messageIds: string[];
  /** A pass may now find a match (a seat freed, an agent available, a conversation queued). */
  reroute: boolean;
}

export function noEffects(): RouterEffects {
  return { outbox: [], timers: [], messageIds: [], reroute: false };
}

export function mergeEffects(...all: RouterEffects[]): RouterEffects {
  return {
    outbox: all.flatMap((e) => e.outbox),
    timers: all.flatMap((e) => e.timers),
    messageIds: all.flatMap((e) => e.messageIds),
    reroute: all.some((e) => e.reroute),
  };
}

/** The `conversation.routed` notification for a conversation's new routing state. */
export function routedNotification(conversation: Conversation, change: string, extraRooms: string[] = []): OutboxNotification {
  return {
    event: 'conversation.routed',
    rooms: [rooms.campaign(conversation.campaign_id), rooms.conversation(conversation.id), ...extraRooms],
    data: {
      campaignId: conversation.campaign_id,
      conversationId: conversation.id,
      folio: conversation.folio,
      status: conversation.status,
      assigneeId: conversation.assignee_id,
      queueId: conversation.queue_id,
      change,
    },
  };
}

export async function writeRouted(trx: Transaction<Database>, conversation: Conversation, change: string, extraRooms: string[] = []): Promise<OutboxRow[]> {
  return writeOutbox(trx, [routedNotification(conversation, change, extraRooms)]);
}
