import { describe, expect, it } from 'vitest';
import type { OutboundContent, OutboundMessage } from '../core/outbound-message.js';
import { whatsappChannelAdapter } from './whatsapp-channel.adapter.js';

const settings = whatsappChannelAdapter.settingsSchema.parse({ phoneNumberId: '106540352242922' });
const message = (content: OutboundContent, phone = '+525512345678'): OutboundMessage => ({
  id: 'b5c0e0c2-1d5e-4f7a-9a39-5f3f3d0b8e11',
  conversationId: 'c1',
  folio: 'DH-20261126-000001',
  to: { phone, name: 'Ana' },
  content,
  sender: { type: 'agent', name: 'Laura' },
});
const encode = (content: OutboundContent, phone?: string) => whatsappChannelAdapter.encodeOutbound(message(content, phone), settings).body;
const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to: '525512345678' };

/** Golden request bodies of `POST /{version}/{phone-number-id}/messages` (Cloud API reference). */
describe('WhatsApp outbound encoding', () => {
  it('text without link preview, to the E.164 digits', () => {
    expect(encode({ type: 'text', text: 'Su cita es el lunes https://www.gob.mx/citas' })).toEqual([
      { ...envelope, type: 'text', text: { preview_url: false, body: 'Su cita es el lunes https://www.gob.mx/citas' } },
    ]);
  });

  it('media by link: one message per file; the text captions the first; documents keep their name; audio takes no caption', () => {
    const file = (n: number) => ({ url: `https://hub.example.mx/files/${n}?t=abc`, filename: `archivo-${n}.pdf`, mimeType: 'application/pdf' });
    expect(encode({ type: 'file', text: 'Sus documentos', attachments: [file(1), { ...file(2), caption: 'Segundo' }] })).toEqual([
      { ...envelope, type: 'document', document: { link: 'https://hub.example.mx/files/1?t=abc', caption: 'Sus documentos', filename: 'archivo-1.pdf' } },
      { ...envelope, type: 'document', document: { link: 'https://hub.example.mx/files/2?t=abc', caption: 'Segundo', filename: 'archivo-2.pdf' } },
    ]);
    expect(encode({ type: 'image', text: 'Mapa', attachments: [{ url: 'https://hub.example.mx/files/3' }] })).toEqual([
      { ...envelope, type: 'image', image: { link: 'https://hub.example.mx/files/3', caption: 'Mapa' } },
    ]);
    expect(encode({ type: 'audio', text: 'Nota', attachments: [{ url: 'https://hub.example.mx/files/4' }] })).toEqual([{ ...envelope, type: 'audio', audio: { link: 'https://hub.example.mx/files/4' } }]);
    expect(encode({ type: 'video', attachments: [{ url: 'https://hub.example.mx/files/5' }] })).toEqual([{ ...envelope, type: 'video', video: { link: 'https://hub.example.mx/files/5' } }]);
  });

  it('reply buttons and a list', () => {
    expect(
      encode({
        type: 'interactive',
        text: '¿Confirma su cita?',
        buttons: [
          { id: 'si', title: 'Sí' },
          { id: 'no', title: 'No' },
          { id: 'cambiar', title: 'Cambiar fecha' },
        ],
      }),
    ).toEqual([
      {
        ...envelope,
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: '¿Confirma su cita?' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'si', title: 'Sí' } },
              { type: 'reply', reply: { id: 'no', title: 'No' } },
              { type: 'reply', reply: { id: 'cambiar', title: 'Cambiar fecha' } },
            ],
          },
        },
      },
    ]);
    expect(
      encode({
        type: 'interactive',
        text: 'Elija su trámite',
        list: { button: 'Ver trámites', sections: [{ title: 'Documentos', rows: [{ id: 'pasaporte', title: 'Pasaporte', description: 'Primera vez' }, { id: 'curp', title: 'CURP' }] }] },
      }),
    ).toEqual([
      {
        ...envelope,
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'Elija su trámite' },
          action: {
            button: 'Ver trámites',
            sections: [{ title: 'Documentos', rows: [{ id: 'pasaporte', title: 'Pasaporte', description: 'Primera vez' }, { id: 'curp', title: 'CURP' }] }],
          },
        },
      },
    ]);
  });

  it('a template with its body variables, and one without variables', () => {
    expect(encode({ type: 'template', template: { name: 'recordatorio_cita', language: 'es_MX', variables: ['Ana', '27 de noviembre'] } })).toEqual([
      {
        ...envelope,
        type: 'template',
        template: {
          name: 'recordatorio_cita',
          language: { code: 'es_MX' },
          components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '27 de noviembre' }] }],
        },
      },
    ]);
    expect(encode({ type: 'template', template: { name: 'seguimiento', language: 'es', variables: [] } })).toEqual([
      { ...envelope, type: 'template', template: { name: 'seguimiento', language: { code: 'es' } } },
    ]);
  });

  it('writes the recipient as digits only', () => {
    expect(encode({ type: 'text', text: 'Hola' }, '+52 1 55 1234 5678')).toMatchObject([{ to: '5215512345678' }]);
  });
});
