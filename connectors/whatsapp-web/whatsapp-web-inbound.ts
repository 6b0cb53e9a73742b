import { z } from 'zod';
import type { DeliveryStatus, InboundContent, InboundMessageEvent, InboundStatusEvent } from '../core/inbound-event.js';
import { parseVCard } from './whatsapp-web-vcard.js';

/**
 * The properties of whatsapp-web.js 1.34 `Message` objects (src/structures/Message.js) that the
 * mapping reads, so the adapter never loads the library (it pulls in puppeteer). The hub's
 * session manager parses what the library emits with these schemas (event arguments are a
 * boundary). `_data` is the raw WhatsApp Web model the Message was built from.
 */
export const wwebjsMessageSchema = z.object({
  id: z.object({ fromMe: z.boolean(), remote: z.string(), id: z.string(), _serialized: z.string().min(1).max(255) }),
  type: z.string(),
  body: z.string().catch(''),
  /** Unix seconds. */
  timestamp: z.number().catch(0),
  from: z.string(),
  fromMe: z.boolean(),
  hasMedia: z.boolean(),
  isStatus: z.boolean().optional().catch(undefined),
  location: z
    .object({
      latitude: z.union([z.number(), z.string()]),
      longitude: z.union([z.number(), z.string()]),
      name: z.string().optional(),
      address: z.string().optional(),
      description: z.string().optional(),
    })
    .optional()
    .catch(undefined),
  vCards: z.array(z.string()).catch([]),
  selectedButtonId: z.string().optional().catch(undefined),
  selectedRowId: z.string().optional().catch(undefined),
  _data: z.unknown(),
});
export type WwebjsMessageLike = z.input<typeof wwebjsMessageSchema>;

/** A `message_reaction` event's Reaction (src/structures/Reaction.js). */
export const wwebjsReactionSchema = z.object({
  id: z.object({ fromMe: z.boolean(), _serialized: z.string().min(1).max(255) }),
  /** The emoji; empty when the citizen removed the reaction. */
  reaction: z.string().catch(''),
  msgId: z.object({ _serialized: z.string().min(1) }),
  senderId: z.string(),
  /** WhatsApp Web gives milliseconds for reactions, seconds for messages: both are accepted. */
  timestamp: z.number().catch(0),
});
export type WwebjsReactionLike = z.input<typeof wwebjsReactionSchema>;

/** `MessageAck` of src/util/Constants.js, by name. */
export const MESSAGE_ACK = { ACK_ERROR: -1, ACK_PENDING: 0, ACK_SERVER: 1, ACK_DEVICE: 2, ACK_READ: 3, ACK_PLAYED: 4 } as const;
export type MessageAckName = keyof typeof MESSAGE_ACK;

/** Every ack the library documents → our status; PENDING is our own "not yet sent" (ignored). */
export const WWEBJS_ACK_STATUSES = {
  ACK_ERROR: 'failed',
  ACK_PENDING: 'ignored',
  ACK_SERVER: 'sent',
  ACK_DEVICE: 'delivered',
  ACK_READ: 'read',
  // A voice note or video played: it was read, and our statuses stop there.
  ACK_PLAYED: 'read',
} as const satisfies Record<MessageAckName, DeliveryStatus | 'ignored'>;

const rawDataSchema = z
  .object({
    notifyName: z.string().optional(),
    mimetype: z.string().optional(),
    filename: z.string().optional(),
    size: z.number().optional(),
    isViewOnce: z.boolean().optional(),
    // Reaction messages point at the message they react to.
    parentMsgKey: z.union([z.string(), z.object({ _serialized: z.string() })]).optional(),
  })
  .loose()
  .catch({});

const MEDIA_TYPES: Record<string, Extract<InboundContent, { attachments: unknown }>['type']> = {
  image: 'image',
  sticker: 'image',
  video: 'video',
  audio: 'audio',
  ptt: 'audio',
  document: 'file',
};

/** A private chat with a person (not a group, a status update, a channel or a broadcast). */
export function isCitizenChat(msg: Pick<WwebjsMessageLike, 'from' | 'fromMe' | 'isStatus'>, acceptGroups = false): boolean {
  if (msg.fromMe || msg.isStatus) return false;
  return /@(?:c\.us|lid)$/.test(msg.from) || (acceptGroups && msg.from.endsWith('@g.us'));
}

/** Maps one received library Message to our inbound event; unknown types are kept whole. */
export function fromLibraryMessage(msg: WwebjsMessageLike): InboundMessageEvent {
  const data = rawDataSchema.parse(msg._data);
  const user = msg.from.split('@')[0] ?? '';
  return {
    type: 'message',
    providerMessageId: msg.id._serialized,
    occurredAt: isoFromUnix(msg.timestamp),
    contact: {
      // `@c.us` ids are phone numbers (a Mexican mobile as 521…, which the hub normalises);
      // `@lid` ids hide the number, so the channel-scoped id is all we get.
      ...(msg.from.endsWith('@c.us') && /^\d{5,20}$/.test(user) ? { phone: `+${user}` } : {}),
      externalId: msg.from,
      ...(data.notifyName ? { name: data.notifyName.slice(0, 200) } : {}),
    },
    content: contentOf(msg, data),
  };
}

function contentOf(msg: WwebjsMessageLike, data: z.infer<typeof rawDataSchema>): InboundContent {
  const unsupported = (): InboundContent => ({ type: 'unsupported', providerType: msg.type.slice(0, 100), raw: { body: msg.body, data: msg._data } });
  const mediaType = MEDIA_TYPES[msg.type];
  if (mediaType) {
    // A view-once or expired message has no directPath: nothing to download, keep it whole.
    if (!msg.hasMedia) return unsupported();
    const caption = msg.body.trim();
    return {
      type: mediaType,
      attachments: [
        {
          mediaRef: msg.id._serialized,
          ...(data.filename ? { filename: data.filename.slice(0, 255) } : {}),
          ...(data.mimetype ? { mimeType: data.mimetype.slice(0, 127) } : {}),
          ...(data.size !== undefined && Number.isInteger(data.size) && data.size >= 0 ? { size: data.size } : {}),
          ...(caption ? { caption: caption.slice(0, 4096) } : {}),
        },
      ],
      ...(caption ? { text: caption } : {}),
    };
  }
  switch (msg.type) {
    case 'chat':
      return msg.body ? { type: 'text', text: msg.body.slice(0, 20_000) } : unsupported();
    case 'location': {
      const latitude = Number(msg.location?.latitude);
      const longitude = Number(msg.location?.longitude);
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return unsupported();
      const name = msg.location?.description;
      return { type: 'location', latitude, longitude, ...(name ? { name: name.slice(0, 500) } : {}) };
    }
    case 'vcard':
    case 'multi_vcard':
      return msg.vCards.length > 0 ? { type: 'contacts', contacts: msg.vCards.slice(0, 20).map(parseVCard) } : unsupported();
    case 'buttons_response':
    case 'template_button_reply':
      return msg.selectedButtonId ? { type: 'interactive', replyId: msg.selectedButtonId.slice(0, 256), text: (msg.body || msg.selectedButtonId).slice(0, 4096) } : unsupported();
    case 'list_response':
      return msg.selectedRowId ? { type: 'interactive', replyId: msg.selectedRowId.slice(0, 256), text: (msg.body || msg.selectedRowId).slice(0, 4096) } : unsupported();
    case 'reaction': {
      const target = typeof data.parentMsgKey === 'string' ? data.parentMsgKey : data.parentMsgKey?._serialized;
      return target ? { type: 'reaction', emoji: msg.body.slice(0, 32), targetProviderMessageId: target.slice(0, 255) } : unsupported();
    }
    default:
      return unsupported();
  }
}

/** The library's `message_reaction` event (how reactions normally arrive) as a reaction message. */
export function fromLibraryReaction(reaction: WwebjsReactionLike): InboundMessageEvent {
  const user = reaction.senderId.split('@')[0] ?? '';
  return {
    type: 'message',
    providerMessageId: reaction.id._serialized,
    occurredAt: isoFromUnix(reaction.timestamp),
    contact: { ...(reaction.senderId.endsWith('@c.us') && /^\d{5,20}$/.test(user) ? { phone: `+${user}` } : {}), externalId: reaction.senderId },
    content: { type: 'reaction', emoji: reaction.reaction.slice(0, 32), targetProviderMessageId: reaction.msgId._serialized.slice(0, 255) },
  };
}

/** The ack's documented name, or null for a number the library does not define. */
export function ackName(ack: number): MessageAckName | null {
  return ACK_NAMES.find((name) => MESSAGE_ACK[name] === ack) ?? null;
}

const ACK_NAMES: readonly MessageAckName[] = ['ACK_ERROR', 'ACK_PENDING', 'ACK_SERVER', 'ACK_DEVICE', 'ACK_READ', 'ACK_PLAYED'];

/**
 * A `message_ack` event on one of OUR messages as a status event; null when the ack means
 * nothing to the hub (PENDING, an unknown number, or an ack of a message the citizen sent).
 */
export function fromAck(msg: Pick<WwebjsMessageLike, 'id' | 'fromMe'>, ack: number, now: Date = new Date()): InboundStatusEvent | null {
  if (!msg.fromMe) return null;
  const name = ackName(ack);
  if (!name) return null;
  const status = WWEBJS_ACK_STATUSES[name];
  if (status === 'ignored') return null;
  return {
    type: 'status',
    providerMessageId: msg.id._serialized,
    occurredAt: now.toISOString(),
    status,
    ...(status === 'failed' ? { error: { code: 'ack_error', reason: 'WhatsApp no pudo entregar el mensaje / WhatsApp reported a delivery error (ACK_ERROR)' } } : {}),
  };
}

function isoFromUnix(value: number): string {
  if (!Number.isFinite(value) || value <= 0) return new Date().toISOString();
  // Reactions carry milliseconds, messages seconds. Past year 275760 Date is invalid and
  // toISOString would throw: such a time is as good as none.
  const date = new Date(value > 1e12 ? value : value * 1000);
  return Number.isNaN(date.getTime()) ? new Date().toISOString() : date.toISOString();
}
