import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { assertEncodable } from './assert-encodable.js';
import type { ChannelAdapter, ChannelCapabilities, RawRequest } from './channel-adapter.js';
import { DecodeError } from './channel-adapter.js';
import { runAdapterConformance, UNKNOWN_STATUS_WORD } from './conformance.js';
import type { DeliveryStatus, InboundEvent } from './inbound-event.js';
import { renderTemplate, templateCatalogueSchema, templatesOf } from './message-template.schema.js';
import { signBody, verifyBodySignature } from './signature.js';

/**
 * A reference adapter for a made-up provider with everything issue 6 asks of a messaging
 * channel (status words, templates, interactive, a window): the suite runs against it here, so
 * a change to the suite is checked before the real adapters meet it.
 */
const STATUSES: Record<string, DeliveryStatus | 'ignored'> = {
  accepted: 'ignored',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
};

const settingsSchema = z.object({ templates: templateCatalogueSchema.optional() });
type Settings = z.infer<typeof settingsSchema>;
const entrySchema = z.looseObject({ kind: z.string(), id: z.string(), from: z.string().optional(), text: z.string().optional(), status: z.string().optional() });

const referenceAdapter: ChannelAdapter<Settings> = {
  kind: 'api',
  displayName: 'Referencia',
  ingress: 'webhook',
  capabilities: { text: true, media: true, location: false, interactive: true, templates: true, deliveryReceipts: true, readReceipts: true, maxTextLength: 4096, customerServiceWindowHours: 24 },
  settingsSchema,
  secretNames: ['appSecret'],
  secretSource: 'provided',
  providerStatuses: STATUSES,
  verifyRequest(request, _settings, secrets) {
    const secret = secrets['appSecret'];
    if (!secret) return { ok: false, reason: 'no secret' };
    return verifyBodySignature(secret, request.body, request.headers['x-signature']) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
  },
  decodeInbound(request) {
    let json: unknown;
    try {
      json = JSON.parse(request.body.toString('utf8'));
    } catch {
      throw new DecodeError('not json');
    }
    const parsed = z.object({ at: z.iso.datetime({ offset: true }), entries: z.array(entrySchema) }).safeParse(json);
    if (!parsed.success) throw new DecodeError('bad body');
    const at = parsed.data.at;
    return parsed.data.entries.flatMap((entry): InboundEvent[] => {
      if (entry.kind === 'status') {
        // Exhaustive through the table: an undocumented word is no status at all.
        const status = entry.status !== undefined && Object.hasOwn(STATUSES, entry.status) ? STATUSES[entry.status] : undefined;
        return status && status !== 'ignored' ? [{ type: 'status', providerMessageId: entry.id, occurredAt: at, status }] : [];
      }
      const contact = { phone: entry.from ?? '+525500000000' };
      if (entry.kind === 'text' && entry.text) return [{ type: 'message', providerMessageId: entry.id, occurredAt: at, contact, content: { type: 'text', text: entry.text } }];
      return [{ type: 'message', providerMessageId: entry.id, occurredAt: at, contact, content: { type: 'unsupported', providerType: entry.kind, raw: entry } }];
    });
  },
  encodeOutbound(message) {
    return { body: { to: message.to.phone, ref: message.id, content: message.content } };
  },
  async send() {
    return { ok: true, providerMessageId: 'p-1' };
  },
};

const secrets = { appSecret: 'referencia-secreta-0123456789' };
const settings: Settings = { templates: [{ name: 'recordatorio_cita', language: 'es_MX', body: 'Hola {{1}}, su cita es el {{2}}.', variables: 2 }] };
const sign = (body: Buffer) => ({ 'x-signature': signBody(secrets.appSecret, body) });
const request = (entries: unknown[]): RawRequest => {
  const body = Buffer.from(JSON.stringify({ at: '2026-11-26T10:00:00-06:00', entries }));
  return { method: 'POST', url: '/webhooks/ref/x', headers: { 'content-type': 'application/json', ...sign(body) }, body };
};

runAdapterConformance({
  adapter: referenceAdapter,
  settings,
  secrets,
  sign,
  fixtures: [
    { name: 'text', request: request([{ kind: 'text', id: 'm1', from: '+525511112222', text: 'Hola' }]), expectedEvents: 1, expectedTypes: ['message'] },
    {
      name: 'statuses with an ignored word',
      request: request([
        { kind: 'status', id: 'o1', status: 'accepted' },
        { kind: 'status', id: 'o1', status: 'sent' },
        { kind: 'status', id: 'o1', status: 'read' },
      ]),
      expectedEvents: 2,
      providerStatusWords: ['accepted', 'sent', 'read'],
    },
  ],
  unsupported: request([{ kind: 'sticker', id: 'm2', from: '+525511112222' }]),
  statusRequest: (word) => request([{ kind: 'status', id: 'o2', status: word }]),
  outboundTemplate: { name: 'recordatorio_cita', language: 'es_MX', variables: ['Ana', '27 de noviembre'] },
});

describe('assertEncodable', () => {
  const caps: ChannelCapabilities = { text: true, media: false, location: false, interactive: false, templates: false, deliveryReceipts: true, readReceipts: false, maxTextLength: 10 };

  it('refuses what the capabilities lack, naming it, with the generic code', () => {
    expect(assertEncodable(caps, { type: 'file', attachments: [{ url: 'https://x.mx/a.pdf' }] })).toEqual({ ok: false, code: 'capability_missing', reason: 'channel cannot carry files' });
    expect(assertEncodable(caps, { type: 'interactive', text: 'a', buttons: [{ id: 'a', title: 'A' }] })).toMatchObject({ ok: false, reason: 'channel cannot carry interactive messages' });
    expect(assertEncodable(caps, { type: 'template', template: { name: 't', language: 'es_MX', variables: [] } })).toMatchObject({ ok: false, code: 'capability_missing' });
  });

  it('counts characters, not UTF-16 units, against maxTextLength (captions included)', () => {
    expect(assertEncodable(caps, { type: 'text', text: '😀'.repeat(10) })).toEqual({ ok: true });
    expect(assertEncodable(caps, { type: 'text', text: 'ñ'.repeat(11) })).toMatchObject({ ok: false, code: 'text_too_long' });
    expect(assertEncodable({ ...caps, media: true }, { type: 'image', text: 'x'.repeat(11), attachments: [{ url: 'https://x.mx/a.jpg' }] })).toMatchObject({ ok: false, code: 'text_too_long' });
  });
});

describe('template catalogue', () => {
  it('renders {{n}} placeholders with the variables, leaving a missing one visible', () => {
    expect(renderTemplate('Hola {{1}}, su cita es el {{ 2 }}.', ['Ana', 'lunes'])).toBe('Hola Ana, su cita es el lunes.');
    expect(renderTemplate('Folio {{1}} y {{3}}', ['A'])).toBe('Folio A y {{3}}');
  });

  it('reads the catalogue from any settings, and none from settings without one or a bad one', () => {
    expect(templatesOf(settings)).toHaveLength(1);
    expect(templatesOf({ callbackUrl: 'https://x.mx' })).toEqual([]);
    expect(templatesOf({ templates: [{ name: 'Mal Nombre', language: 'es', body: 'x', variables: 0 }] })).toEqual([]);
  });

  it('the undocumented status word used by the suite is in no table', () => {
    expect(Object.hasOwn(STATUSES, UNKNOWN_STATUS_WORD)).toBe(false);
  });
});
