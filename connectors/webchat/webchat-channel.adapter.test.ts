import { describe, expect, it } from 'vitest';
import { DecodeError, type SendContext } from '../core/channel-adapter.js';
import type { OutboundMessage } from '../core/outbound-message.js';
import { webchatChannelAdapter } from './webchat-channel.adapter.js';

// No conformance run (core/conformance.ts): that suite is about signed provider webhooks, and the
// widget has none — its traffic arrives through the hub's own /widget/v1 routes (test/webchat).

const settings = webchatChannelAdapter.settingsSchema.parse({ allowedOrigins: ['https://www.gob.mx'] });
const FILE_ID = '3f0c6a57-9a39-4c39-8d7e-0c2f6d1f0a11';
const VISITOR = '7b1e8a35-4f07-4a8e-9a53-5b8f1f9ad001';

const reply = (overrides: Partial<OutboundMessage> = {}): OutboundMessage => ({
  id: 'c6a1d6d0-0f5c-4d0e-8f43-2f1f6a6c9b10',
  conversationId: 'c1',
  folio: 'DH-20261126-000001',
  to: { externalId: VISITOR, name: 'Ana' },
  content: { type: 'text', text: 'Hola, ¿en qué le ayudo?' },
  sender: { type: 'agent', name: 'Luisa Pérez' },
  ...overrides,
});

function recorder(): { context: SendContext; sent: { visitorId: string; event: string; payload: unknown }[] } {
  const sent: { visitorId: string; event: string; payload: unknown }[] = [];
  return { sent, context: { fetch, widget: { deliver: (visitorId, event, payload) => void sent.push({ visitorId, event, payload }) } } };
}

describe('web chat channel adapter', () => {
  it('applies the documented defaults and refuses a wildcard or a missing origin list', () => {
    expect(settings).toMatchObject({
      title: 'Atención ciudadana',
      locale: 'es-MX',
      colors: { primary: '#0b5c4c', onPrimary: '#ffffff' },
      captcha: { kind: 'pow', difficulty: 16 },
      attachments: { enabled: true, maxBytes: 5 * 1024 * 1024 },
      maskIp: true,
      leaveMessage: true,
    });
    expect(settings.prechat.fields).toEqual([
      { name: 'name', required: true },
      { name: 'email', required: false },
      { name: 'phone', required: false },
      { name: 'topic', required: false },
    ]);
    const schema = webchatChannelAdapter.settingsSchema;
    expect(schema.safeParse({ allowedOrigins: ['*'] }).success).toBe(false);
    expect(schema.safeParse({ allowedOrigins: [] }).success).toBe(false);
    expect(schema.safeParse({}).success).toBe(false);
    expect(schema.safeParse({ allowedOrigins: ['https://www.gob.mx/tramites'] }).success).toBe(false);
    expect(schema.safeParse({ allowedOrigins: ['https://www.gob.mx'], captcha: { difficulty: 30 } }).success).toBe(false);
  });

  it('fails closed on the webhook entry points: web chat arrives through the widget', () => {
    const raw = { method: 'POST', url: '/webhooks/webchat/x', headers: {}, body: Buffer.from('{}') };
    expect(webchatChannelAdapter.verifyRequest(raw, settings, {})).toEqual({ ok: false, reason: 'web chat arrives through the widget endpoints' });
    expect(() => webchatChannelAdapter.decodeInbound(raw, settings)).toThrow(DecodeError);
  });

  it("encodes an agent's text with the agent's display name for the visitor's room", () => {
    expect(webchatChannelAdapter.encodeOutbound(reply(), settings).body).toEqual({
      visitorId: VISITOR,
      message: {
        id: 'c6a1d6d0-0f5c-4d0e-8f43-2f1f6a6c9b10',
        clientMessageId: null,
        sender: 'agent',
        senderName: 'Luisa Pérez',
        text: 'Hola, ¿en qué le ayudo?',
        attachments: [],
      },
    });
  });

  it('names nobody on system and bot messages', () => {
    const body = webchatChannelAdapter.encodeOutbound(reply({ sender: { type: 'system', name: 'router' } }), settings).body;
    expect(body).toMatchObject({ message: { sender: 'system', senderName: null } });
  });

  it('points stored files at the widget download route, reading the file id out of the staff URL when absent', () => {
    const body = webchatChannelAdapter.encodeOutbound(
      reply({
        content: {
          type: 'file',
          text: 'Su constancia',
          attachments: [
            { url: `https://hub.example.mx/api/v1/files/${FILE_ID}?token=c.123.-.abc`, filename: 'constancia.pdf', mimeType: 'application/pdf', size: 2048 },
            { fileId: FILE_ID, filename: 'copia.pdf', mimeType: 'application/pdf', size: 10 },
            { url: 'https://cdn.example.mx/aviso.png' },
          ],
        },
      }),
      settings,
    ).body;
    expect(body).toMatchObject({
      message: {
        text: 'Su constancia',
        attachments: [
          { fileId: FILE_ID, filename: 'constancia.pdf', mimeType: 'application/pdf', size: 2048, url: `/widget/v1/files/${FILE_ID}` },
          { fileId: FILE_ID, filename: 'copia.pdf', url: `/widget/v1/files/${FILE_ID}` },
          { filename: 'archivo', mimeType: 'application/octet-stream', size: 0, url: 'https://cdn.example.mx/aviso.png' },
        ],
      },
    });
  });

  it("delivers to the visitor's sockets and returns our message id as the provider id", async () => {
    const { context, sent } = recorder();
    const encoded = webchatChannelAdapter.encodeOutbound(reply(), settings);
    const result = await webchatChannelAdapter.send(encoded, settings, {}, context);
    expect(result).toEqual({ ok: true, providerMessageId: 'c6a1d6d0-0f5c-4d0e-8f43-2f1f6a6c9b10' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ visitorId: VISITOR, event: 'message.created', payload: { id: 'c6a1d6d0-0f5c-4d0e-8f43-2f1f6a6c9b10', senderName: 'Luisa Pérez' } });
    expect(sent[0]?.payload).toMatchObject({ createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) });
  });

  it('retries when this process cannot reach widget sockets, and gives up when the contact has no visitor', async () => {
    const encoded = webchatChannelAdapter.encodeOutbound(reply(), settings);
    expect(await webchatChannelAdapter.send(encoded, settings, {}, { fetch })).toMatchObject({ ok: false, retryable: true, code: 'widget_unavailable' });
    const { context, sent } = recorder();
    const nobody = webchatChannelAdapter.encodeOutbound(reply({ to: { phone: '+525512345678' } }), settings);
    expect(await webchatChannelAdapter.send(nobody, settings, {}, context)).toMatchObject({ ok: false, retryable: false, code: 'no_visitor' });
    expect(await webchatChannelAdapter.send({ body: { nonsense: true } }, settings, {}, context)).toMatchObject({ ok: false, retryable: false, code: 'malformed' });
    expect(sent).toHaveLength(0);
  });
});
