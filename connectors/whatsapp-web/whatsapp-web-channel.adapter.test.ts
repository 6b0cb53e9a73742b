import { describe, expect, it } from 'vitest';
import { assertEncodable } from '../core/assert-encodable.js';
import { DecodeError, type RawRequest } from '../core/channel-adapter.js';
import { deliveryStatusSchema } from '../core/inbound-event.js';
import type { OutboundContent, OutboundMessage } from '../core/outbound-message.js';
import { whatsappWebChannelAdapter as adapter } from './whatsapp-web-channel.adapter.js';
import { whatsappWebOutboundSchema } from './whatsapp-web-channel.schema.js';
import { fromAck, MESSAGE_ACK } from './whatsapp-web-inbound.js';

const settings = adapter.settingsSchema.parse({});
const ours = { id: { fromMe: true, remote: '5215512345678@c.us', id: '3EB0X', _serialized: 'true_5215512345678@c.us_3EB0X' }, fromMe: true };

function message(content: OutboundContent, to: OutboundMessage['to'] = { phone: '+525512345678' }): OutboundMessage {
  return { id: '6f1c2b7e-3d4a-4b5c-8d9e-0f1a2b3c4d5e', conversationId: 'c', folio: 'DH-20261126-000001', to, content, sender: { type: 'agent' } };
}

/**
 * The conformance rules that apply to a session channel (runAdapterConformance is built around
 * signed webhooks, which this channel does not have): nothing over HTTP is ever accepted, every
 * documented provider status maps and nothing else does, outbound encodes purely where the
 * capabilities allow it.
 */
describe('whatsapp_web adapter conformance (session ingress)', () => {
  const request: RawRequest = { method: 'POST', url: '/webhooks/whatsapp_web/x', headers: { 'content-type': 'application/json' }, body: Buffer.from('{"type":"chat"}') };

  it('declares session ingress and a settings schema that accepts its defaults', () => {
    expect(adapter.ingress).toBe('session');
    expect(adapter.settingsSchema.safeParse({}).success).toBe(true);
    expect(settings).toEqual({ acceptGroups: false });
  });

  it('fails closed for any HTTP request and decodes none', () => {
    expect(adapter.verifyRequest(request, settings, {}).ok).toBe(false);
    expect(adapter.verifyRequest(request, settings, { anything: 'x' }).ok).toBe(false);
    expect(() => adapter.decodeInbound(request, settings)).toThrow(DecodeError);
  });

  it('maps every documented ack word to a delivery status or ignored, the same way fromAck does', () => {
    const table = adapter.providerStatuses ?? {};
    expect(Object.keys(table).sort()).toEqual(Object.keys(MESSAGE_ACK).sort());
    for (const [word, ack] of Object.entries(MESSAGE_ACK)) {
      const status = table[word];
      expect(status === 'ignored' || deliveryStatusSchema.safeParse(status).success).toBe(true);
      expect(fromAck(ours, ack)?.status ?? 'ignored').toBe(status);
    }
    // An ack number the library never documented moves nothing.
    expect(fromAck(ours, 7)).toBeNull();
    expect(fromAck(ours, -2)).toBeNull();
  });

  it('encodes text and media purely; refuses interactive and templates before encoding', () => {
    const text: OutboundContent = { type: 'text', text: 'Su trámite está en revisión.' };
    const media: OutboundContent = {
      type: 'image',
      text: 'Comprobante',
      attachments: [{ url: 'https://files.example.mx/f/comprobante.jpg', fileId: '0b6c3f0e-8a52-4c1e-9d3f-2a7e5b1c9d40', filename: 'comprobante.jpg', mimeType: 'image/jpeg' }],
    };
    for (const content of [text, media]) {
      expect(assertEncodable(adapter.capabilities, content)).toEqual({ ok: true });
      const first = adapter.encodeOutbound(message(content), settings);
      expect(adapter.encodeOutbound(message(content), settings)).toEqual(first);
      expect(whatsappWebOutboundSchema.safeParse(first.body).success).toBe(true);
    }
    expect(assertEncodable(adapter.capabilities, { type: 'interactive', text: '¿Cita?', buttons: [{ id: 'si', title: 'Sí' }] })).toMatchObject({ ok: false, code: 'capability_missing' });
    expect(assertEncodable(adapter.capabilities, { type: 'template', template: { name: 'x', language: 'es_MX', variables: [] } })).toMatchObject({ ok: false, code: 'capability_missing' });
    expect(assertEncodable(adapter.capabilities, { type: 'text', text: 'a'.repeat(adapter.capabilities.maxTextLength + 1) })).toMatchObject({ ok: false, code: 'text_too_long' });
  });
});

describe('whatsapp_web outbound encoding', () => {
  it('sends to <digits>@c.us from the E.164 phone', () => {
    expect(adapter.encodeOutbound(message({ type: 'text', text: 'Hola' }), settings).body).toEqual({ chatId: '525512345678@c.us', text: 'Hola' });
  });

  it('prefers the WhatsApp id the citizen wrote from (521… for Mexican mobiles, @lid without a phone)', () => {
    const to = { phone: '+525512345678', externalId: '5215512345678@c.us' };
    expect(adapter.encodeOutbound(message({ type: 'text', text: 'Hola' }, to), settings).body).toEqual({ chatId: '5215512345678@c.us', text: 'Hola' });
    expect(adapter.encodeOutbound(message({ type: 'text', text: 'Hola' }, { externalId: '123456789012345@lid' }), settings).body).toMatchObject({ chatId: '123456789012345@lid' });
    // An external id of another shape (not a WhatsApp id) is not used as a chat id.
    expect(adapter.encodeOutbound(message({ type: 'text', text: 'Hola' }, { phone: '+525512345678', externalId: 'crm-991' }), settings).body).toMatchObject({ chatId: '525512345678@c.us' });
  });

  it('sends one file with its url, stored id, name, type and the text as caption', () => {
    const body = adapter.encodeOutbound(
      message({ type: 'file', text: 'Su constancia', attachments: [{ fileId: '0b6c3f0e-8a52-4c1e-9d3f-2a7e5b1c9d40', url: 'https://hub.example.mx/f/1', filename: 'constancia.pdf', mimeType: 'application/pdf' }] }),
      settings,
    ).body;
    expect(body).toEqual({
      chatId: '525512345678@c.us',
      media: { url: 'https://hub.example.mx/f/1', fileId: '0b6c3f0e-8a52-4c1e-9d3f-2a7e5b1c9d40', filename: 'constancia.pdf', mimetype: 'application/pdf', caption: 'Su constancia' },
    });
  });

  it('answers a retryable session_unavailable where no session manager runs, and hands the body to it where one does', async () => {
    const encoded = adapter.encodeOutbound(message({ type: 'text', text: 'Hola' }), settings);
    expect(await adapter.send(encoded, settings, {}, { fetch })).toMatchObject({ ok: false, retryable: true, code: 'session_unavailable' });
    const seen: unknown[] = [];
    const sessions = {
      send: async (channelId: string, body: unknown) => {
        seen.push([channelId, body]);
        return { ok: true as const, providerMessageId: 'true_525512345678@c.us_3EB0A' };
      },
      fetchMedia: async () => null,
    };
    expect(await adapter.send(encoded, settings, {}, { fetch, channelId: 'ch-1', sessions })).toEqual({ ok: true, providerMessageId: 'true_525512345678@c.us_3EB0A' });
    expect(seen).toEqual([['ch-1', encoded.body]]);
    await expect(adapter.fetchMedia?.('false_x@c.us_1', settings, {}, { fetch, maxBytes: 10 })).rejects.toThrow(/session_unavailable/);
  });
});
