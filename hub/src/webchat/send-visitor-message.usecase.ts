import { widgetFileUrl, type InboundContent, type InboundEvent } from '@ventanilla/connectors';
import { HubError } from '../errors/error-registry.js';
import { inboundJobId, type InboundJob } from '../queues/queues.js';
import type { HubContext } from '../runtime/context.js';
import type { Visitor } from './visitor-auth.js';
import { latestVisitorConversation } from './visitor-conversation.js';
import { campaignOpenNow } from './widget-config.js';
import { WIDGET_PROVIDER_PREFIX } from './widget-message-view.js';
import type { WidgetMessage } from './widget.contract.js';

/** Adds an inbound job, durably; not enqueued means not acknowledged (the widget retries). */
export async function enqueueInbound(ctx: HubContext, job: InboundJob): Promise<void> {
  try {
    await ctx.queues.inbound.add(job.event.type, job, { jobId: inboundJobId(job) });
  } catch (error) {
    ctx.logger.error({ err: error, channelId: job.channelId }, 'widget: could not enqueue');
    throw new HubError('HUB_ERR_UNAVAILABLE', 'No se pudo recibir el mensaje; reintente / could not accept the message, retry');
  }
}

/**
 * Outside the service window a visitor may only continue a conversation already open (an agent
 * may still be on it); a new one is refused so the widget offers the leave-a-message form.
 */
export async function assertCanWrite(ctx: HubContext, visitor: Visitor): Promise<void> {
  const latest = await latestVisitorConversation(ctx.db.kysely, visitor.channel.row.id, visitor.visitorId);
  if (latest && latest.closed_at === null) return;
  if (!(await campaignOpenNow(ctx.db.kysely, visitor.channel.row.campaign_id))) throw new HubError('HUB_ERR_WIDGET_CLOSED');
}

/**
 * A visitor's message (text or a stored file) into the same pipeline as every channel: one inbound
 * job whose provider id is `wc:<clientMessageId>` (a retried POST adds nothing), acknowledged only
 * once enqueued. The contact is the visitor id and the pre-chat name — never the typed e-mail or
 * phone. The echo to the visitor's room lets another open tab show it at once.
 */
export async function sendVisitorMessage(
  ctx: HubContext,
  visitor: Visitor,
  input: { clientMessageId: string; content: Extract<InboundContent, { type: 'text' | 'image' | 'audio' | 'video' | 'file' }>; requestId: string },
): Promise<void> {
  const occurredAt = new Date().toISOString();
  const name = visitor.session.name;
  const event: InboundEvent = {
    type: 'message',
    providerMessageId: `${WIDGET_PROVIDER_PREFIX}${input.clientMessageId}`,
    occurredAt,
    contact: { externalId: visitor.visitorId, ...(name ? { name } : {}) },
    content: input.content,
  };
  await enqueueInbound(ctx, { channelId: visitor.channel.row.id, event, receivedAt: Date.now(), requestId: input.requestId });
  const content = input.content;
  const echo: WidgetMessage = {
    id: input.clientMessageId,
    clientMessageId: input.clientMessageId,
    sender: 'citizen',
    senderName: null,
    text: content.text ?? null,
    attachments:
      content.type === 'text'
        ? []
        : content.attachments.map((a) => ({
            ...(a.fileId ? { fileId: a.fileId } : {}),
            filename: a.filename ?? 'archivo',
            mimeType: a.mimeType ?? 'application/octet-stream',
            size: a.size ?? 0,
            url: a.fileId ? widgetFileUrl(a.fileId) : '',
          })),
    createdAt: occurredAt,
  };
  ctx.publisher.toVisitor(visitor.visitorId, 'message.created', echo);
}
