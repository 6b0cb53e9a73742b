import type { ChannelAdapter, ChannelSecrets, HandshakeReply, RawRequest, SendContext, SendResult } from '../core/channel-adapter.js';
import { DecodeError } from '../core/channel-adapter.js';
import type { InboundEvent } from '../core/inbound-event.js';
import type { OutboundMessage } from '../core/outbound-message.js';
import { xChannelSettingsSchema, xEncodedDmSchema, xProblemSchema, xSendReplySchema, type XChannelSettings, type XEncodedDm } from './x-channel.schema.js';
import { decodeXWebhook } from './x-decode.js';
import { verifyXSignature, xSignature, X_SIGNATURE_HEADER } from './x-signature.js';

/** X's limit for one direct message (v2 `POST /2/dm_conversations/with/:participant_id/messages`). */
export const X_MAX_DM_LENGTH = 10_000;

/**
 * X (Twitter) direct messages: the Account Activity API webhook in (CRC handshake, base64
 * HMAC-SHA256 signatures with the app's consumer secret), X API v2 DMs out with an OAuth 2.0
 * user-context bearer token of the business account.
 */
export const xChannelAdapter: ChannelAdapter<XChannelSettings> = {
  kind: 'x',
  ingress: 'webhook',
  displayName: 'X (Twitter)',
  capabilities: {
    text: true,
    // Sending media needs an upload through the v1.1/v2 media endpoints with OAuth 1.0a and
    // receiving it a user-context download from ton.twitter.com: neither works with the
    // OAuth 2 token this channel holds, so files are refused before encoding.
    media: false,
    location: false,
    interactive: false,
    templates: false,
    // X reports no delivery, only the reader's mark-read.
    deliveryReceipts: false,
    readReceipts: true,
    maxTextLength: X_MAX_DM_LENGTH,
  },
  settingsSchema: xChannelSettingsSchema,
  secretNames: ['consumerSecret', 'userAccessToken'],
  secretSource: 'provided',
  // X has no per-message status words: a read arrives as an activity of its own, so the
  // activity names are the words (no delivery report exists at all).
  providerStatuses: { direct_message_mark_read_events: 'read', direct_message_indicate_typing_events: 'ignored' },

  handshake(request: RawRequest, _settings: XChannelSettings, secrets: ChannelSecrets): HandshakeReply | null {
    const token = new URL(request.url, 'http://localhost').searchParams.get('crc_token');
    const secret = secrets['consumerSecret'];
    // Without the secret the only honest answer is none: a wrong token would mark the webhook invalid anyway.
    if (!token || !secret) return null;
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ response_token: xSignature(secret, token) }) };
  },

  verifyRequest(request: RawRequest, _settings: XChannelSettings, secrets: ChannelSecrets) {
    const secret = secrets['consumerSecret'];
    if (!secret) return { ok: false, reason: 'channel has no consumer secret' };
    const header = request.headers[X_SIGNATURE_HEADER];
    if (header === undefined) return { ok: false, reason: `missing ${X_SIGNATURE_HEADER} header` };
    return verifyXSignature(secret, request.body, header) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
  },

  decodeInbound(request: RawRequest, settings: XChannelSettings): InboundEvent[] {
    let json: unknown;
    try {
      json = JSON.parse(request.body.toString('utf8'));
    } catch {
      throw new DecodeError('body is not valid JSON');
    }
    return decodeXWebhook(json, settings.accountId);
  },

  encodeOutbound(message: OutboundMessage) {
    const content = message.content;
    // Only text is declared; the other kinds keep whatever text they carry and send refuses an empty one.
    const text = content.type === 'text' || content.type === 'interactive' ? content.text : (content.text ?? '');
    const body: XEncodedDm = { participantId: message.to.externalId && /^\d{1,20}$/.test(message.to.externalId) ? message.to.externalId : null, payload: { text } };
    return { body };
  },

  async send(encoded, settings, secrets, context: SendContext): Promise<SendResult> {
    const parsed = xEncodedDmSchema.safeParse(encoded.body);
    if (!parsed.success) return { ok: false, retryable: false, code: 'encoding_invalid', reason: parsed.error.message.slice(0, 500) };
    const { participantId, payload } = parsed.data;
    if (!participantId) return { ok: false, retryable: false, code: 'invalid_recipient', reason: 'the contact has no X user id on this channel' };
    if (!payload.text.trim()) return { ok: false, retryable: false, code: 'capability_missing', reason: 'X direct messages carry text only' };
    const token = secrets['userAccessToken'];
    if (!token) return { ok: false, retryable: false, code: 'no_access_token', reason: 'channel has no userAccessToken' };

    const url = `${settings.apiBaseUrl.replace(/\/+$/, '')}/2/dm_conversations/with/${participantId}/messages`;
    let response: Response;
    try {
      response = await context.fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: context.signal ?? AbortSignal.timeout(settings.sendTimeoutMs),
      });
    } catch (error) {
      return { ok: false, retryable: true, code: 'network_error', reason: error instanceof Error ? error.message : String(error) };
    }
    const text = await response.text().catch(() => '');
    if (response.ok) {
      const reply = xSendReplySchema.safeParse(safeJson(text));
      // Accepted but unreadable: X has the DM, so retrying would send it twice.
      if (!reply.success) return { ok: false, retryable: false, code: 'provider_reply_invalid', reason: text.slice(0, 500) || response.statusText };
      return { ok: true, providerMessageId: reply.data.data.dm_event_id };
    }
    const reason = problemDetail(text) || response.statusText || `HTTP ${response.status}`;
    switch (response.status) {
      case 401:
        return { ok: false, retryable: false, code: 'provider_auth_failed', reason };
      case 403:
        // X answers 403 when the citizen does not accept DMs from the account or blocked it.
        return { ok: false, retryable: false, code: 'recipient_blocked', reason };
      case 429:
        return { ok: false, retryable: true, code: 'rate_limited', reason };
      default:
        return { ok: false, retryable: response.status === 408 || response.status >= 500, code: `http_${response.status}`, reason };
    }
  },
};

/** X v2 errors are RFC 7807-like (`title`, `detail`) or `{ errors: [{ message }] }`. */
function problemDetail(text: string): string {
  const json = safeJson(text);
  const parsed = xProblemSchema.safeParse(json);
  if (!parsed.success) return text.slice(0, 500);
  const { detail, title, errors } = parsed.data;
  return (detail ?? errors?.map((e) => e.message).join('; ') ?? title ?? text).slice(0, 500);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
