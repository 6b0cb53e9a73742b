import { z } from 'zod';
import type { ChannelSecrets, EncodedOutbound, FetchedMedia, SendContext, SendResult } from '../core/channel-adapter.js';
import { mapGraphError } from './whatsapp-errors.js';
import type { WhatsAppChannelSettings } from './whatsapp-channel.schema.js';

/** The Graph API calls of the channel: sending messages and downloading inbound media. */

const GRAPH_TIMEOUT_MS = 15_000;

const encodedSchema = z
  .array(
    z.looseObject({
      messaging_product: z.literal('whatsapp'),
      to: z.string(),
      type: z.string().min(1),
    }),
  )
  .min(1);

const sendReplySchema = z.looseObject({ messages: z.array(z.looseObject({ id: z.string().min(1).max(255) })).min(1) });

/** Graph errors: `{"error":{"message","type","code","error_subcode","error_data":{"details"},"fbtrace_id"}}`. */
const graphErrorSchema = z.looseObject({
  error: z.looseObject({
    message: z.string().optional(),
    code: z.number().int().optional(),
    error_data: z.looseObject({ details: z.string().optional() }).optional(),
  }),
});

/** `GET /{version}/{media-id}`: file_size is documented as a number but arrives as a string. */
const mediaInfoSchema = z.looseObject({
  url: z.url(),
  mime_type: z.string().min(1).max(127),
  file_size: z.coerce.number().int().nonnegative().optional(),
});

const graphUrl = (settings: WhatsAppChannelSettings, path: string) => `${settings.graphBaseUrl.replace(/\/+$/, '')}/${settings.graphApiVersion}/${path}`;

export async function sendWhatsAppMessages(encoded: EncodedOutbound, settings: WhatsAppChannelSettings, secrets: ChannelSecrets, context: SendContext): Promise<SendResult> {
  const token = secrets['accessToken'];
  if (!token) return { ok: false, retryable: false, code: 'no_access_token', reason: 'channel has no access token' };
  const payloads = encodedSchema.safeParse(encoded.body);
  if (!payloads.success) return { ok: false, retryable: false, code: 'invalid_parameter', reason: 'nothing to send' };
  if (payloads.data.some((p) => p.to === '')) return { ok: false, retryable: false, code: 'invalid_recipient', reason: 'the contact has no phone number' };
  if (payloads.data.some((p) => hasEmptyLink(p[p.type]))) return { ok: false, retryable: false, code: 'attachment_missing', reason: 'attachment without a URL' };

  // A reply of several files is several WhatsApp messages; the first one's id tracks it.
  let first: string | undefined;
  for (const payload of payloads.data) {
    const result = await postMessage(payload, settings, token, context);
    if (!result.ok) return result;
    first ??= result.providerMessageId;
  }
  return first ? { ok: true, providerMessageId: first } : { ok: false, retryable: false, code: 'invalid_parameter', reason: 'nothing to send' };
}

function hasEmptyLink(part: unknown): boolean {
  return typeof part === 'object' && part !== null && 'link' in part && part.link === '';
}

async function postMessage(payload: unknown, settings: WhatsAppChannelSettings, token: string, context: SendContext): Promise<SendResult> {
  let response: Response;
  try {
    response = await context.fetch(graphUrl(settings, `${encodeURIComponent(settings.phoneNumberId)}/messages`), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: context.signal ?? AbortSignal.timeout(GRAPH_TIMEOUT_MS),
    });
  } catch (error) {
    return { ok: false, retryable: true, code: 'network_error', reason: error instanceof Error ? error.message : String(error) };
  }
  const text = await response.text().catch(() => '');
  const json = safeJson(text);
  if (response.ok) {
    const reply = sendReplySchema.safeParse(json);
    if (reply.success) return { ok: true, providerMessageId: reply.data.messages[0]!.id };
    return { ok: false, retryable: true, code: 'provider_error', reason: `unexpected Graph reply: ${text.slice(0, 300)}` };
  }
  const error = graphErrorSchema.safeParse(json);
  const code = error.success ? error.data.error.code : undefined;
  const mapped = mapGraphError(code, response.status);
  const words = error.success ? [error.data.error.message, error.data.error.error_data?.details].filter((w): w is string => Boolean(w)) : [text.slice(0, 300) || response.statusText];
  return { ok: false, retryable: mapped.retryable, code: mapped.code, reason: `${code ?? response.status}: ${words.join(' — ')}`.slice(0, 1000) };
}

/**
 * Inbound media by id: the Graph API gives a short-lived URL (and the size), then that URL
 * gives the bytes — both with the bearer token. Larger than `maxBytes` → null, nothing kept.
 * Failures throw, so the ingest job retries.
 */
export async function fetchWhatsAppMedia(
  mediaId: string,
  settings: WhatsAppChannelSettings,
  secrets: ChannelSecrets,
  context: SendContext & { maxBytes: number },
): Promise<FetchedMedia | null> {
  const token = secrets['accessToken'];
  if (!token) throw new Error('WhatsApp channel has no access token');
  const headers = { authorization: `Bearer ${token}` };
  const signal = context.signal ?? AbortSignal.timeout(GRAPH_TIMEOUT_MS * 4);
  const infoResponse = await context.fetch(graphUrl(settings, encodeURIComponent(mediaId)), { headers, signal });
  const infoText = await infoResponse.text();
  if (!infoResponse.ok) throw new Error(`Graph media ${mediaId}: HTTP ${infoResponse.status} ${infoText.slice(0, 300)}`);
  const info = mediaInfoSchema.safeParse(safeJson(infoText));
  if (!info.success) throw new Error(`Graph media ${mediaId}: unexpected reply ${infoText.slice(0, 300)}`);
  if (info.data.file_size !== undefined && info.data.file_size > context.maxBytes) return null;

  const download = await context.fetch(info.data.url, { headers, signal });
  if (!download.ok || !download.body) {
    await download.body?.cancel().catch(() => undefined);
    throw new Error(`media download ${mediaId}: HTTP ${download.status}`);
  }
  const content = await readAtMost(download.body, context.maxBytes);
  if (!content) return null;
  return { content, mimeType: info.data.mime_type };
}

/** Stops reading past the limit: a size Meta understated must not fill memory. */
async function readAtMost(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Buffer | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
