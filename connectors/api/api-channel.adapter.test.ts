import { describe, expect, it } from 'vitest';
import { DecodeError } from '../core/channel-adapter.js';
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
    { name: 'batch of statuses and a message', request: request(apiFixtures.batch), expectedEvents: 3, expectedTypes: ['status', 'status', 'message'] },
    { name: 'end of session', request: request(apiFixtures.end), expectedEvents: 1, expectedTypes: ['contact_left'] },
    { name: 'a message then the end of session', request: request(apiFixtures.messageThenEnd), expectedEvents: 2, expectedTypes: ['message', 'contact_left'] },
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

describe('API channel: the citizen ends the session ("type":"end")', () => {
  const issuesOf = (payload: unknown): string[] => {
    try {
      apiChannelAdapter.decodeInbound(request(payload), settings);
    } catch (error) {
      if (error instanceof DecodeError) return error.issues;
      throw error;
    }
    throw new Error('expected a DecodeError');
  };

  it('becomes contact_left with the contact as given, the provider id, time and reason', () => {
    expect(apiChannelAdapter.decodeInbound(request(apiFixtures.end), settings)).toEqual([
      { type: 'contact_left', providerEventId: 'crm-end-000128', occurredAt: '2026-11-26T10:21:30-06:00', contact: { phone: '+52 55 1234 5678' }, reason: 'closed_widget' },
    ]);
  });

  it('without timestamp or reason: arrival time, and no reason key at all', () => {
    const before = Date.now();
    const [event] = apiChannelAdapter.decodeInbound(request({ type: 'end', id: 'e-1', from: { email: 'ana@example.mx' } }), settings);
    expect(event).toEqual({ type: 'contact_left', providerEventId: 'e-1', occurredAt: expect.any(String), contact: { email: 'ana@example.mx' } });
    expect(event && Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('keeps the order of a message and the end delivered together', () => {
    const events = apiChannelAdapter.decodeInbound(request(apiFixtures.messageThenEnd), settings);
    expect(events.map((e) => e.type)).toEqual(['message', 'contact_left']);
    expect(events[1]).toMatchObject({ providerEventId: 'crm-end-000130', contact: { externalId: 'app-user-77' } });
  });

  it('needs someone to identify: no from, or a name alone, is rejected naming from', () => {
    expect(issuesOf({ type: 'end', id: 'e-2' }).join(' ')).toContain('from');
    expect(issuesOf({ type: 'end', id: 'e-3', from: { name: 'Ana' } }).join(' ')).toMatch(/from: from needs at least one of phone, email or externalId/);
  });

  it('rejects a missing id, an empty reason and a bad timestamp, each by name', () => {
    expect(issuesOf({ type: 'end', from: { phone: '5512345678' } }).join(' ')).toContain('id');
    expect(issuesOf({ type: 'end', id: 'e-4', from: { phone: '5512345678' }, reason: '' }).join(' ')).toContain('reason');
    expect(issuesOf({ type: 'end', id: 'e-5', from: { phone: '5512345678' }, timestamp: 'ayer' }).join(' ')).toContain('timestamp');
  });

  it('an unknown event type is a malformed body, not an end', () => {
    expect(issuesOf({ type: 'typing', id: 'e-6', from: { phone: '5512345678' } }).join(' ')).toContain('type');
  });
});
