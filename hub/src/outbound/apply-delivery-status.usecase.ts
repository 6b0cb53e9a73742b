import { sql, type Kysely } from 'kysely';
import { translateDeliveryError, type InboundStatusEvent } from '@ventanilla/connectors/core';
import type { LoadedChannel } from '../channels/channel-store.js';
import type { Database, MessageStatus } from '../db/schema.js';
import { appendEvents } from '../domain/interaction-events.js';
import { writeOutbox, type OutboxRow } from '../outbox/outbox.js';
import { rooms } from '../realtime/events.contract.js';

/** Statuses only move forward; providers deliver callbacks out of order. */
const RANK: Record<MessageStatus, number> = { received: 0, pending: 0, sent: 1, delivered: 2, read: 3, failed: 1 };

export type StatusResult = { outcome: 'applied'; outbox: OutboxRow[] } | { outcome: 'stale' } | { outcome: 'unknown_message' };

export function statusMovesForward(current: MessageStatus, next: MessageStatus): boolean {
  if (current === next) return false;
  if (next === 'failed') return current === 'pending' || current === 'sent';
  if (current === 'failed') return next === 'delivered' || next === 'read';
  return RANK[next] > RANK[current];
}

export async function applyDeliveryStatus(db: Kysely<Database>, channel: LoadedChannel, event: InboundStatusEvent): Promise<StatusResult> {
  return db.transaction().execute(async (trx) => {
    const message = await trx
      .selectFrom('messages')
      .selectAll()
      .where('channel_id', '=', channel.row.id)
      .where('provider_message_id', '=', event.providerMessageId)
      .where('direction', '=', 'outbound')
      .forUpdate()
      .executeTakeFirst();
    if (!message) return { outcome: 'unknown_message' as const };
    if (!statusMovesForward(message.status, event.status)) return { outcome: 'stale' as const };

    const at = new Date(event.occurredAt);
    const reason = event.status === 'failed' ? translateDeliveryError(event.error?.code ?? 'unknown', event.error?.reason ?? '') : null;
    await trx
      .updateTable('messages')
      .set({
        status: event.status,
        ...(event.status === 'sent' ? { sent_at: at } : {}),
        ...(event.status === 'delivered' ? { delivered_at: at } : {}),
        ...(event.status === 'read' ? { read_at: at } : {}),
        ...(event.status === 'failed' ? { failed_at: at, error_code: event.error?.code ?? 'unknown', error_reason: reason } : {}),
        updated_at: sql`now()`,
      })
      .where('id', '=', message.id)
      .execute();
    const campaignId = channel.row.campaign_id;
    const base = { conversationId: message.conversation_id, messageId: message.id };
    await appendEvents(trx, { campaignId, actorType: 'provider', actorId: channel.kind }, [
      event.status === 'failed'
        ? { type: 'message.failed', ...base, payload: { code: event.error?.code ?? 'unknown', reason: event.error?.reason ?? '', retryable: false, attempt: message.attempts } }
        : event.status === 'sent'
          ? { type: 'message.sent', ...base, payload: { providerMessageId: event.providerMessageId, attempt: message.attempts } }
          : { type: event.status === 'read' ? 'message.read' : 'message.delivered', ...base, payload: { providerMessageId: event.providerMessageId } },
    ]);
    const outbox = await writeOutbox(trx, [
      {
        event: 'message.status_changed',
        rooms: [rooms.campaign(campaignId), rooms.conversation(message.conversation_id)],
        data: {
          campaignId,
          conversationId: message.conversation_id,
          messageId: message.id,
          status: event.status,
          errorCode: event.status === 'failed' ? (event.error?.code ?? 'unknown') : null,
          errorReason: reason,
          at: at.toISOString(),
        },
      },
    ]);
    return { outcome: 'applied' as const, outbox };
  });
}
