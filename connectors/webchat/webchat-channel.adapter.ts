import type { ChannelAdapter, SendContext, SendResult } from '../core/channel-adapter.js';
import { DecodeError } from '../core/channel-adapter.js';
import type { attachmentSchema } from '../core/inbound-event.js';
import type { OutboundMessage } from '../core/outbound-message.js';
import type { z } from 'zod';
import { webchatChannelSettingsSchema, type WebchatChannelSettings } from './webchat-channel.schema.js';
import { webchatOutboundBodySchema, type WebchatOutboundBody, type WebchatWidgetMessage } from './webchat-message.schema.js';

const WIDGET_INGRESS = 'web chat arrives through the widget endpoints';

/** An agent's upload as the outbound worker hands it over: `<base>/api/v1/files/<uuid>?token=…`. */
const HUB_FILE_URL = /\/api\/v1\/files\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?#]|$)/i;

/** Where the visitor downloads a file of their conversation (bearer visitor token). */
export function widgetFileUrl(fileId: string): string {
  return `/widget/v1/files/${fileId}`;
}

type OutboundAttachment = z.infer<typeof attachmentSchema>;

function toWidgetAttachment(attachment: OutboundAttachment): WebchatWidgetMessage['attachments'][number] {
  const fileId = attachment.fileId ?? HUB_FILE_URL.exec(attachment.url ?? '')?.[1]?.toLowerCase();
  return {
    ...(fileId ? { fileId } : {}),
    filename: attachment.filename ?? 'archivo',
    mimeType: attachment.mimeType ?? 'application/octet-stream',
    size: attachment.size ?? 0,
    // A file the hub stores is fetched through the widget's own route, never through the staff
    // URL (whose token would outlive the conversation); anything else is linked as it is.
    url: fileId ? widgetFileUrl(fileId) : (attachment.url ?? ''),
  };
}

/**
 * The web chat widget channel. Visitors' messages do not arrive as provider webhooks: the hub's
 * /widget/v1 routes authenticate them with a visitor token and enqueue them, so the webhook
 * entry points fail closed. Replies go to the visitor's sockets through the hub (SendContext.widget).
 */
export const webchatChannelAdapter: ChannelAdapter<WebchatChannelSettings> = {
  kind: 'webchat',
  ingress: 'widget',
  displayName: 'Chat web',
  capabilities: {
    text: true,
    media: true,
    location: false,
    interactive: false,
    templates: false,
    deliveryReceipts: true,
    readReceipts: true,
    maxTextLength: 4000,
  },
  settingsSchema: webchatChannelSettingsSchema,
  secretNames: [],
  secretSource: 'generated',

  verifyRequest() {
    return { ok: false, reason: WIDGET_INGRESS };
  },

  decodeInbound() {
    throw new DecodeError(WIDGET_INGRESS);
  },

  encodeOutbound(message: OutboundMessage) {
    const content = message.content;
    const body: WebchatOutboundBody = {
      visitorId: message.to.externalId ?? null,
      message: {
        id: message.id,
        clientMessageId: null,
        sender: message.sender.type,
        senderName: message.sender.type === 'agent' ? (message.sender.name ?? null) : null,
        text: content.text ?? null,
        attachments: 'attachments' in content ? content.attachments.map(toWidgetAttachment) : [],
      },
    };
    return { body };
  },

  async send(encoded, _settings, _secrets, context: SendContext): Promise<SendResult> {
    const parsed = webchatOutboundBodySchema.safeParse(encoded.body);
    if (!parsed.success) return { ok: false, retryable: false, code: 'malformed', reason: parsed.error.message.slice(0, 500) };
    const { visitorId, message } = parsed.data;
    if (!visitorId) return { ok: false, retryable: false, code: 'no_visitor', reason: 'El contacto no tiene visitante de chat web / contact has no web chat visitor' };
    if (!context.widget) return { ok: false, retryable: true, code: 'widget_unavailable', reason: 'widget delivery is not available in this process' };
    // Stamped at delivery: encodeOutbound stays a pure function of the message.
    const delivered: WebchatWidgetMessage = { ...message, createdAt: new Date().toISOString() };
    context.widget.deliver(visitorId, 'message.created', delivered);
    return { ok: true, providerMessageId: message.id };
  },
};
