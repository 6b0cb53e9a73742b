import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RawRequest } from '../core/channel-adapter.js';
import { runAdapterConformance } from '../core/conformance.js';
import type { OutboundMessage } from '../core/outbound-message.js';
import { signBody } from '../core/signature.js';
import { META_FIXTURE_IDS, metaFixtures } from './fixtures/meta-fixtures.js';
import { META_SIGNATURE_HEADER, metaChannelAdapter } from './meta-channel.adapter.js';
import { encodedMetaSchema } from './meta-encoded.schema.js';
import { encodeMetaOutbound } from './meta-encode.js';

const secrets = { pageAccessToken: 'EAAG-demo-page-token', appSecret: 'app-secret-demo-0123456789', verifyToken: 'verifica-ventanilla' };
const settings = metaChannelAdapter.settingsSchema.parse({ pageId: META_FIXTURE_IDS.pageId, instagramAccountId: META_FIXTURE_IDS.instagramAccountId });
const sign = (body: Buffer) => ({ [META_SIGNATURE_HEADER]: signBody(secrets.appSecret, body), 'content-type': 'application/json' });
const request = (payload: unknown): RawRequest => {
  const body = Buffer.from(JSON.stringify(payload));
  return { method: 'POST', url: '/webhooks/meta/x', headers: sign(body), body };
};
const decode = (payload: unknown, s = settings) => metaChannelAdapter.decodeInbound(request(payload), s);

runAdapterConformance({
  adapter: metaChannelAdapter,
  settings,
  secrets,
  sign,
  fixtures: [
    { name: 'Messenger text', request: request(metaFixtures.messengerText), expectedEvents: 1, expectedTypes: ['message'] },
    { name: 'Messenger quick reply', request: request(metaFixtures.messengerQuickReply), expectedEvents: 1 },
    { name: 'Messenger image', request: request(metaFixtures.messengerImage), expectedEvents: 1 },
    { name: 'Messenger image and file with text', request: request(metaFixtures.messengerMixedFiles), expectedEvents: 1 },
    { name: 'Messenger postback', request: request(metaFixtures.messengerPostback), expectedEvents: 1 },
    { name: 'Messenger delivery with mids', request: request(metaFixtures.messengerDelivery), expectedEvents: 2, expectedTypes: ['status', 'status'], providerStatusWords: ['delivery', 'delivery'] },
    { name: 'Messenger read by watermark only', request: request(metaFixtures.messengerReadWatermark), expectedEvents: 0 },
    { name: 'Messenger echo of our own send', request: request(metaFixtures.messengerEcho), expectedEvents: 0 },
    { name: 'Messenger reaction', request: request(metaFixtures.messengerReaction), expectedEvents: 1 },
    { name: 'Messenger batch of two citizens', request: request(metaFixtures.messengerBatch), expectedEvents: 2 },
    { name: "another Page's entry", request: request(metaFixtures.otherPage), expectedEvents: 0 },
    { name: 'Instagram text', request: request(metaFixtures.instagramText), expectedEvents: 1 },
    { name: 'Instagram image', request: request(metaFixtures.instagramImage), expectedEvents: 1 },
    { name: 'Instagram messaging_seen', request: request(metaFixtures.instagramSeen), expectedEvents: 1, expectedTypes: ['status'], providerStatusWords: ['read'] },
    { name: 'Instagram echo', request: request(metaFixtures.instagramEcho), expectedEvents: 0 },
    { name: 'Instagram story mention', request: request(metaFixtures.instagramStoryMention), expectedEvents: 1 },
  ],
  unsupported: request(metaFixtures.unsupportedOptin),
  // Meta's "status words" are the receipt keys of a messaging item; Instagram's read names its mid.
  statusRequest: (word) =>
    request({
      object: 'instagram',
      entry: [{ id: META_FIXTURE_IDS.instagramAccountId, messaging: [{ sender: { id: META_FIXTURE_IDS.igsid }, recipient: { id: META_FIXTURE_IDS.instagramAccountId }, timestamp: 1764169999000, [word]: word === 'delivery' ? { mids: ['m_out-1'], watermark: 1764169990000 } : { mid: 'm_out-1' } }] }],
    }),
  outboundRecipient: { externalId: `fb-${META_FIXTURE_IDS.psid}`, name: 'Ana Pérez' },
});

describe('Meta webhook signature and handshake', () => {
  it('verifies X-Hub-Signature-256 = sha256=HMAC-SHA256(app secret, raw body), hex', () => {
    const body = Buffer.from('{"object":"page","entry":[]}');
    // Computed independently: printf '%s' "$body" | openssl dgst -sha256 -hmac app-secret-demo
    const header = 'sha256=68fae2f60878e809d1c7e0e59c22ac1ef42f92027d005f117f046efd1354a63b';
    const verify = (h: string) => metaChannelAdapter.verifyRequest({ method: 'POST', url: '/', headers: { [META_SIGNATURE_HEADER]: h }, body }, settings, { appSecret: 'app-secret-demo' });
    expect(verify(header)).toEqual({ ok: true });
    expect(verify(header.replace(/.$/, '0')).ok).toBe(false);
    expect(verify(`sha1=${header.slice(7)}`).ok).toBe(false);
    // The page token is not the signing key.
    expect(metaChannelAdapter.verifyRequest({ method: 'POST', url: '/', headers: { [META_SIGNATURE_HEADER]: header }, body }, settings, { pageAccessToken: 'app-secret-demo' }).ok).toBe(false);
  });

  const get = (query: string) => metaChannelAdapter.handshake!({ method: 'GET', url: `/webhooks/meta/x?${query}`, headers: {}, body: Buffer.alloc(0) }, settings, secrets);

  it('answers hub.challenge when hub.verify_token matches, 403 otherwise', () => {
    expect(get('hub.mode=subscribe&hub.verify_token=verifica-ventanilla&hub.challenge=1158201444')).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: '1158201444' });
    expect(get('hub.mode=subscribe&hub.verify_token=otro&hub.challenge=1158201444')?.status).toBe(403);
    expect(get('hub.mode=unsubscribe&hub.verify_token=verifica-ventanilla&hub.challenge=1')?.status).toBe(403);
    expect(get('hub.mode=subscribe&hub.verify_token=verifica-ventanilla&hub.challenge=%3Cscript%3E')?.status).toBe(403);
    expect(metaChannelAdapter.handshake!({ method: 'GET', url: '/x?hub.mode=subscribe&hub.verify_token=&hub.challenge=1', headers: {}, body: Buffer.alloc(0) }, settings, {})?.status).toBe(403);
    expect(get('')).toBeNull();
  });
});

describe('Meta decoding', () => {
  it('Messenger text: the PSID prefixed fb-, Meta time as ISO, the mid', () => {
    expect(decode(metaFixtures.messengerText)).toEqual([
      {
        type: 'message',
        providerMessageId: 'm_fb-text-0001',
        occurredAt: new Date(1764169999000).toISOString(),
        contact: { externalId: `fb-${META_FIXTURE_IDS.psid}` },
        content: { type: 'text', text: 'Hola, quiero saber el estado de mi trámite' },
      },
    ]);
  });

  it('Instagram text: the IGSID prefixed ig-, so it never meets a PSID', () => {
    expect(decode(metaFixtures.instagramText)[0]).toMatchObject({ contact: { externalId: `ig-${META_FIXTURE_IDS.igsid}` }, content: { type: 'text', text: '¿Dónde tramito mi licencia?' } });
  });

  it('quick replies and postbacks become interactive replies with their payload', () => {
    expect(decode(metaFixtures.messengerQuickReply)[0]).toMatchObject({ content: { type: 'interactive', replyId: 'CONFIRMAR_CITA', text: 'Sí, confirmo' } });
    expect(decode(metaFixtures.messengerPostback)[0]).toMatchObject({ providerMessageId: 'm_fb-pb-0005', content: { type: 'interactive', replyId: 'AGENTE', text: 'Hablar con un agente' } });
  });

  it('attachments keep their CDN URL; mixed kinds become files with the text', () => {
    expect(decode(metaFixtures.messengerImage)[0]).toMatchObject({
      content: { type: 'image', attachments: [{ url: 'https://scontent.xx.fbcdn.net/v/t1.15752-9/foto-ine.jpg?stp=dst-jpg&oh=00_x' }] },
    });
    expect(decode(metaFixtures.messengerMixedFiles)[0]).toMatchObject({
      content: { type: 'file', text: 'Le mando mis documentos', attachments: [{ url: 'https://scontent.xx.fbcdn.net/v/comprobante.png' }, { url: 'https://cdn.fbsbx.com/v/t59.2708-21/acta.pdf' }] },
    });
    expect(decode(metaFixtures.instagramStoryMention)[0]).toMatchObject({ content: { type: 'unsupported', providerType: 'attachment:story_mention' } });
  });

  it('delivery mids and Instagram seen become statuses; a Messenger read watermark and echoes emit nothing', () => {
    expect(decode(metaFixtures.messengerDelivery)).toMatchObject([
      { type: 'status', providerMessageId: 'm_out-0001', status: 'delivered' },
      { type: 'status', providerMessageId: 'm_out-0002', status: 'delivered' },
    ]);
    expect(decode(metaFixtures.instagramSeen)).toMatchObject([{ type: 'status', providerMessageId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQz', status: 'read' }]);
    expect(decode(metaFixtures.messengerReadWatermark)).toEqual([]);
    expect(decode(metaFixtures.messengerEcho)).toEqual([]);
    expect(decode(metaFixtures.instagramEcho)).toEqual([]);
  });

  it('a reaction names the message it reacts to', () => {
    expect(decode(metaFixtures.messengerReaction)[0]).toMatchObject({ content: { type: 'reaction', emoji: '❤️', targetProviderMessageId: 'm_out-0001' } });
  });

  it("skips entries for another Page, and Instagram when the channel has no Instagram account", () => {
    expect(decode(metaFixtures.otherPage)).toEqual([]);
    const pageOnly = metaChannelAdapter.settingsSchema.parse({ pageId: META_FIXTURE_IDS.pageId });
    expect(decode(metaFixtures.instagramText, pageOnly)).toEqual([]);
  });

  it('an object other than page or instagram, or a malformed known event, is a DecodeError naming it', () => {
    expect(() => decode({ object: 'whatsapp_business_account', entry: [] })).toThrow(/whatsapp_business_account/);
    expect(() => decode({ object: 'page', entry: [{ id: META_FIXTURE_IDS.pageId, messaging: [{ sender: { id: '1' }, message: { text: 'sin mid' } }] }] })).toThrow(/message event is malformed/);
  });
});

const baseMessage: OutboundMessage = {
  id: '0b8f0a51-7d6a-4b8e-9b55-2d0d3f5a0001',
  conversationId: 'c1',
  folio: 'DH-20261126-000001',
  to: { externalId: `fb-${META_FIXTURE_IDS.psid}` },
  content: { type: 'text', text: 'Hola, le atiende Ana' },
  sender: { type: 'agent', name: 'Ana' },
};
const NOW = Date.parse('2026-11-26T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString();
const encode = (patch: Partial<OutboundMessage>, s = settings) => encodedMetaSchema.parse(metaChannelAdapter.encodeOutbound({ ...baseMessage, ...patch }, s).body);
/** The adapter reads the real clock; the window cases pin it. */
const encodeAt = (patch: Partial<OutboundMessage>, s = settings) => encodeMetaOutbound({ ...baseMessage, ...patch }, s, NOW);

describe('Meta encoding: the messaging window and the HUMAN_AGENT tag', () => {
  it('inside 24 h (or without a known last inbound) a reply is a RESPONSE', async () => {
    expect(encode({})).toEqual({ kind: 'send', network: 'messenger', requests: [{ recipient: { id: META_FIXTURE_IDS.psid }, messaging_type: 'RESPONSE', message: { text: 'Hola, le atiende Ana' } }] });
    expect(encodeAt({ lastInboundAt: hoursAgo(23.9) })).toMatchObject({ requests: [{ messaging_type: 'RESPONSE' }] });
  });

  it('after 24 h an agent answers with MESSAGE_TAG + HUMAN_AGENT, up to 7 days', () => {
    expect(encodeAt({ lastInboundAt: hoursAgo(30) })).toMatchObject({ requests: [{ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }] });
    expect(encodeAt({ lastInboundAt: hoursAgo(167) })).toMatchObject({ requests: [{ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }] });
    expect(encodeAt({ lastInboundAt: hoursAgo(169) })).toMatchObject({ kind: 'invalid', code: 'window_closed' });
  });

  it('a bot, or a Page without the tag, is limited to 24 h', () => {
    expect(encodeAt({ lastInboundAt: hoursAgo(30), sender: { type: 'bot' } })).toMatchObject({ kind: 'invalid', code: 'window_closed' });
    const noTag = metaChannelAdapter.settingsSchema.parse({ pageId: META_FIXTURE_IDS.pageId, humanAgentTag: false });
    expect(encodeAt({ lastInboundAt: hoursAgo(30) }, noTag)).toMatchObject({ kind: 'invalid', code: 'window_closed' });
    expect(metaChannelAdapter.windowHours(settings, 'agent')).toBe(168);
    expect(metaChannelAdapter.windowHours(settings, 'bot')).toBe(24);
    expect(metaChannelAdapter.windowHours(noTag, 'agent')).toBe(24);
  });

  it('addresses an Instagram contact by IGSID and refuses a contact with no Meta id', () => {
    expect(encode({ to: { externalId: `ig-${META_FIXTURE_IDS.igsid}` } })).toMatchObject({ network: 'instagram', requests: [{ recipient: { id: META_FIXTURE_IDS.igsid } }] });
    expect(encode({ to: { phone: '+525512345678' } })).toMatchObject({ kind: 'invalid', code: 'invalid_recipient' });
  });

  it('Instagram text is capped at 1,000 UTF-8 bytes (Messenger takes the 2,000 characters)', () => {
    const ig = { externalId: `ig-${META_FIXTURE_IDS.igsid}` };
    expect(encode({ to: ig, content: { type: 'text', text: 'ñ'.repeat(500) } })).toMatchObject({ kind: 'send' });
    expect(encode({ to: ig, content: { type: 'text', text: 'ñ'.repeat(501) } })).toMatchObject({ kind: 'invalid', code: 'text_too_long' });
    expect(encode({ content: { type: 'text', text: 'ñ'.repeat(1500) } })).toMatchObject({ kind: 'send' });
  });

  it('files go one per message before the text; a stored file without URL is uploaded', () => {
    const encoded = encode({
      content: { type: 'image', text: 'Su comprobante', attachments: [{ url: 'https://ventanilla.example.mx/f/1.png' }, { fileId: '0b8f0a51-7d6a-4b8e-9b55-2d0d3f5a0009' }] },
    });
    expect(encoded).toMatchObject({
      requests: [
        { message: { attachment: { type: 'image', payload: { url: 'https://ventanilla.example.mx/f/1.png', is_reusable: true } } } },
        { message: { attachment: { type: 'image', payload: { is_reusable: true } } }, fileId: '0b8f0a51-7d6a-4b8e-9b55-2d0d3f5a0009' },
        { message: { text: 'Su comprobante' } },
      ],
    });
  });

  it('buttons and list rows become quick replies (at most 13); templates are refused', () => {
    const buttons = [
      { id: 'SI', title: 'Sí' },
      { id: 'NO', title: 'No, gracias, prefiero otro horario' },
    ];
    expect(encode({ content: { type: 'interactive', text: '¿Confirma su cita?', buttons } })).toMatchObject({
      requests: [{ message: { text: '¿Confirma su cita?', quick_replies: [{ content_type: 'text', title: 'Sí', payload: 'SI' }, { content_type: 'text', title: 'No, gracias, prefier', payload: 'NO' }] } }],
    });
    const rows = Array.from({ length: 14 }, (_, i) => ({ id: `r${i}`, title: `Opción ${i}` }));
    expect(encode({ content: { type: 'interactive', text: 'Elija', list: { button: 'Ver', sections: [{ title: 'A', rows }] } } })).toMatchObject({ kind: 'invalid', code: 'quick_replies_limit' });
    expect(encode({ content: { type: 'template', template: { name: 'aviso', language: 'es_MX', variables: [] } } })).toMatchObject({ kind: 'invalid', code: 'capability_missing' });
  });
});

describe('Meta send', () => {
  interface Call {
    url: string;
    auth: string | null;
    body: unknown;
    form?: FormData;
  }
  const graph = (answers: Array<{ status: number; body: unknown }>) => {
    const calls: Call[] = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      const form = init?.body instanceof FormData ? init.body : undefined;
      calls.push({ url: String(input), auth: headers.get('authorization'), body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined, ...(form ? { form } : {}) });
      const answer = answers.shift() ?? { status: 200, body: { recipient_id: META_FIXTURE_IDS.psid, message_id: `m_sent-${calls.length}` } };
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
    };
    return { calls, fetchImpl };
  };
  const metaError = (code: number, subcode?: number, message = 'error') => ({ error: { message, type: 'OAuthException', code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: 'A1b2' } });

  it('POSTs to {graphBaseUrl}/{version}/me/messages with the page token and returns the message_id', async () => {
    const { calls, fetchImpl } = graph([]);
    const s = metaChannelAdapter.settingsSchema.parse({ pageId: META_FIXTURE_IDS.pageId, graphBaseUrl: 'http://127.0.0.1:9/graph/', graphApiVersion: 'v20.0' });
    const result = await metaChannelAdapter.send(metaChannelAdapter.encodeOutbound(baseMessage, s), s, secrets, { fetch: fetchImpl });
    expect(result).toEqual({ ok: true, providerMessageId: 'm_sent-1' });
    expect(calls).toEqual([{ url: 'http://127.0.0.1:9/graph/v20.0/me/messages', auth: 'Bearer EAAG-demo-page-token', body: { recipient: { id: META_FIXTURE_IDS.psid }, messaging_type: 'RESPONSE', message: { text: 'Hola, le atiende Ana' } } }]);
  });

  it.each([
    [metaError(10, 2018278, 'This message is sent outside of allowed window.'), 400, 'window_closed', false],
    [metaError(10, 2534022, 'This message is sent outside of allowed window.'), 400, 'window_closed', false],
    [metaError(551, 1545041, "This person isn't available right now."), 400, 'recipient_unreachable', false],
    [metaError(613, undefined, 'Calls to this API have exceeded the rate limit.'), 400, 'rate_limited', true],
    [metaError(4, undefined, 'Application request limit reached'), 400, 'rate_limited', true],
    [metaError(190, undefined, 'Invalid OAuth access token.'), 401, 'provider_auth_failed', false],
    [metaError(100, 2018001, 'No matching user found'), 400, 'invalid_recipient', false],
    [metaError(1200, undefined, 'Temporary send message failure. Please try again later.'), 500, 'provider_error', true],
    [metaError(100, 2018109, 'Invalid parameter'), 400, 'meta_100_2018109', false],
    ['<html>bad gateway</html>', 502, 'http_502', true],
  ])('maps Graph error %j (HTTP %i) to %s, retryable %s', async (body, status, code, retryable) => {
    const { fetchImpl } = graph([{ status, body }]);
    const result = await metaChannelAdapter.send(metaChannelAdapter.encodeOutbound(baseMessage, settings), settings, secrets, { fetch: fetchImpl });
    expect(result).toMatchObject({ ok: false, code, retryable });
  });

  it('network failures retry; a missing token or an unsendable encoding do not, and nothing is posted', async () => {
    const refused: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    const encoded = metaChannelAdapter.encodeOutbound(baseMessage, settings);
    expect(await metaChannelAdapter.send(encoded, settings, secrets, { fetch: refused })).toMatchObject({ ok: false, retryable: true, code: 'network_error' });
    const { calls, fetchImpl } = graph([]);
    expect(await metaChannelAdapter.send(encoded, settings, { appSecret: 'x' }, { fetch: fetchImpl })).toMatchObject({ ok: false, retryable: false, code: 'no_access_token' });
    const template = metaChannelAdapter.encodeOutbound({ ...baseMessage, content: { type: 'template', template: { name: 'a', language: 'es_MX', variables: [] } } }, settings);
    expect(await metaChannelAdapter.send(template, settings, secrets, { fetch: fetchImpl })).toMatchObject({ ok: false, retryable: false, code: 'capability_missing' });
    expect(calls).toHaveLength(0);
  });

  it('uploads a stored file as multipart filedata, and does not retry once part of a reply went out', async () => {
    const { calls, fetchImpl } = graph([{ status: 200, body: { recipient_id: '1', message_id: 'm_file' } }, { status: 400, body: metaError(551, 1545041, 'unavailable') }]);
    const encoded = metaChannelAdapter.encodeOutbound({ ...baseMessage, content: { type: 'file', text: 'Su acta', attachments: [{ fileId: '0b8f0a51-7d6a-4b8e-9b55-2d0d3f5a0009' }] } }, settings);
    const openFile = async () => ({ filename: 'acta.pdf', mimeType: 'application/pdf', content: Readable.from([Buffer.from('%PDF-1.7 demo')]) });
    const result = await metaChannelAdapter.send(encoded, settings, secrets, { fetch: fetchImpl, openFile });
    expect(result).toMatchObject({ ok: false, retryable: false, code: 'recipient_unreachable', reason: expect.stringContaining('1 de 2') });
    const form = calls[0]?.form;
    expect(form?.get('recipient')).toBe(JSON.stringify({ id: META_FIXTURE_IDS.psid }));
    expect(JSON.parse(String(form?.get('message')))).toEqual({ attachment: { type: 'file', payload: { is_reusable: true } } });
    const file = form?.get('filedata');
    expect(file instanceof Blob && (await file.text())).toBe('%PDF-1.7 demo');
    expect(calls[1]?.body).toMatchObject({ message: { text: 'Su acta' } });
  });
});
