import { describe, expect, it } from 'vitest';
import type { SendContext } from '../core/channel-adapter.js';
import { translateDeliveryError } from '../core/delivery-errors.js';
import { whatsappChannelAdapter } from './whatsapp-channel.adapter.js';

const settings = whatsappChannelAdapter.settingsSchema.parse({ phoneNumberId: '106540352242922', graphBaseUrl: 'https://graph.example.test/', graphApiVersion: 'v22.0' });
const secrets = { accessToken: 'EAAG-token', appSecret: 's', verifyToken: 'v' };
const encoded = whatsappChannelAdapter.encodeOutbound(
  { id: 'm1', conversationId: 'c1', folio: 'F', to: { phone: '+525512345678' }, content: { type: 'text', text: 'Hola' }, sender: { type: 'agent' } },
  settings,
);

interface Call {
  url: string;
  method: string;
  authorization: string | null;
  body: unknown;
}

/** A fake `fetch` answering scripted Graph replies and recording the requests. */
function graph(...replies: Array<{ status: number; body: unknown } | Error>) {
  const calls: Call[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    calls.push({ url: String(input), method: init?.method ?? 'GET', authorization: headers.get('authorization'), body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
    const reply = replies.shift();
    if (!reply) throw new Error('no scripted reply');
    if (reply instanceof Error) throw reply;
    const payload = Buffer.isBuffer(reply.body) ? new Uint8Array(reply.body) : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    return new Response(payload, { status: reply.status });
  };
  return { calls, context: { fetch: fetchFn } satisfies SendContext };
}

const graphError = (code: number, message: string, details?: string) => ({
  error: { message, type: 'OAuthException', code, ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}), fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam' },
});

describe('WhatsApp send through the Graph API', () => {
  it('POSTs the encoded body with the bearer token and returns the wamid', async () => {
    const { calls, context } = graph({ status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: '525512345678', wa_id: '5215512345678' }], messages: [{ id: 'wamid.HBgLNTIxNTUxMjM0NTY3OA==' }] } });
    expect(await whatsappChannelAdapter.send(encoded, settings, secrets, context)).toEqual({ ok: true, providerMessageId: 'wamid.HBgLNTIxNTUxMjM0NTY3OA==' });
    expect(calls).toEqual([
      {
        url: 'https://graph.example.test/v22.0/106540352242922/messages',
        method: 'POST',
        authorization: 'Bearer EAAG-token',
        body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: '525512345678', type: 'text', text: { preview_url: false, body: 'Hola' } },
      },
    ]);
  });

  const cases: Array<[string, number, unknown, { code: string; retryable: boolean }]> = [
    ['24-hour window closed (131047)', 400, graphError(131047, 'Re-engagement message', 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.'), { code: 'window_closed', retryable: false }],
    ['throughput limit (130429)', 400, graphError(130429, 'Rate limit hit'), { code: 'rate_limited', retryable: true }],
    ['pair rate limit (131056)', 400, graphError(131056, '(Business Account, Consumer Account) pair rate limit hit'), { code: 'rate_limited', retryable: true }],
    ['business rate limit (80007)', 400, graphError(80007, 'Rate limit issues'), { code: 'rate_limited', retryable: true }],
    ['HTTP 429 without a body', 429, '', { code: 'rate_limited', retryable: true }],
    ['undeliverable (131026)', 400, graphError(131026, 'Message Undeliverable.'), { code: 'recipient_unreachable', retryable: false }],
    ['template params (132000)', 400, graphError(132000, 'Number of parameters does not match the expected number of params'), { code: 'template_rejected', retryable: false }],
    ['template missing (132001)', 404, graphError(132001, 'Template name does not exist in the translation'), { code: 'template_rejected', retryable: false }],
    ['unsupported type (131051)', 400, graphError(131051, 'Unsupported message type'), { code: 'unsupported_message_type', retryable: false }],
    ['invalid parameter (100)', 400, graphError(100, 'Invalid parameter'), { code: 'invalid_parameter', retryable: false }],
    ['expired token (190)', 401, graphError(190, 'Error validating access token: Session has expired'), { code: 'provider_auth_failed', retryable: false }],
    ['Meta internal error (131000)', 500, graphError(131000, 'Something went wrong'), { code: 'provider_error', retryable: true }],
    ['a 503 without JSON', 503, '<html>Service Unavailable</html>', { code: 'http_503', retryable: true }],
    ['an undocumented code', 400, graphError(123456, 'Something new'), { code: 'whatsapp_123456', retryable: false }],
  ];
  for (const [name, status, body, expected] of cases) {
    it(`maps ${name}`, async () => {
      const { context } = graph({ status, body });
      const result = await whatsappChannelAdapter.send(encoded, settings, secrets, context);
      expect(result).toMatchObject({ ok: false, ...expected });
    });
  }

  it('keeps Meta’s words for the agent, translated lead first', async () => {
    const { context } = graph({ status: 400, body: graphError(131047, 'Re-engagement message', 'More than 24 hours have passed.') });
    const result = await whatsappChannelAdapter.send(encoded, settings, secrets, context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe('131047: Re-engagement message — More than 24 hours have passed.');
    expect(translateDeliveryError(result.code, result.reason)).toBe(
      'La ventana de atención del canal está cerrada: envíe una plantilla aprobada o espere a que el ciudadano vuelva a escribir (window_closed: 131047: Re-engagement message — More than 24 hours have passed.)',
    );
    expect(translateDeliveryError('template_rejected', '', 'en')).toMatch(/^WhatsApp rejected the template/);
  });

  it('a network failure is retryable; no token, no phone or a file without URL are not, and send nothing', async () => {
    const refused = graph(new TypeError('fetch failed'));
    expect(await whatsappChannelAdapter.send(encoded, settings, secrets, refused.context)).toMatchObject({ ok: false, retryable: true, code: 'network_error' });
    const none = graph();
    expect(await whatsappChannelAdapter.send(encoded, settings, { appSecret: 's' }, none.context)).toMatchObject({ ok: false, retryable: false, code: 'no_access_token' });
    const noPhone = whatsappChannelAdapter.encodeOutbound({ id: 'm', conversationId: 'c', folio: 'F', to: { email: 'a@b.mx' }, content: { type: 'text', text: 'x' }, sender: { type: 'agent' } }, settings);
    expect(await whatsappChannelAdapter.send(noPhone, settings, secrets, none.context)).toMatchObject({ ok: false, retryable: false, code: 'invalid_recipient' });
    const noUrl = whatsappChannelAdapter.encodeOutbound(
      { id: 'm', conversationId: 'c', folio: 'F', to: { phone: '+525512345678' }, content: { type: 'image', attachments: [{ fileId: '0b6c3f0e-8a52-4c1e-9d3f-2a7e5b1c9d40' }] }, sender: { type: 'agent' } },
      settings,
    );
    expect(await whatsappChannelAdapter.send(noUrl, settings, secrets, none.context)).toMatchObject({ ok: false, retryable: false, code: 'attachment_missing' });
    expect(none.calls).toEqual([]);
  });
});

describe('WhatsApp inbound media download', () => {
  const info = (size: number | string) => ({ status: 200, body: { messaging_product: 'whatsapp', url: 'https://lookaside.example.test/whatsapp_business/attachments/?mid=1003', mime_type: 'image/jpeg', sha256: 'abc', file_size: size, id: '1003' } });
  const fetchMedia = whatsappChannelAdapter.fetchMedia!;

  it('asks the Graph API for the URL, then downloads it, both with the bearer token', async () => {
    const bytes = Buffer.from('\xff\xd8\xff\xe0 jpeg bytes', 'latin1');
    const { calls, context } = graph(info(String(bytes.length)), { status: 200, body: bytes });
    const media = await fetchMedia('1003', settings, secrets, { ...context, maxBytes: 1024 });
    expect(media?.mimeType).toBe('image/jpeg');
    expect(media?.content.equals(bytes)).toBe(true);
    expect(calls.map((c) => [c.method, c.url, c.authorization])).toEqual([
      ['GET', 'https://graph.example.test/v22.0/1003', 'Bearer EAAG-token'],
      ['GET', 'https://lookaside.example.test/whatsapp_business/attachments/?mid=1003', 'Bearer EAAG-token'],
    ]);
  });

  it('does not download a file the Graph API says is too large', async () => {
    const { calls, context } = graph(info(5000));
    expect(await fetchMedia('1003', settings, secrets, { ...context, maxBytes: 4999 })).toBeNull();
    expect(calls).toHaveLength(1);
  });

  it('stops reading a download that grows past the limit even if the size was understated', async () => {
    const { context } = graph(info(10), { status: 200, body: 'x'.repeat(5000) });
    expect(await fetchMedia('1003', settings, secrets, { ...context, maxBytes: 1000 })).toBeNull();
  });

  it('throws (so the ingest job retries) when the Graph API or the download fails', async () => {
    const expired = graph({ status: 401, body: graphError(190, 'Session has expired') });
    await expect(fetchMedia('1003', settings, secrets, { ...expired.context, maxBytes: 1000 })).rejects.toThrow(/HTTP 401/);
    const gone = graph(info(10), { status: 404, body: 'not found' });
    await expect(fetchMedia('1003', settings, secrets, { ...gone.context, maxBytes: 1000 })).rejects.toThrow(/HTTP 404/);
  });
});
