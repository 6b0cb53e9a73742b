import { describe, expect, it } from 'vitest';
import { apiChannelAdapter, apiChannelSettingsSchema, type RawRequest } from '@ventanilla/connectors';
import { verifyBodySignature } from '@ventanilla/connectors/core';
import { buildSimulatedRequest, isLoopback, SIGNATURE_HEADER, type SimChannel } from '../../bench/src/simulate.js';

const channels: SimChannel[] = [
  { id: '0b7a4c1e-0000-4000-8000-000000000001', campaign: 'derechohabientes', secret: 'secreto-derechohabientes-0123456789' },
  { id: '0b7a4c1e-0000-4000-8000-000000000002', campaign: 'contribuyentes', secret: 'secreto-contribuyentes-0123456789' },
];
const at = new Date('2026-11-26T16:00:00.000Z');
const settings = apiChannelSettingsSchema.parse({});

function build(index: number, seed: number | string = 42) {
  return buildSimulatedRequest(index, { seed, runId: 'run1', channels, at });
}

function raw(request: ReturnType<typeof build>): RawRequest {
  return { method: 'POST', url: request.path, headers: request.headers, body: Buffer.from(request.body, 'utf8') };
}

describe('citizen simulator', () => {
  const requests = Array.from({ length: 500 }, (_, i) => build(i));

  it('signs every body like a real client: the hub verifies it, a wrong secret does not', () => {
    for (const request of requests) {
      const channel = channels.find((c) => c.id === request.channelId);
      expect(channel).toBeDefined();
      const body = Buffer.from(request.body, 'utf8');
      expect(verifyBodySignature(channel?.secret ?? '', body, request.headers[SIGNATURE_HEADER])).toBe(true);
      expect(verifyBodySignature('otro-secreto', body, request.headers[SIGNATURE_HEADER])).toBe(false);
      expect(apiChannelAdapter.verifyRequest(raw(request), settings, { signingSecret: channel?.secret ?? '' })).toEqual({ ok: true });
    }
  });

  it('produces bodies the API channel decodes, keeping unknown content as unsupported', () => {
    const kinds = new Set<string>();
    for (const request of requests) {
      const events = apiChannelAdapter.decodeInbound(raw(request), settings);
      expect(events).toHaveLength(1);
      const event = events[0];
      if (event?.type !== 'message') throw new Error('expected a message event');
      expect(event.providerMessageId).toBe(request.messageId);
      expect(event.occurredAt).toBe(at.toISOString());
      expect(event.contact.name).toMatch(/\S+ \S+/);
      if (event.contact.phone) expect(event.contact.phone).toMatch(/^\+52\d{10}$/);
      kinds.add(event.content.type);
    }
    expect(kinds).toContain('text');
    expect(kinds).toContain('unsupported');
  });

  it('is reproducible per seed, unique per message and has returning citizens', () => {
    expect(build(7).body).toBe(build(7).body);
    expect(build(7, 'otra-semilla').body).not.toBe(build(7).body);
    expect(new Set(requests.map((r) => r.messageId)).size).toBe(requests.length);
    const perCitizen = new Map<number, number>();
    for (const r of requests) perCitizen.set(r.citizen, (perCitizen.get(r.citizen) ?? 0) + 1);
    expect([...perCitizen.values()].some((n) => n >= 3)).toBe(true);
    // A returning citizen keeps writing to the same channel (one conversation, one folio).
    const channelOf = new Map<number, string>();
    for (const r of requests) {
      expect(channelOf.get(r.citizen) ?? r.channelId).toBe(r.channelId);
      channelOf.set(r.citizen, r.channelId);
    }
    expect(new Set(requests.map((r) => r.channelId)).size).toBe(channels.length);
  });

  it('writes Spanish citizen messages on the campaign they belong to', () => {
    const texts = requests.map((r) => ({ channelId: r.channelId, text: String(JSON.parse(r.body).content.text ?? '') }));
    const dh = texts.filter((t) => t.channelId === channels[0]?.id).map((t) => t.text).join('\n');
    const co = texts.filter((t) => t.channelId === channels[1]?.id).map((t) => t.text).join('\n');
    expect(dh).toMatch(/cita|semanas cotizadas|incapacidad|pensi[oó]n/i);
    expect(co).toMatch(/RFC|constancia de situaci[oó]n fiscal|buz[oó]n tributario|patr[oó]n|cuotas/i);
    expect(dh).not.toMatch(/buz[oó]n tributario/i);
  });

  it('only targets loopback addresses unless told otherwise', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('[::1]')).toBe(true);
    expect(isLoopback('10.0.0.5')).toBe(false);
    expect(isLoopback('hub.example.gob.mx')).toBe(false);
  });
});
