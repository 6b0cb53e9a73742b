import type { z } from 'zod';
import type { RawRequest } from '../core/channel-adapter.js';
import { DecodeError } from '../core/channel-adapter.js';
import type { InboundContent, InboundEvent } from '../core/inbound-event.js';
import {
  metaDeliverySchema,
  metaMessageSchema,
  metaPostbackSchema,
  metaReactionSchema,
  metaReadSchema,
  metaWebhookBodySchema,
  type MetaAttachment,
  type MetaChannelSettings,
  type MetaMessage,
  type MetaMessaging,
} from './meta-channel.schema.js';
import { metaContactId, type MetaNetwork } from './meta-recipient.js';

type MediaType = 'image' | 'video' | 'audio' | 'file';

/** Keys of a messaging item that are not the event itself. */
const ENVELOPE_KEYS = new Set(['sender', 'recipient', 'timestamp']);

/**
 * Meta webhook body → events, routed by `object`: `page` is Messenger, `instagram` is Instagram
 * Direct. Meta posts every Page/account the app is subscribed to at the same app-level URL, so
 * entries for a Page or account that is not this channel's are skipped, not mixed in.
 */
export function decodeMetaWebhook(request: RawRequest, settings: MetaChannelSettings): InboundEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new DecodeError('body is not valid JSON');
  }
  const parsed = metaWebhookBodySchema.safeParse(json);
  if (!parsed.success) {
    throw new DecodeError('body is not a Meta webhook', parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`));
  }
  const network = networkOf(parsed.data.object);
  const ownId = network === 'messenger' ? settings.pageId : settings.instagramAccountId;
  const events: InboundEvent[] = [];
  for (const entry of parsed.data.entry) {
    if (entry.id !== ownId) continue;
    for (const item of entry.messaging ?? []) events.push(...decodeMessaging(item, network, entry.time));
  }
  return events;
}

function networkOf(object: string): MetaNetwork {
  if (object === 'page') return 'messenger';
  if (object === 'instagram') return 'instagram';
  throw new DecodeError(`object "${object}" is not Messenger ("page") nor Instagram ("instagram")`, [`object: unexpected value ${object}`]);
}

function decodeMessaging(item: MetaMessaging, network: MetaNetwork, entryTime: number | undefined): InboundEvent[] {
  // A time past Date's range (year 275760) would make toISOString throw: take it as absent.
  const when = new Date(item.timestamp ?? entryTime ?? Date.now());
  const occurredAt = (Number.isNaN(when.getTime()) ? new Date() : when).toISOString();
  const senderId = item.sender?.id;
  if ('delivery' in item) {
    // `mids` is absent for older Messenger clients: a watermark alone names no message of ours.
    const delivery = parseField(metaDeliverySchema, item['delivery'], 'delivery');
    return (delivery.mids ?? []).map((mid) => ({ type: 'status', providerMessageId: mid, occurredAt, status: 'delivered' }));
  }
  if ('read' in item) {
    // Instagram's messaging_seen names the message; Messenger's watermark does not (see README).
    const read = parseField(metaReadSchema, item['read'], 'read');
    return read.mid ? [{ type: 'status', providerMessageId: read.mid, occurredAt, status: 'read' }] : [];
  }
  if (!senderId) return [];
  const contact = { externalId: metaContactId(network, senderId) };
  if ('message' in item) {
    const message = parseField(metaMessageSchema, item['message'], 'message');
    // Echoes are our own sends (and the Page's from other tools): never a citizen message.
    if (message.is_echo) return [];
    return [{ type: 'message', providerMessageId: message.mid, occurredAt, contact, content: messageContent(message) }];
  }
  if ('postback' in item) {
    const postback = parseField(metaPostbackSchema, item['postback'], 'postback');
    return [
      {
        type: 'message',
        providerMessageId: postback.mid ?? `postback:${senderId}:${item.timestamp ?? occurredAt}`,
        occurredAt,
        contact,
        content: { type: 'interactive', replyId: postback.payload.slice(0, 256), text: (postback.title || postback.payload).slice(0, 4096) },
      },
    ];
  }
  if ('reaction' in item) {
    const reaction = parseField(metaReactionSchema, item['reaction'], 'reaction');
    return [
      {
        type: 'message',
        providerMessageId: `reaction:${reaction.mid}:${senderId}:${item.timestamp ?? occurredAt}`,
        occurredAt,
        contact,
        content: { type: 'reaction', emoji: reaction.action === 'unreact' ? '' : (reaction.emoji ?? reaction.reaction ?? ''), targetProviderMessageId: reaction.mid },
      },
    ];
  }
  // optin, referral, account_linking, handover…: kept whole (CONVENTIONS 12).
  const providerType = Object.keys(item).find((k) => !ENVELOPE_KEYS.has(k)) ?? 'unknown';
  return [
    {
      type: 'message',
      providerMessageId: `${providerType}:${senderId}:${item.timestamp ?? occurredAt}`.slice(0, 255),
      occurredAt,
      contact,
      content: { type: 'unsupported', providerType: providerType.slice(0, 100), raw: item },
    },
  ];
}

function messageContent(message: MetaMessage): InboundContent {
  if (message.quick_reply && message.text) {
    // Meta allows longer texts and payloads than an interactive reply carries (4096 / 256).
    return { type: 'interactive', replyId: message.quick_reply.payload.slice(0, 256), text: message.text.slice(0, 4096) };
  }
  const attachments = message.attachments ?? [];
  if (attachments.length > 0) {
    const media = attachments.map(mediaOf);
    if (media.some((m) => m === null)) {
      return { type: 'unsupported', providerType: `attachment:${attachments.map((a) => a.type).join(',')}`.slice(0, 100), raw: message };
    }
    const items = media.filter((m): m is NonNullable<typeof m> => m !== null);
    const types = new Set(items.map((m) => m.type));
    const [only] = types;
    return {
      type: types.size === 1 && only ? only : 'file',
      // Messenger and Instagram CDN URLs are public (signed) for a while: the hub keeps the link.
      attachments: items.map((m) => ({ url: m.url })),
      ...(message.text ? { text: message.text } : {}),
    };
  }
  if (message.text) return { type: 'text', text: message.text };
  return { type: 'unsupported', providerType: message.is_deleted ? 'message_deleted' : 'message', raw: message };
}

function mediaOf(attachment: MetaAttachment): { type: MediaType; url: string } | null {
  const type = mediaType(attachment.type);
  const url = attachment.payload?.url;
  // Over 2000 characters it would not fit an attachment's mediaRef: kept whole as unsupported.
  if (!type || !url || url.length > 2000 || !URL.canParse(url)) return null;
  return { type, url };
}

/** Attachment types we can show as files; the rest (fallback, template, sticker, reels, shares, story mentions…) stay whole. */
function mediaType(type: string): MediaType | undefined {
  switch (type) {
    case 'image':
    case 'video':
    case 'audio':
    case 'file':
      return type;
    default:
      return undefined;
  }
}

function parseField<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new DecodeError(`${field} event is malformed`, result.error.issues.map((i) => `${field}.${i.path.map(String).join('.')}: ${i.message}`));
}
