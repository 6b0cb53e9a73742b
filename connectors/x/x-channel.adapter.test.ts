import { describe, expect, it } from 'vitest';
import type { RawRequest, SendContext } from '../core/channel-adapter.js';
import { DecodeError } from '../core/channel-adapter.js';
import { runAdapterConformance } from '../core/conformance.js';
import type { OutboundMessage } from '../core/outbound-message.js';
import { xChannelAdapter } from './x-channel.adapter.js';
import { xSignature, X_SIGNATURE_HEADER } from './x-signature.js';
import { X_ACCOUNT_ID, X_CITIZEN_ID, xFixtures, xSendReply } from './fixtures/x-fixtures.js';

const secrets = { consumerSecret: 'consumer-secret-demo', userAccessToken: 'user-token-demo' };
const settings = xChannelAdapter.settingsSchema.parse({ accountId: X_ACCOUNT_ID, apiBaseUrl: 'http://127.0.0.1:9/x-api' });
const sign = (body: Buffer) => ({ [X_SIGNATURE_HEADER]: xSignature(secrets.consumerSecret, body), 'content-type': 'application/json; charset=utf-8' });
const request = (payload: unknown): RawRequest => {
  const body = Buffer.from(JSON.stringify(payload));
  return { method: 'POST', url: '/webhooks/x/c1', headers: sign(body), body };
};
const decode = (payload: unknown) => xChannelAdapter.decodeInbound(request(payload), settings);

runAdapterConformance({
  adapter: xChannelAdapter,
  settings,
  secrets,
  sign,
  fixtures: [
    { name: 'text DM from a citizen', request: request(xFixtures.text), expectedEvents: 1, expectedTypes: ['message'] },
    { name: 'quick reply chosen', request: request(xFixtures.quickReply), expectedEvents: 1, expectedTypes: ['message'] },
    { name: 'DM with a photo', request: request(xFixtures.media), expectedEvents: 1, expectedTypes: ['message'] },
    { name: 'our own DM echoed back', request: request(xFixtures.echo), expectedEvents: 0 },
    { name: 'two DMs and our echo in one delivery', request: request(xFixtures.batch), expectedEvents: 2, expectedTypes: ['message', 'message'] },
    { name: 'citizen read our DM', request: request(xFixtures.markRead), expectedEvents: 1, expectedTypes: ['status'], providerStatusWords: ['direct_message_mark_read_events'] },
    { name: 'we read the citizen DM', request: request(xFixtures.markReadByUs), expectedEvents: 0 },
    { name: 'typing indicator', request: request(xFixtures.typing), expectedEvents: 0, providerStatusWords: ['direct_message_indicate_typing_events'] },
    { name: 'a like (public activity)', request: request(xFixtures.favorite), expectedEvents: 0 },
    { name: 'delivery for another subscribed account', request: request(xFixtures.otherAccount), expectedEvents: 0 },
    { name: 'unknown activity by us', request: request(xFixtures.unknownFromUs), expectedEvents: 0 },
    { name: 'unknown DM event type by a citizen', request: request(xFixtures.unknownDmType), expectedEvents: 1, expectedTypes: ['message'] },
  ],
  unsupported: request(xFixtures.unknownFromCitizen),
  // X's "status words" are its activity names: a read is a whole activity, not a field.
  statusRequest: (word) => request({ for_user_id: X_ACCOUNT_ID, [word]: xFixtures.markRead.direct_message_mark_read_events }),
  outboundRecipient: { externalId: X_CITIZEN_ID, name: 'María Guadalupe Hernández' },
});

describe('X signatures and CRC', () => {
  it('answers the CRC with sha256=base64(HMAC-SHA256(consumer secret, crc_token))', () => {
    // Independently: printf '%s' challenge_string | openssl dgst -sha256 -hmac consumer-secret-demo -binary | base64
    const reply = xChannelAdapter.handshake?.({ method: 'GET', url: '/webhooks/x/c1?crc_token=challenge_string', headers: {}, body: Buffer.alloc(0) }, settings, secrets);
    expect(reply).toEqual({ status: 200, contentType: 'application/json', body: JSON.stringify({ response_token: 'sha256=171JTmE+vrdxwzrZkG3ubK9Mdryffuv8P39lQE01HLw=' }) });
  });

  it('has no CRC answer without a crc_token or without the consumer secret', () => {
    const get = (url: string, s: Record<string, string>) => xChannelAdapter.handshake?.({ method: 'GET', url, headers: {}, body: Buffer.alloc(0) }, settings, s);
    expect(get('/webhooks/x/c1', secrets)).toBeNull();
    expect(get('/webhooks/x/c1?crc_token=', secrets)).toBeNull();
    expect(get('/webhooks/x/c1?crc_token=abc', {})).toBeNull();
  });

  it('verifies the base64 signature header and nothing resembling it', () => {
    const body = Buffer.from('{"for_user_id":"4337869213"}');
    // Independently: printf '%s' "$body" | openssl dgst -sha256 -hmac consumer-secret-demo -binary | base64
    const header = 'sha256=E2wfFKUAUAi+Aniy1Yc/WRZ7f0v3qormTZJ+FXaEA5A=';
    expect(xSignature(secrets.consumerSecret, body)).toBe(header);
    const verify = (h: string | string[]) => xChannelAdapter.verifyRequest({ method: 'POST', url: '/', headers: { [X_SIGNATURE_HEADER]: h }, body }, settings, secrets);
    expect(verify(header)).toEqual({ ok: true });
    expect(verify(header.replace('sha256=', 'sha1=')).ok).toBe(false);
    expect(verify(header.slice(0, -2)).ok).toBe(false);
    // The hex form of the same HMAC (Meta's style) is not X's.
    expect(verify(`sha256=${Buffer.from(header.slice(7), 'base64').toString('hex')}`).ok).toBe(false);
    // Extra characters Buffer.from(…,'base64') would silently skip.
    expect(verify(`${header.slice(0, 20)}!${header.slice(20)}`).ok).toBe(false);
    expect(verify([header, header]).ok).toBe(false);
  });
});

describe('X decoding', () => {
  it('a citizen DM: X user id as externalId, the display name, the epoch time, the text', () => {
    expect(decode(xFixtures.text)).toEqual([
      {
        type: 'message',
        providerMessageId: '1864150900000000001',
        occurredAt: new Date(1764150900000).toISOString(),
        contact: { externalId: X_CITIZEN_ID, name: 'María Guadalupe Hernández' },
        content: { type: 'text', text: 'Hola, ¿cómo tramito mi constancia de situación fiscal?' },
      },
    ]);
  });

  it('a quick reply becomes the chosen option (metadata) with its label', () => {
    expect(decode(xFixtures.quickReply)[0]).toMatchObject({ content: { type: 'interactive', replyId: 'agendar_cita', text: 'Sí, agendar cita' } });
  });

  it('a photo is kept whole as unsupported (its download needs OAuth 1.0a), text included', () => {
    const [event] = decode(xFixtures.media);
    expect(event).toMatchObject({ type: 'message', content: { type: 'unsupported', providerType: 'attachment_photo' } });
    expect(event?.type === 'message' && event.content.type === 'unsupported' && event.content.raw).toMatchObject({
      text: 'Mi comprobante https://t.co/abc123XyZ',
      attachment: { media: { media_url_https: expect.stringContaining('ton.twitter.com') } },
    });
  });

  it('skips our own echoes but keeps the citizen messages around them, in order', () => {
    expect(decode(xFixtures.echo)).toEqual([]);
    expect(decode(xFixtures.batch).map((e) => e.type === 'message' && e.providerMessageId)).toEqual(['1864150900000000005', '1864150900000000007']);
  });

  it('a citizen mark-read is a read status for last_read_event_id; ours is nothing', () => {
    expect(decode(xFixtures.markRead)).toEqual([{ type: 'status', providerMessageId: '1864150950000000009', occurredAt: new Date(1764150960000).toISOString(), status: 'read' }]);
    expect(decode(xFixtures.markReadByUs)).toEqual([]);
  });

  it('typing, likes and deliveries for another account open nothing', () => {
    expect(decode(xFixtures.typing)).toEqual([]);
    expect(decode(xFixtures.favorite)).toEqual([]);
    expect(decode(xFixtures.otherAccount)).toEqual([]);
  });

  it('an unknown activity is unsupported only when a citizen caused it, with a stable id for deduplication', () => {
    const [event] = decode(xFixtures.unknownFromCitizen);
    expect(event).toMatchObject({
      type: 'message',
      providerMessageId: '1864150900000000011',
      contact: { externalId: X_CITIZEN_ID },
      content: { type: 'unsupported', providerType: 'direct_message_reaction_events', raw: xFixtures.unknownFromCitizen.direct_message_reaction_events[0] },
    });
    expect(decode(xFixtures.unknownFromUs)).toEqual([]);
    expect(decode(xFixtures.unknownDmType)[0]).toMatchObject({ content: { type: 'unsupported', providerType: 'direct_message_events.message_delete' } });
    const idless = { for_user_id: X_ACCOUNT_ID, poll_vote_events: [{ user: { id_str: X_CITIZEN_ID }, choice: 2 }] };
    const [first] = decode(idless);
    const [again] = decode(idless);
    expect(first?.type === 'message' && first.providerMessageId).toMatch(/^poll_vote_events:[0-9a-f]{32}$/);
    expect(again).toMatchObject({ providerMessageId: first?.type === 'message' ? first.providerMessageId : 'none' });
    expect(decode({ for_user_id: X_ACCOUNT_ID, mystery_events: [{ nobody: true }] })).toEqual([]);
  });

  it('a malformed DM names the field; a non-object body is a DecodeError', () => {
    const broken = { for_user_id: X_ACCOUNT_ID, direct_message_events: [{ type: 'message_create', id: '1', created_timestamp: '1764150900000', message_create: { target: { recipient_id: X_ACCOUNT_ID } } }] };
    expect(() => decode(broken)).toThrow(DecodeError);
    try {
      decode(broken);
    } catch (error) {
      expect(error instanceof DecodeError && error.issues.join(' ')).toContain('direct_message_events.0.message_create.sender_id');
    }
    expect(() => decode([1, 2])).toThrow(DecodeError);
    expect(() => decode({ for_user_id: 'not-an-id' })).toThrow(DecodeError);
  });
});

describe('X sending', () => {
  const message = (content: OutboundMessage['content'], to: OutboundMessage['to'] = { externalId: X_CITIZEN_ID, name: 'Lupita' }): OutboundMessage => ({
    id: 'm1',
    conversationId: 'c1',
    folio: 'DH-20261126-000001',
    to,
    content,
    sender: { type: 'agent', name: 'Ana' },
  });

  it('encodes the recipient for the path and only the text for the body', () => {
    expect(xChannelAdapter.encodeOutbound(message({ type: 'text', text: 'Su cita quedó agendada.' }), settings).body).toEqual({ participantId: X_CITIZEN_ID, payload: { text: 'Su cita quedó agendada.' } });
    expect(xChannelAdapter.encodeOutbound(message({ type: 'text', text: 'Hola' }, { phone: '+525512345678' }), settings).body).toEqual({ participantId: null, payload: { text: 'Hola' } });
  });

  it('posts to /2/dm_conversations/with/:id/messages with the bearer token; the dm_event_id is the provider id', async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const context: SendContext = {
      fetch: async (url, init) => {
        calls.push({ url: String(url), init });
        return new Response(JSON.stringify(xSendReply), { status: 201, headers: { 'content-type': 'application/json' } });
      },
    };
    const encoded = xChannelAdapter.encodeOutbound(message({ type: 'text', text: 'Listo' }), settings);
    expect(await xChannelAdapter.send(encoded, settings, secrets, context)).toEqual({ ok: true, providerMessageId: '1864150999000000001' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`http://127.0.0.1:9/x-api/2/dm_conversations/with/${X_CITIZEN_ID}/messages`);
    expect(calls[0]!.init).toMatchObject({ method: 'POST', headers: { authorization: 'Bearer user-token-demo', 'content-type': 'application/json' }, body: '{"text":"Listo"}' });
  });

  it('classifies X failures: 429 retries, 403 blocked, 401 auth, 5xx retries, 400 does not', async () => {
    const reply = (status: number, body: unknown) => ({ fetch: async () => new Response(JSON.stringify(body), { status }) });
    const encoded = xChannelAdapter.encodeOutbound(message({ type: 'text', text: 'Hola' }), settings);
    const send = (status: number, body: unknown = {}) => xChannelAdapter.send(encoded, settings, secrets, reply(status, body));
    expect(await send(429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 })).toEqual({ ok: false, retryable: true, code: 'rate_limited', reason: 'Too Many Requests' });
    expect(await send(403, { detail: 'You are not permitted to send this DM.', title: 'Forbidden', status: 403 })).toEqual({ ok: false, retryable: false, code: 'recipient_blocked', reason: 'You are not permitted to send this DM.' });
    expect(await send(401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' })).toMatchObject({ ok: false, retryable: false, code: 'provider_auth_failed' });
    expect(await send(503, { errors: [{ message: 'Over capacity' }] })).toEqual({ ok: false, retryable: true, code: 'http_503', reason: 'Over capacity' });
    expect(await send(400, { errors: [{ message: 'text too long' }], title: 'Invalid Request' })).toMatchObject({ ok: false, retryable: false, code: 'http_400', reason: 'text too long' });
    expect(await send(201, { data: {} })).toMatchObject({ ok: false, retryable: false, code: 'provider_reply_invalid' });
    const refused: SendContext = {
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    };
    expect(await xChannelAdapter.send(encoded, settings, secrets, refused)).toMatchObject({ ok: false, retryable: true, code: 'network_error' });
  });

  it('refuses without calling X: no X id, no text, no token', async () => {
    let called = 0;
    const context: SendContext = {
      fetch: async () => {
        called += 1;
        return new Response('{}', { status: 500 });
      },
    };
    const noId = xChannelAdapter.encodeOutbound(message({ type: 'text', text: 'Hola' }, { email: 'ana@example.mx' }), settings);
    expect(await xChannelAdapter.send(noId, settings, secrets, context)).toMatchObject({ ok: false, retryable: false, code: 'invalid_recipient' });
    const file = xChannelAdapter.encodeOutbound(message({ type: 'file', attachments: [{ url: 'https://example.mx/a.pdf' }] }), settings);
    expect(await xChannelAdapter.send(file, settings, secrets, context)).toMatchObject({ ok: false, retryable: false, code: 'capability_missing' });
    const text = xChannelAdapter.encodeOutbound(message({ type: 'text', text: 'Hola' }), settings);
    expect(await xChannelAdapter.send(text, settings, { consumerSecret: 'x' }, context)).toMatchObject({ ok: false, retryable: false, code: 'no_access_token' });
    expect(await xChannelAdapter.send({ body: { participantId: '../../2/users' } }, settings, secrets, context)).toMatchObject({ ok: false, retryable: false });
    expect(called).toBe(0);
  });

  it('settings need the account id; the API base defaults to api.x.com', () => {
    expect(xChannelAdapter.settingsSchema.safeParse({}).success).toBe(false);
    expect(xChannelAdapter.settingsSchema.safeParse({ accountId: '@VentanillaMX' }).success).toBe(false);
    expect(xChannelAdapter.settingsSchema.parse({ accountId: X_ACCOUNT_ID })).toMatchObject({ apiBaseUrl: 'https://api.x.com' });
  });
});
