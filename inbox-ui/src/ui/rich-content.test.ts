import { describe, expect, it } from 'vitest';
import type { MessageView } from '../api/api-types.js';
import { outboundDetails, parseSharedContacts, richKind, telHref } from './rich-content.js';

/** `meta` may be anything here: the reader must survive a malformed one from an older hub. */
const message = ({ meta, ...patch }: Partial<Omit<MessageView, 'meta'>> & { meta?: unknown }): MessageView => {
  const view: MessageView = {
  id: 'm1',
  conversationId: 'c1',
  direction: 'inbound',
  senderType: 'contact',
  senderId: null,
  contentType: 'text',
  text: 'Hola',
  attachments: [],
  subject: null,
  status: 'received',
  errorCode: null,
  errorReason: null,
  createdAt: '2026-11-26T10:00:00Z',
  ...patch,
  };
  // Set past the type on purpose (Reflect), as JSON from the hub would arrive.
  if (meta !== undefined) Reflect.set(view, 'meta', meta);
  return view;
};

describe('rich message content', () => {
  it('reads shared contact cards as the hub stores them (one a line, parts joined by " · ")', () => {
    // The text ingest-message.usecase.ts writes for WhatsApp `contacts`.
    const text = ['María López · +52 55 1234 5678 · +52 (33) 8765-4321 · maria@correo.mx', '+52 81 5555 0000'].join('\n');
    expect(parseSharedContacts(text)).toEqual([
      { name: 'María López', phones: ['+52 55 1234 5678', '+52 (33) 8765-4321'], emails: ['maria@correo.mx'] },
      { name: null, phones: ['+52 81 5555 0000'], emails: [] },
    ]);
    expect(parseSharedContacts(null)).toEqual([]);
  });

  it('links phones as tel: with digits and one leading plus', () => {
    expect(telHref('+52 (55) 1234-5678')).toBe('tel:+525512345678');
    expect(telHref('55 1234 5678')).toBe('tel:5512345678');
  });

  it('tells which rich view a message needs', () => {
    expect(richKind(message({ contentType: 'contacts' }))).toBe('contacts');
    expect(richKind(message({ contentType: 'interactive', text: 'Sí, confirmo' }))).toBe('choice');
    expect(richKind(message({ contentType: 'reaction', text: '👍' }))).toBe('reaction');
    expect(richKind(message({ contentType: 'text' }))).toBeNull();
    const out = { direction: 'outbound' as const, senderType: 'agent' as const, status: 'sent' as const };
    expect(richKind(message({ ...out, contentType: 'interactive' }))).toBe('interactive');
    expect(richKind(message({ ...out, contentType: 'template' }))).toBe('template');
    expect(richKind(message({ ...out, contentType: 'text', meta: { template: { name: 'cita_recordatorio', language: 'es_MX', variables: ['Ana'] } } }))).toBe('template');
    expect(richKind(message({ ...out, contentType: 'image' }))).toBeNull();
  });

  it('reads the buttons, list or template an outbound message carries, ignoring malformed meta', () => {
    const buttons = { interactive: { buttons: [{ id: 'opcion-1', title: 'Sí' }, { title: 5 }, { id: 'opcion-2', title: 'No' }] } };
    expect(outboundDetails(message({ meta: buttons }))).toEqual({ interactive: { buttons: [{ id: 'opcion-1', title: 'Sí' }, { id: 'opcion-2', title: 'No' }] } });
    const list = { interactive: { list: { button: 'Ver trámites', sections: [{ title: 'Trámites', rows: [{ id: 'r1', title: 'Pasaporte', description: 'Renovación' }] }] } } };
    expect(outboundDetails(message({ meta: list }))).toEqual({ interactive: { list: { button: 'Ver trámites', sections: [{ title: 'Trámites', rows: [{ id: 'r1', title: 'Pasaporte', description: 'Renovación' }] }] } } });
    expect(outboundDetails(message({ meta: { template: { name: 'folio_listo', language: 'es_MX', variables: ['Ana', 3] } } }))).toEqual({ template: { name: 'folio_listo', language: 'es_MX', variables: ['Ana'] } });
    expect(outboundDetails(message({ meta: 'nada' }))).toEqual({});
    expect(outboundDetails(message({ meta: { interactive: { buttons: [] }, template: { name: '' } } }))).toEqual({});
    expect(outboundDetails(message({}))).toEqual({});
  });
});
