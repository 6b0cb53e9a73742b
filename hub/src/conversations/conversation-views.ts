import { z } from 'zod';
import type { Conversation, Message } from '../db/schema.js';
import { interactiveReplySchema, templateReplySchema } from '../outbound/reply-body.schema.js';
import type { ConversationListItem, ConversationSummary, MessageView, OutboundMessageMeta } from '../realtime/events.contract.js';

const outboundMetaSchema = z.object({ interactive: interactiveReplySchema.optional(), template: templateReplySchema.optional() });

export function toConversationSummary(row: Conversation, extra: { channelKind: string; contactName: string | null }): ConversationSummary {
  return {
    id: row.id,
    folio: row.folio,
    campaignId: row.campaign_id,
    channelId: row.channel_id,
    channelKind: extra.channelKind,
    contactId: row.contact_id,
    contactName: extra.contactName,
    status: row.status,
    priority: row.priority,
    assigneeId: row.assignee_id,
    unreadCount: row.unread_count,
    openedAt: row.opened_at.toISOString(),
    lastMessageAt: row.last_message_at.toISOString(),
  };
}

/** A row of the inbox list (REST only): the summary plus routing columns and the assignee's name. */
export function toConversationListItem(row: Conversation, extra: { channelKind: string; contactName: string | null; assigneeName: string | null }): ConversationListItem {
  return {
    ...toConversationSummary(row, extra),
    queueId: row.queue_id,
    channelClass: row.channel_class,
    lastInboundAt: row.last_inbound_at?.toISOString() ?? null,
    lastOutboundAt: row.last_outbound_at?.toISOString() ?? null,
    assigneeName: extra.assigneeName,
  };
}

export function toMessageView(row: Message): MessageView {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    direction: row.direction,
    senderType: row.sender_type,
    senderId: row.sender_id,
    contentType: row.content_type,
    text: row.text,
    attachments: row.attachments,
    subject: row.meta?.subject ?? null,
    ...outboundMeta(row),
    status: row.status,
    errorCode: row.error_code,
    errorReason: row.error_reason,
    createdAt: row.created_at.toISOString(),
  };
}

/** The interactive or template part of an agent's reply (messages.meta), for the timeline. */
function outboundMeta(row: Message): { meta?: OutboundMessageMeta } {
  if (row.direction !== 'outbound' || !row.meta) return {};
  const parsed = outboundMetaSchema.safeParse(row.meta);
  if (!parsed.success || (!parsed.data.interactive && !parsed.data.template)) return {};
  const meta: OutboundMessageMeta = {};
  if (parsed.data.interactive) meta.interactive = parsed.data.interactive;
  if (parsed.data.template) meta.template = parsed.data.template;
  return { meta };
}
