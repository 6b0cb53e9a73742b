import { describe, expect, it } from 'vitest';
import { runAdapterConformance } from '../core/conformance.js';
import { signBody } from '../core/signature.js';
import { apiChannelAdapter, API_SIGNATURE_HEADER } from './api-channel.adapter.js';
import { apiFixtures } from './fixtures/api-fixtures.js';

const secrets = { signingSecret: 'd3m0-s3cr3t-for-tests-only-0123456789' };
const settings = apiChannelAdapter.settingsSchema.parse({ callbackUrl: 'http://127.0.0.1:9/callback' });
const sign = (body: Buffer) => ({ [API_SIGNATURE_HEADER]: signBody(secrets.signingSecret, body), 'content-type': 'application/json' });
const request = (payload: unknown) => {
  const body = Buffer.from(JSON.stringify(payload));
  return { method: 'POST', url: '/webhooks/api/x', headers: sign(body), body };
};

runAdapterConformance({
  adapter: apiChannelAdapter,
  settings,
  secrets,
  sign,
  fixtures: [
    { name: 'text message', request: request(apiFixtures.text), expectedEvents: 1 },
    { name: 'image with caption', request: request(apiFixtures.image), expectedEvents: 1 },
    { name: 'location', request: request(apiFixtures.location), expectedEvents: 1 },
    { name: 'batch of statuses and a message', request: request(apiFixtures.batch), expectedEvents: 3 },
  ],
  unsupported: request(apiFixtures.unsupported),
});

describe('API channel adapter', () => {
  it('verifies the documented signature: sha256=HMAC-SHA256(secret, raw body) in hex', () => {
    const body = Buffer.from('{"type":"status","id":"a","status":"read"}');
    // Computed independently: printf '%s' "$body" | openssl dgst -sha256 -hmac key
    const header = 'sha256=e6c65c277b4a0c25e2d9f33b1f6ae1b32e3f060c81fdc4e9c647f3b73ae02736';
    expect(signBody('key', body)).toBe(header);
    const verify = (h: string) => apiChannelAdapter.verifyRequest({ method: 'POST', url: '/', headers: { [API_SIGNATURE_HEADER]: h }, body }, settings, { signingSecret: 'key' });
    expect(verify(header)).toEqual({ ok: true });
    expect(verify(header.toUpperCase()).ok).toBe(false);
    expect(verify(header.slice(0, -2)).ok).toBe(false);
    expect(verify('sha1=' + header.slice(7)).ok).toBe(false);
  });

  it('keeps an unknown content type whole as unsupported', () => {
    const [event] = apiChannelAdapter.decodeInbound(request(apiFixtures.unsupported), settings);
    expect(event).toMatchObject({ type: 'message', content: { type: 'unsupported', providerType: 'sticker', raw: apiFixtures.unsupported.content } });
  });

  it('names the missing field of a malformed event', () => {
    expect(() => apiChannelAdapter.decodeInbound(request({ type: 'message', id: 'x', content: { type: 'text', text: 'hola' } }), settings)).toThrow(/match/);
    try {
      apiChannelAdapter.decodeInbound(request({ type: 'message', id: 'x', content: { type: 'text', text: 'hola' } }), settings);
    } catch (error) {
      expect((error as { issues: string[] }).issues.join(' ')).toContain('from');
    }
  });

  it('encodes an outbound message with our id, folio and recipient', () => {
    const encoded = apiChannelAdapter.encodeOutbound(
      { id: 'm1', conversationId: 'c1', folio: 'DH-20261126-000001', to: { phone: '+525512345678' }, content: { type: 'text', text: 'Hola' }, sender: { type: 'agent' } },
      settings,
    );
    expect(encoded.body).toEqual({ type: 'message', id: 'm1', conversationId: 'c1', folio: 'DH-20261126-000001', to: { phone: '+525512345678' }, content: { type: 'text', text: 'Hola' }, sender: { type: 'agent' } });
  });

  it('classifies callback failures as retryable or not', async () => {
    const reply = (status: number, body = '') => async () => new Response(body, { status });
    const encoded = { body: { id: 'm1' } };
    expect(await apiChannelAdapter.send(encoded, settings, secrets, { fetch: reply(200, '{"id":"p-9"}') })).toEqual({ ok: true, providerMessageId: 'p-9' });
    expect(await apiChannelAdapter.send(encoded, settings, secrets, { fetch: reply(503) })).toMatchObject({ ok: false, retryable: true, code: 'http_503' });
    expect(await apiChannelAdapter.send(encoded, settings, secrets, { fetch: reply(429) })).toMatchObject({ ok: false, retryable: true });
    expect(await apiChannelAdapter.send(encoded, settings, secrets, { fetch: reply(400, 'bad recipient') })).toMatchObject({ ok: false, retryable: false, reason: 'bad recipient' });
    const refused = async () => {
      throw new TypeError('fetch failed');
    };
    expect(await apiChannelAdapter.send(encoded, settings, secrets, { fetch: refused })).toMatchObject({ ok: false, retryable: true, code: 'network_error' });
    const noUrl = apiChannelAdapter.settingsSchema.parse({});
    expect(await apiChannelAdapter.send(encoded, noUrl, secrets, { fetch: reply(200) })).toMatchObject({ ok: false, retryable: false, code: 'no_callback_url' });
  });
});
