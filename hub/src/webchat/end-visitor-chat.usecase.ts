import { appendEvents } from '../domain/interaction-events.js';
import { rooms } from '../realtime/events.contract.js';
import { writeOutbox } from '../outbox/outbox.js';
import { routedNotification } from '../router/usecases/router-effects.js';
import type { HubContext } from '../runtime/context.js';
import { enqueueInbound } from './send-visitor-message.usecase.js';
import type { Visitor } from './visitor-auth.js';
import { endedByVisitor, latestVisitorConversation } from './visitor-conversation.js';

/**
 * The visitor pressed "end chat" (issue 5 item 3). The agent sees it at once (an event on the
 * timeline and a `conversation.routed` with change `contact_ended`); then the same `contact_left`
 * pipeline as every channel runs: a conversation no agent has answered yet is abandoned, one an
 * agent holds stays theirs to resolve. Ending twice, or with nothing open, changes nothing.
 */
export async function endVisitorChat(ctx: HubContext, visitor: Visitor, requestId: string): Promise<'ended' | 'nothing_open'> {
  const db = ctx.db.kysely;
  const conversation = await latestVisitorConversation(db, visitor.channel.row.id, visitor.visitorId);
  if (!conversation || conversation.closed_at !== null) return 'nothing_open';
  if (!(await endedByVisitor(db, conversation))) {
    const outbox = await db.transaction().execute(async (trx) => {
      await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'contact', actorId: conversation.contact_id }, [
        {
          type: 'conversation.contact_ended',
          conversationId: conversation.id,
          contactId: conversation.contact_id,
          payload: { channelKind: 'webchat', statusBefore: conversation.status },
        },
      ]);
      return writeOutbox(trx, [routedNotification(conversation, 'contact_ended', conversation.assignee_id ? [rooms.agent(conversation.assignee_id)] : [])]);
    });
    ctx.relay.publishCommitted(outbox);
  }
  // One end per conversation and last message: a retried POST, or a second tab, adds nothing.
  const since = (conversation.last_inbound_at ?? conversation.opened_at).getTime();
  await enqueueInbound(ctx, {
    channelId: visitor.channel.row.id,
    event: {
      type: 'contact_left',
      providerEventId: `wc-end:${conversation.id}:${since}`,
      occurredAt: new Date().toISOString(),
      contact: { externalId: visitor.visitorId },
      reason: 'widget_end',
    },
    receivedAt: Date.now(),
    requestId,
  });
  return 'ended';
}
