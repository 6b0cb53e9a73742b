import type { ChannelAdapter, ChannelSecrets, RawRequest, SendContext, SendResult } from '../core/channel-adapter.js';
import { DecodeError } from '../core/channel-adapter.js';
import type { InboundContent, InboundEvent } from '../core/inbound-event.js';
import type { OutboundMessage } from '../core/outbound-message.js';
import { signBody, verifyBodySignature } from '../core/signature.js';
import {
  apiChannelSettingsSchema,
  apiBatchBodySchema,
  apiEventSchema,
  apiSendReplySchema,
  KNOWN_CONTENT_TYPES,
  knownContentSchema,
  type ApiChannelSettings,
} from './api-channel.schema.js';

export const API_SIGNATURE_HEADER = 'x-ventanilla-signature';

/**
 * The API channel: an external system posts citizen messages (and session ends) signed with HMAC-SHA256 over
 * the raw body and receives our replies on its callback URL, signed the same way.
 */
export const apiChannelAdapter: ChannelAdapter<ApiChannelSettings> = {
  kind: 'api',
  ingress: 'webhook',
  displayName: 'API',
  capabilities: {
    text: true,
    media: true,
    location: true,
    interactive: false,
    templates: false,
    deliveryReceipts: true,
    readReceipts: true,
    maxTextLength: 20_000,
  },
  settingsSchema: apiChannelSettingsSchema,
  secretNames: ['signingSecret'],
  secretSource: 'generated',

  verifyRequest(request: RawRequest, _settings: ApiChannelSettings, secrets: ChannelSecrets) {
    const secret = secrets['signingSecret'];
    if (!secret) return { ok: false, reason: 'channel has no signing secret' };
    const header = request.headers[API_SIGNATURE_HEADER];
    if (header === undefined) return { ok: false, reason: `missing ${API_SIGNATURE_HEADER} header` };
    return verifyBodySignature(secret, request.body, header) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
  },

  decodeInbound(request: RawRequest): InboundEvent[] {
    let json: unknown;
    try {
      json = JSON.parse(request.body.toString('utf8'));
    } catch {
      throw new DecodeError('body is not valid JSON');
    }
    // Parse against the shape the sender meant (one event or a batch): a failed union only
    // reports "(body): Invalid input", and the 400 must name the field that is wrong.
    const isBatch = typeof json === 'object' && json !== null && 'events' in json;
    const parsed = isBatch ? apiBatchBodySchema.safeParse(json) : apiEventSchema.safeParse(json);
    if (!parsed.success) {
      throw new DecodeError(
        'body does not match the API channel format',
        parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
      );
    }
    const events = 'events' in parsed.data ? parsed.data.events : [parsed.data];
    const now = new Date().toISOString();
    return events.map((event): InboundEvent => {
      switch (event.type) {
        case 'message':
          return {
            type: 'message',
            providerMessageId: event.id,
            occurredAt: event.timestamp ?? now,
            contact: event.from,
            content: decodeContent(event.content),
          };
        case 'status':
          return {
            type: 'status',
            providerMessageId: event.id,
            occurredAt: event.timestamp ?? now,
            status: event.status,
            ...(event.error ? { error: event.error } : {}),
          };
        case 'end':
          return {
            type: 'contact_left',
            providerEventId: event.id,
            occurredAt: event.timestamp ?? now,
            contact: event.from,
            ...(event.reason !== undefined ? { reason: event.reason } : {}),
          };
        default: {
          const exhaustive: never = event;
          throw new DecodeError(`unhandled API event ${JSON.stringify(exhaustive)}`);
        }
      }
    });
  },

  encodeOutbound(message: OutboundMessage) {
    return { body: { type: 'message', ...message } };
  },

  async send(encoded, settings, secrets, context: SendContext): Promise<SendResult> {
    if (!settings.callbackUrl) {
      return { ok: false, retryable: false, code: 'no_callback_url', reason: 'El canal no tiene URL de retorno / channel has no callback URL' };
    }
    const secret = secrets['signingSecret'];
    if (!secret) return { ok: false, retryable: false, code: 'no_secret', reason: 'channel has no signing secret' };
    const body = JSON.stringify(encoded.body);
    const idempotencyKey = (encoded.body as { id?: string }).id ?? '';
    let response: Response;
    try {
      response = await context.fetch(settings.callbackUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [API_SIGNATURE_HEADER]: signBody(secret, body),
          'idempotency-key': idempotencyKey,
        },
        body,
        signal: AbortSignal.timeout(settings.callbackTimeoutMs),
      });
    } catch (error) {
      return { ok: false, retryable: true, code: 'network_error', reason: error instanceof Error ? error.message : String(error) };
    }
    const text = await response.text().catch(() => '');
    if (response.ok) {
      const reply = apiSendReplySchema.safeParse(safeJson(text));
      return { ok: true, providerMessageId: (reply.success ? reply.data.id : undefined) ?? idempotencyKey };
    }
    const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
    return { ok: false, retryable, code: `http_${response.status}`, reason: text.slice(0, 500) || response.statusText };
  },
};

function decodeContent(content: { type: string; [k: string]: unknown }): InboundContent {
  if (!KNOWN_CONTENT_TYPES.has(content.type)) return { type: 'unsupported', providerType: content.type, raw: content };
  const known = knownContentSchema.safeParse(content);
  if (!known.success) {
    throw new DecodeError(
      `content of type ${content.type} is malformed`,
      known.error.issues.map((i) => `content.${i.path.join('.')}: ${i.message}`),
    );
  }
  return known.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
