import { buffer } from 'node:stream/consumers';
import type { ChannelSecrets, EncodedOutbound, SendContext, SendResult } from '../core/channel-adapter.js';
import type { MetaChannelSettings } from './meta-channel.schema.js';
import { metaErrorReplySchema, metaSendReplySchema } from './meta-channel.schema.js';
import { encodedMetaSchema, type MetaSendRequest } from './meta-encoded.schema.js';
import { classifyMetaError } from './meta-errors.js';

/**
 * POSTs each request to `{graphBaseUrl}/{version}/me/messages` with the Page token (as a
 * bearer header: a token in the query string ends up in proxy logs). The first message id
 * stands for the whole reply.
 */
export async function sendMeta(encoded: EncodedOutbound, settings: MetaChannelSettings, secrets: ChannelSecrets, context: SendContext): Promise<SendResult> {
  const parsed = encodedMetaSchema.safeParse(encoded.body);
  if (!parsed.success) return { ok: false, retryable: false, code: 'encoding_invalid', reason: parsed.error.message.slice(0, 500) };
  const body = parsed.data;
  if (body.kind === 'invalid') return { ok: false, retryable: false, code: body.code, reason: body.reason };
  const token = secrets['pageAccessToken'];
  if (!token) return { ok: false, retryable: false, code: 'no_access_token', reason: 'channel has no pageAccessToken' };

  const url = `${settings.graphBaseUrl.replace(/\/+$/, '')}/${settings.graphApiVersion}/me/messages`;
  let firstId: string | undefined;
  for (const [index, request] of body.requests.entries()) {
    const result = await post(url, token, request, settings, context);
    if (!result.ok) {
      if (index === 0) return result;
      // Part of the reply is already with the citizen: a retry would repeat it, so stop here.
      return { ...result, retryable: false, reason: `enviado en parte (${index} de ${body.requests.length}) / partially sent — ${result.reason}` };
    }
    firstId ??= result.providerMessageId;
  }
  return firstId ? { ok: true, providerMessageId: firstId } : { ok: false, retryable: false, code: 'encoding_invalid', reason: 'nothing to send' };
}

async function post(url: string, token: string, request: MetaSendRequest, settings: MetaChannelSettings, context: SendContext): Promise<SendResult> {
  const { fileId, ...json } = request;
  let payload: string | FormData;
  if (fileId) {
    const file = await context.openFile?.(fileId);
    if (!file) return { ok: false, retryable: false, code: 'attachment_missing', reason: `file ${fileId} not found` };
    const bytes = await buffer(file.content);
    // Attachment Upload through the Send API: the JSON fields as form fields plus `filedata`.
    payload = new FormData();
    payload.set('recipient', JSON.stringify(json.recipient));
    payload.set('messaging_type', json.messaging_type);
    if (json.tag) payload.set('tag', json.tag);
    payload.set('message', JSON.stringify(json.message));
    payload.set('filedata', new Blob([bytes], { type: file.mimeType }), file.filename);
  } else {
    payload = JSON.stringify(json);
  }
  let response: Response;
  try {
    response = await context.fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...(typeof payload === 'string' ? { 'content-type': 'application/json' } : {}) },
      body: payload,
      signal: context.signal ?? AbortSignal.timeout(settings.sendTimeoutMs),
    });
  } catch (error) {
    return { ok: false, retryable: true, code: 'network_error', reason: error instanceof Error ? error.message : String(error) };
  }
  const text = await response.text().catch(() => '');
  const reply = safeJson(text);
  if (response.ok) {
    const sent = metaSendReplySchema.safeParse(reply);
    if (sent.success) return { ok: true, providerMessageId: sent.data.message_id };
    return { ok: false, retryable: false, code: 'provider_reply_invalid', reason: `Graph API answered without message_id: ${text.slice(0, 300)}` };
  }
  const error = metaErrorReplySchema.safeParse(reply);
  if (error.success) return classifyMetaError(error.data.error, response.status);
  const retryable = response.status === 429 || response.status >= 500;
  return { ok: false, retryable, code: `http_${response.status}`, reason: text.slice(0, 500) || response.statusText };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
