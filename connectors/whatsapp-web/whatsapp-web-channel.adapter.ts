import type { ChannelAdapter, SendResult } from '../core/channel-adapter.js';
import { DecodeError } from '../core/channel-adapter.js';
import type { OutboundMessage } from '../core/outbound-message.js';
import { whatsappWebChannelSettingsSchema, type WhatsAppWebChannelSettings, type WhatsAppWebOutbound } from './whatsapp-web-channel.schema.js';
import { WWEBJS_ACK_STATUSES } from './whatsapp-web-inbound.js';

const CHAT_ID = /^\d{5,20}@(?:c\.us|lid|g\.us)$/;

const sessionUnavailable = (reason: string): SendResult => ({ ok: false, retryable: true, code: 'session_unavailable', reason });

/**
 * whatsapp-web.js (a paired WhatsApp Web session driven in the system Chromium) for small
 * deployments. There is no webhook: the hub's session manager (hub/src/whatsapp-web) listens to
 * the library's events, maps them with `fromLibraryMessage`/`fromAck` and enqueues the same
 * inbound jobs a webhook would. Sends go through that manager (`SendContext.sessions`).
 */
export const whatsappWebChannelAdapter: ChannelAdapter<WhatsAppWebChannelSettings> = {
  kind: 'whatsapp_web',
  ingress: 'session',
  displayName: 'WhatsApp Web (whatsapp-web.js)',
  capabilities: {
    text: true,
    media: true,
    location: false,
    // Buttons and lists were withdrawn from WhatsApp Web for non-business accounts; templates
    // are a Cloud API feature.
    interactive: false,
    templates: false,
    deliveryReceipts: true,
    readReceipts: true,
    maxTextLength: 65_536,
    // WhatsApp bans numbers that behave like bulk senders; one message a second is the
    // cautious pace commonly advised for unofficial clients.
    maxSendsPerSecond: 1,
  },
  settingsSchema: whatsappWebChannelSettingsSchema,
  secretNames: [],
  secretSource: 'provided',
  // Nothing may reach this channel over HTTP: fail closed.
  verifyRequest: () => ({ ok: false, reason: 'whatsapp_web channels have no webhook (session ingress)' }),
  decodeInbound: () => {
    throw new DecodeError('whatsapp_web channels have no webhook: inbound events come from the hub session manager');
  },
  providerStatuses: WWEBJS_ACK_STATUSES,

  encodeOutbound(message: OutboundMessage) {
    return { body: encodeWhatsAppWeb(message) };
  },

  async send(encoded, _settings, _secrets, context) {
    if (!context.sessions || !context.channelId) return sessionUnavailable('La sesión de WhatsApp Web no corre en este proceso / no WhatsApp Web session in this process');
    return context.sessions.send(context.channelId, encoded.body);
  },

  async fetchMedia(mediaRef, _settings, _secrets, context) {
    // Thrown, not null: null means "too large, give up", while here another attempt on the
    // process holding the session can still succeed.
    if (!context.sessions || !context.channelId) throw new Error('session_unavailable: no WhatsApp Web session in this process');
    return context.sessions.fetchMedia(context.channelId, mediaRef, context.maxBytes);
  },
};

/** Pure: the chat id and the text or the one file (WhatsApp sends one file per message). */
export function encodeWhatsAppWeb(message: OutboundMessage): WhatsAppWebOutbound {
  const chatId = chatIdOf(message.to);
  const content = message.content;
  switch (content.type) {
    case 'text':
      return { chatId, text: content.text };
    case 'image':
    case 'audio':
    case 'video':
    case 'file': {
      const [first] = content.attachments;
      if (!first) return { chatId, text: content.text ?? '' };
      const caption = content.text ?? first.caption;
      return {
        chatId,
        media: {
          ...(first.url ? { url: first.url } : {}),
          ...(first.fileId ? { fileId: first.fileId } : {}),
          ...(first.filename ? { filename: first.filename } : {}),
          ...(first.mimeType ? { mimetype: first.mimeType } : {}),
          ...(caption ? { caption } : {}),
        },
      };
    }
    case 'interactive':
      // Not advertised (capabilities.interactive false): sent as its text if it ever gets here.
      return { chatId, text: content.text };
    case 'template':
      return { chatId, text: content.text ?? content.template.name };
    default: {
      const exhaustive: never = content;
      throw new Error(`unhandled outbound content ${JSON.stringify(exhaustive)}`);
    }
  }
}

/**
 * The id the citizen wrote from (kept as the channel-scoped externalId) is preferred: for a
 * Mexican mobile WhatsApp uses 521XXXXXXXXXX@c.us while the hub stores +52XXXXXXXXXX, and a
 * `@lid` contact has no phone at all. Otherwise the E.164 digits.
 */
function chatIdOf(to: OutboundMessage['to']): string {
  if (to.externalId && CHAT_ID.test(to.externalId)) return to.externalId;
  const digits = (to.phone ?? '').replace(/\D/g, '');
  return `${digits}@c.us`;
}
