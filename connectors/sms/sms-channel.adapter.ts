import twilio from 'twilio';
import { z } from 'zod';
import type { ChannelAdapter, ChannelSecrets, FetchedMedia, RawRequest, SendContext, SendResult } from '../core/channel-adapter.js';
import { DecodeError } from '../core/channel-adapter.js';
import type { InboundContent, InboundEvent } from '../core/inbound-event.js';
import type { OutboundMessage } from '../core/outbound-message.js';
import { smsChannelSettingsSchema, twilioWebhookSchema, type SmsChannelSettings, type TwilioWebhook } from './sms-channel.schema.js';
import { smsKeywordOf } from './sms-keywords.js';
import { TwilioBaseUrlClient } from './twilio-base-url-client.js';
import { isTwilioStatus, normaliseTwilioError, twilioReason, TWILIO_STATUSES } from './twilio-errors.js';

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';
const SEND_TIMEOUT_MS = 15_000;

/** What `encodeOutbound` builds: the fields of Twilio's Message create, already chosen. */
export const smsOutboundSchema = z.object({
  to: z.string(),
  body: z.string(),
  mediaUrl: z.array(z.string()),
  from: z.string().optional(),
  messagingServiceSid: z.string().optional(),
});
export type SmsOutbound = z.infer<typeof smsOutboundSchema>;

/**
 * SMS/MMS through Twilio (issue 6 item 4): Twilio posts form-encoded webhooks signed with
 * X-Twilio-Signature (HMAC-SHA1 of the public URL + sorted params, checked by the SDK's
 * `validateRequest`), and we send with the SDK's REST client.
 */
export const smsChannelAdapter: ChannelAdapter<SmsChannelSettings> = {
  kind: 'sms',
  ingress: 'webhook',
  displayName: 'SMS (Twilio)',
  capabilities: {
    text: true,
    media: true,
    location: false,
    interactive: false,
    templates: false,
    deliveryReceipts: true,
    readReceipts: false,
    // Twilio concatenates up to 1,600 characters into one message (segments of 153/67).
    maxTextLength: 1600,
  },
  settingsSchema: smsChannelSettingsSchema,
  secretNames: ['authToken'],
  secretSource: 'provided',
  providerStatuses: TWILIO_STATUSES,

  verifyRequest(request: RawRequest, settings: SmsChannelSettings, secrets: ChannelSecrets) {
    const token = secrets['authToken'];
    if (!token) return { ok: false, reason: 'channel has no Twilio auth token' };
    const signature = request.headers[TWILIO_SIGNATURE_HEADER];
    if (typeof signature !== 'string' || signature === '') return { ok: false, reason: `missing ${TWILIO_SIGNATURE_HEADER} header` };
    const url = publicUrl(request, settings);
    return twilio.validateRequest(token, signature, url, formParams(request.body)) ? { ok: true } : { ok: false, reason: `signature mismatch for ${url}` };
  },

  decodeInbound(request: RawRequest): InboundEvent[] {
    const params = formParams(request.body);
    const parsed = twilioWebhookSchema.safeParse(flat(params));
    if (!parsed.success) {
      throw new DecodeError(
        'body is not a Twilio messaging webhook',
        parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
      );
    }
    const hook = parsed.data;
    const now = new Date().toISOString();
    const word = hook.MessageStatus?.toLowerCase();
    if (word !== undefined && word !== 'received') return decodeStatus(hook, word, now);
    // contact.phone is 3–32 characters (inboundEventSchema): a longer or shorter From would be
    // acknowledged here and then refused by the ingest job, so it is refused up front (400).
    if (!hook.From) throw new DecodeError('incoming message without From', ['From: required']);
    if (hook.From.length < 3 || hook.From.length > 32) throw new DecodeError('incoming message with an invalid From', ['From: 3 to 32 characters']);
    return [
      {
        type: 'message',
        providerMessageId: hook.MessageSid,
        occurredAt: now,
        contact: { phone: hook.From, ...(hook.ProfileName ? { name: hook.ProfileName } : {}) },
        content: decodeContent(hook, flat(params)),
      },
    ];
  },

  encodeOutbound(message: OutboundMessage, settings: SmsChannelSettings) {
    const content = message.content;
    // Interactive and template content never reach here (capabilities, assertEncodable); their text would.
    const text = content.text ?? '';
    const mediaUrl = 'attachments' in content ? content.attachments.flatMap((a) => (a.url ? [a.url] : [])) : [];
    const body: SmsOutbound = {
      to: message.to.phone ?? '',
      body: text,
      mediaUrl,
      // A Messaging Service picks the sender from its pool; a bare number sends as itself.
      ...(settings.messagingServiceSid ? { messagingServiceSid: settings.messagingServiceSid } : { from: settings.from }),
    };
    return { body };
  },

  async send(encoded, settings, secrets, context: SendContext): Promise<SendResult> {
    const token = secrets['authToken'];
    if (!token) return { ok: false, retryable: false, code: 'no_secret', reason: 'channel has no Twilio auth token' };
    const parsed = smsOutboundSchema.safeParse(encoded.body);
    if (!parsed.success) return { ok: false, retryable: false, code: 'invalid_message', reason: parsed.error.message };
    const out = parsed.data;
    if (!out.to) return { ok: false, retryable: false, code: 'invalid_phone', reason: 'the contact has no phone number' };
    if (!out.body && out.mediaUrl.length === 0) return { ok: false, retryable: false, code: 'media_rejected', reason: 'nothing to send: no text and no public media URL' };
    const statusCallback = settings.statusCallback && settings.webhookBaseUrl && context.channelId ? smsWebhookUrl(settings.webhookBaseUrl, context.channelId) : undefined;
    return sendTwilioMessage(settings, token, out, statusCallback);
  },

  async fetchMedia(mediaRef, settings, secrets, context): Promise<FetchedMedia | null> {
    const token = secrets['authToken'];
    if (!token) throw new Error('channel has no Twilio auth token');
    if (!/^https?:\/\//.test(mediaRef)) throw new Error('MediaUrl is not an http(s) URL');
    // Twilio serves media with HTTP basic auth of the account (when "enforce HTTP auth on media"
    // is on) and redirects to a signed storage URL; fetch drops Authorization across origins.
    const response = await context.fetch(mediaRef, {
      headers: { authorization: basicAuth(settings.accountSid, token) },
      ...(context.signal ? { signal: context.signal } : {}),
    });
    if (!response.ok) throw new Error(`Twilio media ${response.status}`);
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > context.maxBytes) {
      await response.body?.cancel();
      return null;
    }
    const content = await readCapped(response, context.maxBytes);
    if (!content) return null;
    return { content, mimeType: response.headers.get('content-type')?.split(';')[0]?.trim() || 'application/octet-stream' };
  },
};

/** The webhook URL of a channel under a public base: also the StatusCallback of its sends. */
export function smsWebhookUrl(baseUrl: string, channelId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/webhooks/sms/${channelId}`;
}

/** One Message create through the SDK (agent replies and mass SMS), errors normalised. */
export async function sendTwilioMessage(
  settings: SmsChannelSettings,
  authToken: string,
  out: SmsOutbound,
  statusCallback: string | undefined,
): Promise<SendResult> {
  const client = twilio(settings.accountSid, authToken, { httpClient: new TwilioBaseUrlClient(settings.apiBaseUrl, SEND_TIMEOUT_MS), autoRetry: false });
  try {
    const created = await client.messages.create({
      to: out.to,
      ...(out.body ? { body: out.body } : {}),
      ...(out.mediaUrl.length > 0 ? { mediaUrl: out.mediaUrl } : {}),
      ...(out.messagingServiceSid ? { messagingServiceSid: out.messagingServiceSid } : { from: out.from ?? '' }),
      ...(statusCallback ? { statusCallback } : {}),
    });
    return { ok: true, providerMessageId: created.sid };
  } catch (error) {
    return classifySendError(error);
  }
}

/** Twilio's REST errors: which ones another attempt can cure. */
export function classifySendError(error: unknown): SendResult & { ok: false } {
  if (error instanceof twilio.RestException) {
    const code = error.code === undefined ? '' : String(error.code);
    const reason = twilioReason(code || `HTTP ${error.status}`, error.message);
    if (code === '20429' || error.status === 429) return { ok: false, retryable: true, code: 'rate_limited', reason };
    if (error.status >= 500) return { ok: false, retryable: true, code: `http_${error.status}`, reason };
    if (error.status === 401) return { ok: false, retryable: false, code: 'provider_auth_failed', reason };
    return { ok: false, retryable: false, code: code ? normaliseTwilioError(code) : `http_${error.status}`, reason };
  }
  return { ok: false, retryable: true, code: 'network_error', reason: error instanceof Error ? error.message : String(error) };
}

function decodeStatus(hook: TwilioWebhook, word: string, occurredAt: string): InboundEvent[] {
  // An undocumented word cannot move a message anywhere: no event (the request is still acked).
  if (!isTwilioStatus(word)) return [];
  const status = TWILIO_STATUSES[word];
  if (status === 'ignored') return [];
  const errorCode = hook.ErrorCode && hook.ErrorCode !== '0' ? hook.ErrorCode : undefined;
  const error =
    status === 'failed'
      ? errorCode
        ? { code: normaliseTwilioError(errorCode), reason: twilioReason(errorCode, hook.ErrorMessage) }
        : { code: `twilio_${word}`, reason: word }
      : undefined;
  return [{ type: 'status', providerMessageId: hook.MessageSid, occurredAt, status, ...(error ? { error } : {}) }];
}

function decodeContent(hook: TwilioWebhook, params: Record<string, string>): InboundContent {
  const count = hook.NumMedia ?? 0;
  const text = hook.Body?.trim() ? hook.Body : undefined;
  if (count > 0) {
    const attachments = Array.from({ length: count }, (_, i) => {
      const url = params[`MediaUrl${i}`];
      if (!url) throw new DecodeError(`NumMedia is ${count} but MediaUrl${i} is missing`, [`MediaUrl${i}: required`]);
      // Twilio's media URLs are short; one that would not fit an attachment's mediaRef is malformed.
      if (url.length > 2000) throw new DecodeError(`MediaUrl${i} is longer than 2000 characters`, [`MediaUrl${i}: too long`]);
      const mimeType = params[`MediaContentType${i}`];
      return { mediaRef: url, ...(mimeType ? { mimeType: mimeType.slice(0, 127) } : {}) };
    });
    return { type: mediaType(attachments[0]?.mimeType), attachments, ...(text ? { text } : {}) };
  }
  if (text) {
    // SÍ / NO answers are kept as a choice so a later flow (appointments) can act on them.
    const keyword = smsKeywordOf(text);
    if (keyword === 'yes' || keyword === 'no') return { type: 'interactive', replyId: keyword, text };
    return { type: 'text', text };
  }
  return { type: 'unsupported', providerType: (params['MessageType'] ?? 'empty').slice(0, 100), raw: params };
}

function mediaType(mime: string | undefined): 'image' | 'audio' | 'video' | 'file' {
  const major = mime?.split('/')[0];
  return major === 'image' || major === 'audio' || major === 'video' ? major : 'file';
}

/**
 * Twilio signs the URL it called. Scheme, host and port come from the channel's public base
 * URL when set (behind a proxy the hub does not see them), else from the request itself.
 */
function publicUrl(request: RawRequest, settings: SmsChannelSettings): string {
  if (settings.webhookBaseUrl) return `${new URL(settings.webhookBaseUrl).origin}${request.url}`;
  const proto = header(request, 'x-forwarded-proto')?.split(',')[0]?.trim() || 'http';
  const host = header(request, 'x-forwarded-host') ?? header(request, 'host') ?? 'localhost';
  return `${proto}://${host}${request.url}`;
}

function header(request: RawRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Form fields as the signature algorithm takes them: a repeated key becomes a list. */
function formParams(body: Buffer): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
    const seen = out[key];
    out[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}

function flat(params: Record<string, string | string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? '') : v]));
}

function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

async function readCapped(response: Response, maxBytes: number): Promise<Buffer | null> {
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
