import { describe, expect, it } from 'vitest';
import { DecodeError, type RawRequest } from '../core/channel-adapter.js';
import { runAdapterConformance } from '../core/conformance.js';
import { signBody } from '../core/signature.js';
import { whatsappChannelAdapter, WHATSAPP_SIGNATURE_HEADER } from './whatsapp-channel.adapter.js';
import { FIXTURE_PHONE_NUMBER_ID, whatsappFixture, type WhatsAppFixtureName } from './fixtures/whatsapp-fixtures.js';

const secrets = { accessToken: 'EAAG-test-access-token', appSecret: 'app-secret-for-tests-0123456789', verifyToken: 'verificacion-ventanilla-2026' };
const settings = whatsappChannelAdapter.settingsSchema.parse({
  phoneNumberId: FIXTURE_PHONE_NUMBER_ID,
  templates: [{ name: 'recordatorio_cita', language: 'es_MX', category: 'utility', body: 'Hola {{1}}, su cita es el {{2}}.', variables: 2 }],
});
const sign = (body: Buffer) => ({ [WHATSAPP_SIGNATURE_HEADER]: signBody(secrets.appSecret, body), 'content-type': 'application/json' });
const signed = (body: Buffer): RawRequest => ({ method: 'POST', url: '/webhooks/whatsapp/x', headers: sign(body), body });
const fixture = (name: WhatsAppFixtureName) => signed(whatsappFixture(name));
const decode = (name: WhatsAppFixtureName) => whatsappChannelAdapter.decodeInbound(fixture(name), settings);
const json = (value: unknown) => signed(Buffer.from(JSON.stringify(value)));

/** A statuses webhook with one status word, shaped like the documented sample. */
function statusRequest(word: string): RawRequest {
  const body = JSON.parse(whatsappFixture('status-read').toString('utf8')) as { entry: [{ changes: [{ value: { statuses: [{ status: string }] } }] }] };
  body.entry[0].changes[0].value.statuses[0].status = word;
  return json(body);
}

const CITIZEN = { phone: '+5215512345678', name: 'María Guadalupe Hernández' };
const SENT_ID = 'wamid.HBgNNTIxNTUxMjM0NTY3OBUCABEYEjQ0QUQ1QjZCMjI3RjlBMDAwMQA=';
const CONTEXT_ID = 'wamid.HBgNNTIxNTUxMjM0NTY3OBUCABEYEkJVVFRPTlNfMDAwMDAxAA==';

runAdapterConformance({
  adapter: whatsappChannelAdapter,
  settings,
  secrets,
  sign,
  statusRequest,
  outboundTemplate: { name: 'recordatorio_cita', language: 'es_MX', variables: ['Ana', '27 de noviembre'] },
  fixtures: [
    ...(['text', 'image', 'document', 'audio', 'video', 'sticker', 'location', 'contacts', 'interactive-button-reply', 'interactive-list-reply', 'button', 'reaction', 'unsupported'] as const).map((name) => ({
      name,
      request: fixture(name),
      expectedEvents: 1,
      expectedTypes: ['message' as const],
    })),
    { name: 'status-sent', request: fixture('status-sent'), expectedEvents: 1, expectedTypes: ['status'], providerStatusWords: ['sent'] },
    { name: 'status-delivered', request: fixture('status-delivered'), expectedEvents: 1, providerStatusWords: ['delivered'] },
    { name: 'status-read', request: fixture('status-read'), expectedEvents: 1, providerStatusWords: ['read'] },
    { name: 'status-failed', request: fixture('status-failed'), expectedEvents: 1, providerStatusWords: ['failed'] },
    { name: 'statuses-delivered-read-deleted', request: fixture('statuses-delivered-read-deleted'), expectedEvents: 2, providerStatusWords: ['delivered', 'read', 'deleted'] },
    { name: 'template-status-update (no messages)', request: fixture('template-status-update'), expectedEvents: 0 },
  ],
  unsupported: fixture('unsupported'),
});

describe('WhatsApp webhook signature and verification handshake', () => {
  it('verifies X-Hub-Signature-256: sha256=HMAC-SHA256(app secret, raw body) in lowercase hex', () => {
    const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
    // Computed independently: printf '%s' "$body" | openssl dgst -sha256 -hmac app-secret-demo
    const header = 'sha256=c6f9cab4a429d2f621d2b43235ccdc1f8c353f3e7902d9b6dbcacf4e84b22ff3';
    expect(signBody('app-secret-demo', body)).toBe(header);
    const verify = (value: string, appSecret = 'app-secret-demo') =>
      whatsappChannelAdapter.verifyRequest({ method: 'POST', url: '/', headers: { [WHATSAPP_SIGNATURE_HEADER]: value }, body }, settings, { appSecret });
    expect(verify(header)).toEqual({ ok: true });
    expect(verify(header.slice(0, -1)).ok).toBe(false);
    expect(verify('sha1=' + header.slice(7)).ok).toBe(false);
    expect(verify(header, 'another-app-secret').ok).toBe(false);
    // The verify token is not the app secret: a channel with only a verify token rejects everything.
    const onlyVerifyToken = whatsappChannelAdapter.verifyRequest({ method: 'POST', url: '/', headers: { [WHATSAPP_SIGNATURE_HEADER]: header }, body }, settings, { verifyToken: 'app-secret-demo' });
    expect(onlyVerifyToken.ok).toBe(false);
  });

  const get = (query: string) => whatsappChannelAdapter.handshake!({ method: 'GET', url: `/webhooks/whatsapp/abc?${query}`, headers: {}, body: Buffer.alloc(0) }, settings, secrets);

  it('answers Meta’s subscription check with the challenge when the verify token matches', () => {
    expect(get('hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=verificacion-ventanilla-2026')).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: '1158201444' });
  });

  it('refuses a wrong or missing token, another mode, a missing or odd challenge, and a channel without a verify token', () => {
    expect(get('hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=otro')?.status).toBe(403);
    expect(get('hub.mode=subscribe&hub.challenge=1158201444')?.status).toBe(403);
    expect(get('hub.mode=unsubscribe&hub.challenge=1158201444&hub.verify_token=verificacion-ventanilla-2026')?.status).toBe(403);
    expect(get('hub.mode=subscribe&hub.verify_token=verificacion-ventanilla-2026')?.status).toBe(403);
    expect(get('hub.mode=subscribe&hub.challenge=%3Cscript%3E&hub.verify_token=verificacion-ventanilla-2026')?.status).toBe(403);
    expect(get('')?.status).toBe(403);
    const noToken = whatsappChannelAdapter.handshake!({ method: 'GET', url: '/?hub.mode=subscribe&hub.challenge=1&hub.verify_token=', headers: {}, body: Buffer.alloc(0) }, settings, {});
    expect(noToken?.status).toBe(403);
  });
});

describe('WhatsApp inbound mapping (documented payloads)', () => {
  const message = (content: unknown, id: string, occurredAt = '2025-11-26T15:15:00.000Z') => [{ type: 'message', providerMessageId: id, occurredAt, contact: CITIZEN, content }];

  it('text: the citizen as +wa_id with their profile name, the time from the unix timestamp', () => {
    expect(decode('text')).toEqual(message({ type: 'text', text: 'Hola, quiero saber el estatus de mi trámite de pasaporte' }, 'wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjBBMDAwMDAwMDAwMDAwMDAxAA=='));
  });

  it('image, document, audio, video and sticker carry the media id to fetch, its type and caption', () => {
    expect(decode('image')[0]).toMatchObject({
      content: { type: 'image', text: 'Mi comprobante de domicilio', attachments: [{ mediaRef: '1003383421387256', mimeType: 'image/jpeg', caption: 'Mi comprobante de domicilio' }] },
    });
    expect(decode('document')[0]).toMatchObject({
      content: { type: 'file', text: 'Acta de nacimiento', attachments: [{ mediaRef: '1003383421387257', mimeType: 'application/pdf', filename: 'acta-nacimiento.pdf', caption: 'Acta de nacimiento' }] },
    });
    expect(decode('audio')[0]).toMatchObject({ content: { type: 'audio', attachments: [{ mediaRef: '1003383421387258', mimeType: 'audio/ogg; codecs=opus' }] } });
    expect(decode('video')[0]).toMatchObject({ content: { type: 'video', attachments: [{ mediaRef: '1003383421387259', mimeType: 'video/mp4' }] } });
    expect(decode('sticker')[0]).toMatchObject({ content: { type: 'image', attachments: [{ mediaRef: '1003383421387260', mimeType: 'image/webp' }] } });
    const audio = decode('audio')[0];
    expect(audio?.type === 'message' && 'text' in audio.content).toBe(false);
  });

  it('location keeps the place name, contacts keep names, phones and e-mails', () => {
    expect(decode('location')[0]).toMatchObject({ content: { type: 'location', latitude: 19.4284, longitude: -99.1677, name: 'Oficina de Pasaportes Reforma' } });
    expect(decode('contacts')[0]).toMatchObject({
      content: { type: 'contacts', contacts: [{ name: 'José Ramírez López', phones: ['+52 1 55 8765 4321'], emails: ['jose.ramirez@example.mx'] }] },
    });
  });

  it('a chosen button, list row or template quick reply is interactive, answering the message it came from', () => {
    expect(decode('interactive-button-reply')[0]).toMatchObject({ content: { type: 'interactive', replyId: 'confirmar-cita', text: 'Confirmar cita', inReplyTo: CONTEXT_ID } });
    expect(decode('interactive-list-reply')[0]).toMatchObject({ content: { type: 'interactive', replyId: 'tramite-pasaporte', text: 'Pasaporte', inReplyTo: CONTEXT_ID } });
    expect(decode('button')[0]).toMatchObject({ content: { type: 'interactive', replyId: 'SI_CONFIRMO', text: 'Sí, confirmo', inReplyTo: CONTEXT_ID } });
  });

  it('a reaction names the message it reacts to; a removed reaction has an empty emoji', () => {
    expect(decode('reaction')[0]).toMatchObject({ content: { type: 'reaction', emoji: '👍', targetProviderMessageId: CONTEXT_ID } });
    const body = JSON.parse(whatsappFixture('reaction').toString('utf8')) as { entry: [{ changes: [{ value: { messages: [{ reaction: { emoji?: string } }] } }] }] };
    delete body.entry[0].changes[0].value.messages[0].reaction.emoji;
    expect(whatsappChannelAdapter.decodeInbound(json(body), settings)[0]).toMatchObject({ content: { type: 'reaction', emoji: '' } });
  });

  it('keeps an unsupported message whole, and so an unknown type or an unknown interactive reply', () => {
    const [event] = decode('unsupported');
    expect(event).toMatchObject({ type: 'message', content: { type: 'unsupported', providerType: 'unsupported', raw: { errors: [{ code: 131051 }] } } });
    const body = JSON.parse(whatsappFixture('interactive-button-reply').toString('utf8')) as { entry: [{ changes: [{ value: { messages: [Record<string, unknown>] } }] }] };
    body.entry[0].changes[0].value.messages[0]['interactive'] = { type: 'nfm_reply', nfm_reply: { response_json: '{"flow_token":"x"}', body: 'Sent', name: 'flow' } };
    expect(whatsappChannelAdapter.decodeInbound(json(body), settings)[0]).toMatchObject({ content: { type: 'unsupported', providerType: 'interactive' } });
    body.entry[0].changes[0].value.messages[0]['type'] = 'order';
    expect(whatsappChannelAdapter.decodeInbound(json(body), settings)[0]).toMatchObject({ content: { type: 'unsupported', providerType: 'order' } });
  });

  it('statuses: sent, delivered, read; failed with the error code translated and Meta’s words kept', () => {
    expect(decode('status-sent')).toEqual([{ type: 'status', providerMessageId: SENT_ID, occurredAt: '2025-11-26T15:16:00.000Z', status: 'sent' }]);
    expect(decode('status-read')).toEqual([{ type: 'status', providerMessageId: SENT_ID, occurredAt: '2025-11-26T15:16:40.000Z', status: 'read' }]);
    expect(decode('status-failed')).toEqual([
      { type: 'status', providerMessageId: SENT_ID, occurredAt: '2025-11-26T15:16:02.000Z', status: 'failed', error: { code: 'recipient_unreachable', reason: '131026: Message undeliverable — Message Undeliverable.' } },
    ]);
    expect(decode('statuses-delivered-read-deleted').map((e) => e.type === 'status' && e.status)).toEqual(['delivered', 'read']);
    expect(decode('template-status-update')).toEqual([]);
  });

  it('ignores the events of another phone number of the same Meta app', () => {
    const other = whatsappChannelAdapter.settingsSchema.parse({ phoneNumberId: '999000111222333' });
    expect(whatsappChannelAdapter.decodeInbound(fixture('text'), other)).toEqual([]);
  });

  it('rejects malformed bodies naming what is wrong', () => {
    const issues = (value: unknown): string => {
      try {
        whatsappChannelAdapter.decodeInbound(json(value), settings);
      } catch (error) {
        if (error instanceof DecodeError) return [error.message, ...error.issues].join(' ');
        throw error;
      }
      throw new Error('expected a DecodeError');
    };
    expect(issues({ object: 'page', entry: [] })).toContain('object');
    expect(issues({ object: 'whatsapp_business_account' })).toContain('entry');
    const text = JSON.parse(whatsappFixture('text').toString('utf8')) as { entry: [{ changes: [{ value: { messages: [Record<string, unknown>] } }] }] };
    delete text.entry[0].changes[0].value.messages[0]['id'];
    expect(issues(text)).toContain('entry.0.changes.0.value.messages.0.id');
    const image = JSON.parse(whatsappFixture('image').toString('utf8')) as { entry: [{ changes: [{ value: { messages: [{ image: Record<string, unknown> }] } }] }] };
    delete image.entry[0].changes[0].value.messages[0].image['id'];
    expect(issues(image)).toContain('image.id');
  });
});
