import { widgetFileUrl, type WebchatWidgetMessage } from '@ventanilla/connectors';
import type { Message } from '../db/schema.js';
import type { WidgetAttachment, WidgetMessage, WidgetSender } from './widget.contract.js';

// The adapter (connectors/webchat) builds the live message with its own schema, since a connector
// cannot import the hub: these two lines fail to compile the day the shapes drift apart.
const sameFromAdapter = (m: WebchatWidgetMessage): WidgetMessage => m;
const sameToAdapter = (m: WidgetMessage): WebchatWidgetMessage => m;
void sameFromAdapter;
void sameToAdapter;

const SENDER: Record<Message['sender_type'], WidgetSender> = { contact: 'citizen', agent: 'agent', bot: 'bot', system: 'system' };

/** Provider ids of messages the widget sent: `wc:<clientMessageId>` (widget.routes). */
export const WIDGET_PROVIDER_PREFIX = 'wc:';

const HUB_FILE = /\/api\/v1\/files\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?#]|$)/i;

/** A stored attachment as the visitor may fetch it: stored files through /widget/v1/files only. */
function toWidgetAttachment(attachment: Message['attachments'][number]): WidgetAttachment {
  const declared: unknown = 'fileId' in attachment ? attachment['fileId'] : undefined;
  const fileId = (typeof declared === 'string' ? declared : HUB_FILE.exec(attachment.url ?? '')?.[1])?.toLowerCase();
  return {
    ...(fileId ? { fileId } : {}),
    filename: attachment.filename ?? 'archivo',
    mimeType: attachment.mimeType ?? 'application/octet-stream',
    size: attachment.size ?? 0,
    url: fileId ? widgetFileUrl(fileId) : (attachment.url ?? ''),
  };
}

/**
 * A stored message as the citizen sees it: sender kind and, for agents, their display name —
 * never a staff id, a note, or a delivery error.
 */
export function toWidgetMessage(row: Message, agentName: string | null): WidgetMessage {
  const provider = row.provider_message_id;
  return {
    id: row.id,
    clientMessageId: row.direction === 'inbound' && provider?.startsWith(WIDGET_PROVIDER_PREFIX) ? provider.slice(WIDGET_PROVIDER_PREFIX.length) : null,
    sender: SENDER[row.sender_type],
    senderName: row.sender_type === 'agent' ? agentName : null,
    text: row.text,
    attachments: row.attachments.map(toWidgetAttachment),
    createdAt: row.created_at.toISOString(),
  };
}
