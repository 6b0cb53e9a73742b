import { timingSafeEqual } from 'node:crypto';
import type { ChannelAdapter, ChannelSecrets, HandshakeReply, RawRequest } from '../core/channel-adapter.js';
import type { DeliveryStatus } from '../core/inbound-event.js';
import type { OutboundMessage } from '../core/outbound-message.js';
import { verifyBodySignature } from '../core/signature.js';
import { metaChannelSettingsSchema, type MetaChannelSettings } from './meta-channel.schema.js';
import { decodeMetaWebhook } from './meta-decode.js';
import { encodeMetaOutbound, META_STANDARD_WINDOW_HOURS, metaWindowHours } from './meta-encode.js';
import { sendMeta } from './meta-send.js';

export const META_SIGNATURE_HEADER = 'x-hub-signature-256';

/**
 * The Meta adapter with the contract's optional `windowHours` made required: its
 * customer-service window depends on the channel's settings (the HUMAN_AGENT tag) and on who answers.
 */
export interface MetaChannelAdapter extends ChannelAdapter<MetaChannelSettings> {
  windowHours(settings: MetaChannelSettings, sender: OutboundMessage['sender']['type']): number;
}

/**
 * Messenger and Instagram Direct through one Meta webhook: `object: "page"` events come from
 * the Page's Messenger inbox, `object: "instagram"` from its linked Instagram account.
 */
export const metaChannelAdapter: MetaChannelAdapter = {
  kind: 'meta',
  ingress: 'webhook',
  displayName: 'Messenger / Instagram',
  capabilities: {
    text: true,
    media: true,
    location: false,
    interactive: true,
    templates: false,
    deliveryReceipts: true,
    readReceipts: true,
    maxTextLength: 2000,
    customerServiceWindowHours: META_STANDARD_WINDOW_HOURS,
  },
  settingsSchema: metaChannelSettingsSchema,
  secretNames: ['pageAccessToken', 'appSecret', 'verifyToken'],
  secretSource: 'provided',
  // Meta has no status words: receipts are event keys, `delivery` (Messenger) and `read` (Messenger
  // `message_reads`, Instagram `messaging_seen`); a Messenger read names no mid (see README).
  providerStatuses: { delivery: 'delivered', read: 'read' } satisfies Record<string, DeliveryStatus>,

  windowHours: metaWindowHours,

  handshake(request: RawRequest, _settings: MetaChannelSettings, secrets: ChannelSecrets): HandshakeReply | null {
    const query = new URL(request.url, 'http://localhost').searchParams;
    const mode = query.get('hub.mode');
    if (mode === null) return null;
    const expected = secrets['verifyToken'];
    const given = query.get('hub.verify_token') ?? '';
    const challenge = query.get('hub.challenge') ?? '';
    // Echo only a plain token: the challenge is reflected verbatim into our response.
    if (mode !== 'subscribe' || !expected || !sameSecret(given, expected) || !/^[\w-]{1,200}$/.test(challenge)) {
      return { status: 403, contentType: 'text/plain; charset=utf-8', body: 'Verificación rechazada / verification refused' };
    }
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: challenge };
  },

  verifyRequest(request: RawRequest, _settings: MetaChannelSettings, secrets: ChannelSecrets) {
    const secret = secrets['appSecret'];
    if (!secret) return { ok: false, reason: 'channel has no appSecret' };
    const header = request.headers[META_SIGNATURE_HEADER];
    if (header === undefined) return { ok: false, reason: `missing ${META_SIGNATURE_HEADER} header` };
    return verifyBodySignature(secret, request.body, header) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
  },

  decodeInbound: decodeMetaWebhook,

  encodeOutbound(message: OutboundMessage, settings: MetaChannelSettings) {
    return { body: encodeMetaOutbound(message, settings) };
  },

  send: sendMeta,
};

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
