import type { OutboundContent, OutboundMessage } from '../core/outbound-message.js';
import type { MetaChannelSettings } from './meta-channel.schema.js';
import { META_MAX_QUICK_REPLIES, META_QUICK_REPLY_TITLE_MAX, type EncodedMeta, type MetaSendRequest } from './meta-encoded.schema.js';
import { parseMetaContactId } from './meta-recipient.js';

/** Meta's standard messaging window, and the HUMAN_AGENT tag's (human replies only). */
export const META_STANDARD_WINDOW_HOURS = 24;
export const META_HUMAN_AGENT_WINDOW_HOURS = 168;
/** Messenger takes 2,000 characters (capabilities.maxTextLength); Instagram text is capped at 1,000 UTF-8 bytes. */
export const INSTAGRAM_MAX_TEXT_BYTES = 1000;

/**
 * Hours after the citizen's last message during which `sender` may still answer on this
 * channel: 7 days for an agent when the Page has the HUMAN_AGENT tag, else 24 hours. Bots and
 * automatic messages never get the tag (Meta policy: the tag is for human replies only).
 */
export function metaWindowHours(settings: Pick<MetaChannelSettings, 'humanAgentTag'>, sender: OutboundMessage['sender']['type'] = 'agent'): number {
  return settings.humanAgentTag && sender === 'agent' ? META_HUMAN_AGENT_WINDOW_HOURS : META_STANDARD_WINDOW_HOURS;
}

/**
 * Our message → Send API requests (`POST /{version}/me/messages`), a pure function of the
 * message, the settings and the clock. Inside 24 h of the citizen's last message a reply is a
 * `RESPONSE`; after that, an agent's reply on a Page with the tag goes as `MESSAGE_TAG` +
 * `HUMAN_AGENT`; anything else would be refused by Meta, so it is refused here with the reason.
 */
export function encodeMetaOutbound(message: OutboundMessage, settings: MetaChannelSettings, now: number = Date.now()): EncodedMeta {
  const recipient = parseMetaContactId(message.to.externalId);
  if (!recipient) {
    return { kind: 'invalid', code: 'invalid_recipient', reason: 'El contacto no tiene identificador de Messenger ni de Instagram / contact has no Messenger or Instagram id' };
  }
  const sinceInbound = message.lastInboundAt ? (now - Date.parse(message.lastInboundAt)) / 3_600_000 : 0;
  const window = metaWindowHours(settings, message.sender.type);
  let routing: Pick<MetaSendRequest, 'messaging_type' | 'tag'>;
  if (!(sinceInbound > META_STANDARD_WINDOW_HOURS)) routing = { messaging_type: 'RESPONSE' };
  else if (sinceInbound <= window) routing = { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
  else {
    const ago = Math.floor(sinceInbound);
    return {
      kind: 'invalid',
      code: 'window_closed',
      reason: `El ciudadano escribió hace ${ago} h y la ventana es de ${window} h / last inbound ${ago} h ago, window ${window} h`,
    };
  }
  const base = { recipient: { id: recipient.scopedId }, ...routing };
  const messages = contentMessages(message.content);
  if ('code' in messages) return { kind: 'invalid', ...messages };
  const tooLong = recipient.network === 'instagram' ? messages.find((m) => 'text' in m.message && Buffer.byteLength(m.message.text) > INSTAGRAM_MAX_TEXT_BYTES) : undefined;
  if (tooLong) {
    return { kind: 'invalid', code: 'text_too_long', reason: `Instagram admite ${INSTAGRAM_MAX_TEXT_BYTES} bytes por mensaje / Instagram takes at most ${INSTAGRAM_MAX_TEXT_BYTES} UTF-8 bytes` };
  }
  return { kind: 'send', network: recipient.network, requests: messages.map((m) => ({ ...base, ...m })) };
}

type Part = Pick<MetaSendRequest, 'message' | 'fileId'>;

function contentMessages(content: OutboundContent): Part[] | { code: string; reason: string } {
  switch (content.type) {
    case 'text':
      return [{ message: { text: content.text } }];
    case 'image':
    case 'audio':
    case 'video':
    case 'file': {
      // The Send API carries one attachment per message and no caption: files first, then the text.
      const parts: Part[] = [];
      for (const attachment of content.attachments) {
        if (!attachment.url && !attachment.fileId) return { code: 'attachment_missing', reason: 'attachment has neither url nor fileId' };
        parts.push({
          message: { attachment: { type: content.type, payload: { ...(attachment.url ? { url: attachment.url } : {}), is_reusable: true } } },
          ...(!attachment.url && attachment.fileId ? { fileId: attachment.fileId } : {}),
        });
      }
      if (content.text) parts.push({ message: { text: content.text } });
      return parts;
    }
    case 'interactive': {
      // Messenger and Instagram have quick replies only: buttons, or a list's rows, become them.
      const options = content.buttons ?? content.list?.sections.flatMap((s) => s.rows) ?? [];
      if (options.length > META_MAX_QUICK_REPLIES) {
        return { code: 'quick_replies_limit', reason: `${options.length} opciones; Messenger/Instagram admiten ${META_MAX_QUICK_REPLIES} / at most ${META_MAX_QUICK_REPLIES} quick replies` };
      }
      const quickReplies = options.map((o) => ({ content_type: 'text' as const, title: o.title.slice(0, META_QUICK_REPLY_TITLE_MAX), payload: o.id }));
      return [{ message: { text: content.text, ...(quickReplies.length > 0 ? { quick_replies: quickReplies } : {}) } }];
    }
    case 'template':
      return { code: 'capability_missing', reason: 'Messenger e Instagram no tienen plantillas / Messenger and Instagram have no templates' };
    default: {
      const exhaustive: never = content;
      return { code: 'capability_missing', reason: `unsupported content ${JSON.stringify(exhaustive)}` };
    }
  }
}
