import { timingSafeEqual } from 'node:crypto';
import type { ChannelAdapter, ChannelSecrets, HandshakeReply, RawRequest } from '../core/channel-adapter.js';
import { verifyBodySignature } from '../core/signature.js';
import { whatsappChannelSettingsSchema, WHATSAPP_SECRET_NAMES, type WhatsAppChannelSettings } from './whatsapp-channel.schema.js';
import { decodeWhatsAppWebhook } from './whatsapp-decode.js';
import { encodeWhatsAppMessage } from './whatsapp-encode.js';
import { WHATSAPP_PROVIDER_STATUSES } from './whatsapp-errors.js';
import { fetchWhatsAppMedia, sendWhatsAppMessages } from './whatsapp-graph.js';

/** Meta signs every webhook POST: `sha256=` + hex HMAC-SHA256 of the raw body with the app secret. */
export const WHATSAPP_SIGNATURE_HEADER = 'x-hub-signature-256';

/** Meta's challenge is a number; anything else is not echoed back. */
const CHALLENGE = /^[A-Za-z0-9_.-]{1,256}$/;

/**
 * WhatsApp Business Platform, Cloud API: one business number (`phoneNumberId`) served by many
 * agents. Webhooks from Meta, replies through the Graph API, media fetched by id.
 */
export const whatsappChannelAdapter: ChannelAdapter<WhatsAppChannelSettings> = {
  kind: 'whatsapp',
  displayName: 'WhatsApp',
  ingress: 'webhook',
  capabilities: {
    text: true,
    media: true,
    location: true,
    interactive: true,
    templates: true,
    deliveryReceipts: true,
    readReceipts: true,
    maxTextLength: 4096,
    customerServiceWindowHours: 24,
    maxSendsPerSecond: 80,
  },
  settingsSchema: whatsappChannelSettingsSchema,
  secretNames: WHATSAPP_SECRET_NAMES,
  secretSource: 'provided',
  providerStatuses: WHATSAPP_PROVIDER_STATUSES,

  /** Subscribing the callback URL: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`. */
  handshake(request: RawRequest, _settings: WhatsAppChannelSettings, secrets: ChannelSecrets): HandshakeReply {
    const query = new URL(request.url, 'http://hub.invalid').searchParams;
    const challenge = query.get('hub.challenge') ?? '';
    const ok = query.get('hub.mode') === 'subscribe' && sameSecret(secrets['verifyToken'], query.get('hub.verify_token')) && CHALLENGE.test(challenge);
    return ok
      ? { status: 200, contentType: 'text/plain; charset=utf-8', body: challenge }
      : { status: 403, contentType: 'text/plain; charset=utf-8', body: 'Verificación rechazada / verification refused' };
  },

  verifyRequest(request: RawRequest, _settings: WhatsAppChannelSettings, secrets: ChannelSecrets) {
    const secret = secrets['appSecret'];
    if (!secret) return { ok: false, reason: 'channel has no app secret' };
    const header = request.headers[WHATSAPP_SIGNATURE_HEADER];
    if (header === undefined) return { ok: false, reason: `missing ${WHATSAPP_SIGNATURE_HEADER} header` };
    return verifyBodySignature(secret, request.body, header) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
  },

  decodeInbound: decodeWhatsAppWebhook,

  encodeOutbound(message) {
    return { body: encodeWhatsAppMessage(message) };
  },

  send: sendWhatsAppMessages,
  fetchMedia: fetchWhatsAppMedia,
};

/** Timing-safe; a missing or empty token on either side never matches (fail closed). */
function sameSecret(expected: string | undefined, given: string | null): boolean {
  if (!expected || !given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
