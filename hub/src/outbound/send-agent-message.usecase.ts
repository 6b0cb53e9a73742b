import { sql, type Kysely, type Transaction } from 'kysely';
import { renderTemplate, type OutboundContent } from '@ventanilla/connectors/core';
import type { Principal } from '../auth/principal.js';
import { authorize, HANDLING_ROLES, hasRole } from '../auth/principal.js';
import { toMessageView } from '../conversations/conversation-views.js';
import type { Attachment, Database, Message } from '../db/schema.js';
import { appendEvents } from '../domain/interaction-events.js';
import { HubError } from '../errors/error-registry.js';
import { messageContentType } from '../files/file-types.js';
import { writeOutbox, type OutboxRow } from '../outbox/outbox.js';
import { rooms } from '../realtime/events.contract.js';
import type { InteractiveReply, TemplateReply } from './reply-body.schema.js';
import { checkReply, type ReplyChannel } from './reply-policy.js';

export interface AgentReply {
  text?: string;
  /** Files uploaded to this conversation, sent in this order; urlFor gives the URL the provider fetches. */
  files?: { ids: string[]; urlFor: (fileId: string) => string };
  /** Reply buttons or a list (channels with `interactive`); sent on its own. */
  interactive?: InteractiveReply;
  /** An approved template of the channel's catalogue; the only reply outside the service window. */
  template?: TemplateReply;
}

/** Where the reply rules find the conversation's channel (the hub's ChannelStore). */
export interface ReplyChannelLookup {
  get(channelId: string): Promise<ReplyChannel | null>;
}

/**
 * Stores an agent reply as `pending` with its events and outbox in one transaction; the
 * caller enqueues the send after commit (a sweeper re-enqueues if that step is lost).
 * Attachments are files of this conversation only; the content type follows the first file.
 */
export async function sendAgentMessage(
  db: Kysely<Database>,
  principal: Principal,
  conversationId: string,
  reply: AgentReply,
  channels?: ReplyChannelLookup,
): Promise<{ message: Message; folio: string; outbox: OutboxRow[] }> {
  return db.transaction().execute(async (trx) => {
    const conversation = await trx.selectFrom('conversations').selectAll().where('id', '=', conversationId).forUpdate().executeTakeFirst();
    if (!conversation) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
    authorize(principal, HANDLING_ROLES, conversation.campaign_id);
    if (conversation.closed_at) throw new HubError('HUB_ERR_CONVERSATION_CLOSED');
    // An agent never writes in a session another person holds (after a transfer or a supervisor's
    // takeover it is no longer theirs); supervisors and admins may (barge, issue 9 item 5).
    if (conversation.assignee_id !== null && conversation.assignee_id !== principal.userId && !hasRole(principal, ['admin', 'supervisor'])) throw new HubError('HUB_ERR_NOT_ASSIGNEE');
    const attachments = await replyAttachments(trx, conversation.id, reply.files);
    if (!reply.text && attachments.length === 0 && !reply.interactive && !reply.template) {
      throw new HubError('HUB_ERR_VALIDATION', 'Escriba un texto o adjunte un archivo / send a text or a file');
    }
    const firstType = attachments[0]?.mimeType;
    const contentType = reply.interactive ? 'interactive' : firstType ? messageContentType(firstType) : 'text';
    const content = contentOf(reply, contentType, attachments);
    // Checked against the channel while the conversation row is locked: the window is read
    // from the same last_inbound_at an arriving message would move.
    const channel = channels ? await channels.get(conversation.channel_id) : null;
    const template = channel ? checkReply(channel, content, conversation.last_inbound_at, new Date()) : null;
    if (reply.template && !template) throw new HubError('HUB_ERR_TEMPLATE_UNKNOWN', undefined, { name: reply.template.name, language: reply.template.language });
    const text = reply.interactive ? reply.interactive.text : reply.template && template ? renderTemplate(template.body, reply.template.variables) : (reply.text ?? null);
    const meta = reply.interactive ? { interactive: reply.interactive } : reply.template ? { template: reply.template } : null;

    const message = await trx
      .insertInto('messages')
      .values({
        conversation_id: conversation.id,
        channel_id: conversation.channel_id,
        direction: 'outbound',
        sender_type: 'agent',
        sender_id: principal.userId,
        content_type: contentType,
        text,
        attachments: JSON.stringify(attachments),
        meta: meta ? JSON.stringify(meta) : null,
        status: 'pending',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('conversations')
      .set({
        last_message_at: message.created_at,
        last_outbound_at: message.created_at,
        first_response_at: sql`coalesce(first_response_at, ${message.created_at})`,
        unread_count: 0,
        updated_at: sql`now()`,
      })
      .where('id', '=', conversation.id)
      .execute();
    await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'agent', actorId: principal.userId }, [
      { type: 'message.queued', conversationId: conversation.id, messageId: message.id, payload: { contentType } },
    ]);
    const outbox = await writeOutbox(trx, [
      {
        event: 'message.created',
        rooms: [rooms.campaign(conversation.campaign_id), rooms.conversation(conversation.id)],
        data: { campaignId: conversation.campaign_id, conversationId: conversation.id, folio: conversation.folio, message: toMessageView(message) },
      },
    ]);
    return { message, folio: conversation.folio, outbox };
  });
}

/** The reply as the channel will carry it, for the capability and window checks. */
function contentOf(reply: AgentReply, contentType: Message['content_type'], attachments: Attachment[]): OutboundContent {
  if (reply.template) return { type: 'template', template: reply.template };
  if (reply.interactive) {
    const { text, buttons, list } = reply.interactive;
    return { type: 'interactive', text, ...(buttons ? { buttons } : {}), ...(list ? { list } : {}) };
  }
  if (attachments.length > 0 && (contentType === 'image' || contentType === 'audio' || contentType === 'video' || contentType === 'file')) {
    return { type: contentType, attachments, ...(reply.text ? { text: reply.text } : {}) };
  }
  return { type: 'text', text: reply.text ?? '' };
}

async function replyAttachments(trx: Transaction<Database>, conversationId: string, files: AgentReply['files']): Promise<Attachment[]> {
  const ids = [...new Set(files?.ids ?? [])];
  if (!files || ids.length === 0) return [];
  const rows = await trx.selectFrom('files').select(['id', 'conversation_id', 'filename', 'mime_type', 'size']).where('id', 'in', ids).execute();
  const byId = new Map(rows.filter((r) => r.conversation_id === conversationId).map((r) => [r.id, r]));
  const foreign = ids.filter((id) => !byId.has(id));
  if (foreign.length > 0) throw new HubError('HUB_ERR_FILE_NOT_IN_CONVERSATION', undefined, { fileIds: foreign });
  return ids.flatMap((id) => {
    const file = byId.get(id);
    return file ? [{ url: files.urlFor(id), filename: file.filename, mimeType: file.mime_type, size: file.size }] : [];
  });
}
