import { describe, expect, it } from 'vitest';
import { DecodeError } from '../core/channel-adapter.js';
import type { OutboundMessage } from '../core/outbound-message.js';
import { emailChannelAdapter } from './email-channel.adapter.js';
import { DEFAULT_AUTO_ACK_TEXT, renderEmailTemplate } from './email-channel.schema.js';
import { encodedEmailSchema } from './email-encoded.schema.js';

const settings = emailChannelAdapter.settingsSchema.parse({
  address: 'atencion@ventanilla.example.gob.mx',
  displayName: 'Atención Ciudadana',
  imap: { host: 'imap.ventanilla.example.gob.mx', user: 'atencion' },
  smtp: { host: 'smtp.ventanilla.example.gob.mx', user: 'atencion' },
});

const reply: OutboundMessage = {
  id: '0b7c6a52-5f0e-4a53-9d61-2f4a3c1b9e10',
  conversationId: 'c1',
  folio: 'DH-20261126-000123',
  to: { email: 'ana.garcia@correo.example.mx', name: 'Ana García' },
  content: { type: 'text', text: 'Buen día, Ana.\nNecesita su INE y <comprobante> de domicilio.\n\nConsulte https://www.gob.mx/tramites.' },
  sender: { type: 'agent', name: 'María Pérez' },
  thread: {
    subject: 'Re: Solicitud de constancia [DH-20261126-000123]',
    inReplyTo: '<CAKx8r1w-reply-0002@mail.correo.example.mx>',
    references: ['<CAKx8r1vQ2s3+p=Zt@mail.correo.example.mx>', '<CAKx8r1w-reply-0002@mail.correo.example.mx>'],
  },
};
const encode = (message: OutboundMessage, s = settings) => encodedEmailSchema.parse(emailChannelAdapter.encodeOutbound(message, s).body);

describe('e-mail adapter: shape', () => {
  it('is an IMAP channel that threads, carries files, and has two secrets', () => {
    expect(emailChannelAdapter).toMatchObject({ kind: 'email', ingress: 'imap', displayName: 'Correo electrónico', secretNames: ['imapPassword', 'smtpPassword'] });
    expect(emailChannelAdapter.capabilities).toEqual({
      text: true, media: true, location: false, interactive: false, templates: false, deliveryReceipts: false, readReceipts: false, maxTextLength: 100_000, threading: true,
    });
  });

  it('fails closed on anything posted to a webhook, whatever the secrets', () => {
    const request = { method: 'POST', url: '/webhooks/email/x', headers: {}, body: Buffer.from('From: a@b.mx\n\nhola') };
    expect(emailChannelAdapter.verifyRequest(request, settings, { imapPassword: 'x', smtpPassword: 'y' })).toEqual({ ok: false, reason: 'e-mail arrives over IMAP, never through a webhook' });
    expect(() => emailChannelAdapter.decodeInbound(request, settings)).toThrow(DecodeError);
  });

  it('settings: defaults for ports, TLS, mailbox, acknowledgement and attachment size', () => {
    expect(settings).toMatchObject({
      imap: { port: 993, secure: true, mailbox: 'INBOX', rejectUnauthorized: true },
      smtp: { port: 587, secure: false, rejectUnauthorized: true },
      autoAck: { enabled: true, subject: 'Re: {{subject}} [{{folio}}]', text: DEFAULT_AUTO_ACK_TEXT },
      maxAttachmentBytes: 10 * 1024 * 1024,
    });
    expect(settings.messageIdDomain).toBeUndefined();
  });

  it('settings: rejects a bad From address, a bad host and a zero port, naming the field', () => {
    const bad = emailChannelAdapter.settingsSchema.safeParse({ address: 'atencion', imap: { host: 'imap host', user: 'u' }, smtp: { host: 'smtp.example.mx', port: 0 } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['address', 'imap.host', 'smtp.port']);
  });

  it('the default acknowledgement names the folio and asks to keep it in the subject', () => {
    const text = renderEmailTemplate(DEFAULT_AUTO_ACK_TEXT, { folio: 'DH-20261126-000123' });
    expect(text).toContain('folio DH-20261126-000123');
    expect(text).toContain('conservando el folio [DH-20261126-000123] en el asunto');
    expect(renderEmailTemplate(settings.autoAck.subject, { folio: 'DH-1', subject: 'Mi pensión' })).toBe('Re: Mi pensión [DH-1]');
  });

  it('renderEmailTemplate: unknown and prototype names become empty, spacing inside braces is allowed', () => {
    expect(renderEmailTemplate('Hola {{ name }}, folio {{folio}}{{nada}}{{constructor}}.', { name: 'Ana', folio: 'X-1' })).toBe('Hola Ana, folio X-1.');
  });
});

describe('e-mail adapter: encodeOutbound', () => {
  it('an agent reply: threading headers, our Message-ID from the message id, agent and mailbox in From', () => {
    const mail = encode(reply);
    expect(mail).toMatchObject({
      from: { name: 'María Pérez (Atención Ciudadana)', address: 'atencion@ventanilla.example.gob.mx' },
      to: 'ana.garcia@correo.example.mx',
      subject: 'Re: Solicitud de constancia [DH-20261126-000123]',
      messageId: '<0b7c6a52-5f0e-4a53-9d61-2f4a3c1b9e10@ventanilla.example.gob.mx>',
      inReplyTo: '<CAKx8r1w-reply-0002@mail.correo.example.mx>',
      references: ['<CAKx8r1vQ2s3+p=Zt@mail.correo.example.mx>', '<CAKx8r1w-reply-0002@mail.correo.example.mx>'],
      attachments: [],
      headers: {},
    });
    expect(encode(reply).messageId).toBe(mail.messageId);
  });

  it('text and html carry the body and the folio footer; html escapes what the agent typed', () => {
    const mail = encode(reply);
    expect(mail.text).toBe(
      'Buen día, Ana.\nNecesita su INE y <comprobante> de domicilio.\n\nConsulte https://www.gob.mx/tramites.\n\n-- \nFolio: DH-20261126-000123 — responda a este correo conservando el folio en el asunto.\n',
    );
    expect(mail.html).toContain('<p>Buen día, Ana.<br>\nNecesita su INE y &lt;comprobante&gt; de domicilio.</p>');
    expect(mail.html).toContain('<a href="https://www.gob.mx/tramites">https://www.gob.mx/tramites</a>.</p>');
    expect(mail.html).toContain('Folio: DH-20261126-000123 — responda a este correo conservando el folio en el asunto.');
    expect(mail.html).not.toContain('<comprobante>');
  });

  it('system mail (acknowledgements) is marked Auto-Submitted and suppresses responders; agent mail is not', () => {
    const ack = encode({ ...reply, sender: { type: 'system' } });
    expect(ack.headers).toEqual({ 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' });
    expect(ack.from.name).toBe('Atención Ciudadana');
    expect(encode({ ...reply, sender: { type: 'bot' } }).headers).toEqual({});
  });

  it('without a thread: "Folio [..]" as subject and no threading headers', () => {
    const { thread: _thread, ...noThread } = reply;
    const mail = encode(noThread);
    expect(mail.subject).toBe('Folio [DH-20261126-000123]');
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.references).toBeUndefined();
  });

  it('the folio tag is added when the subject lacks it, and a CR/LF in the subject cannot inject a header', () => {
    const mail = encode({ ...reply, thread: { subject: 'Re: Hola\r\nBcc: victima@example.mx', references: ['no es un id', '<ok@x.mx>'] } });
    expect(mail.subject).toBe('Re: Hola Bcc: victima@example.mx [DH-20261126-000123]');
    expect(mail.references).toEqual(['<ok@x.mx>']);
  });

  it('attachments: stored files by id (also from the hub download path), remote ones by URL', () => {
    const fileId = '6f1d2c3b-4a59-4e7f-8a1b-2c3d4e5f6a7b';
    const pathId = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const mail = encode({
      ...reply,
      content: {
        type: 'file',
        text: 'Le envío los formatos.',
        attachments: [
          { fileId, filename: 'formato.pdf', mimeType: 'application/pdf' },
          { url: `/api/v1/files/${pathId}`, filename: 'aviso.png', mimeType: 'image/png' },
          { url: 'https://cdn.example.gob.mx/guia.pdf' },
        ],
      },
    });
    expect(mail.attachments).toEqual([
      { fileId, filename: 'formato.pdf', contentType: 'application/pdf' },
      { fileId: pathId, filename: 'aviso.png', contentType: 'image/png' },
      { filename: 'adjunto', contentType: 'application/octet-stream', url: 'https://cdn.example.gob.mx/guia.pdf' },
    ]);
    expect(mail.text.startsWith('Le envío los formatos.\n\n-- \n')).toBe(true);
  });

  it('a contact without e-mail still encodes (send() refuses it); messageIdDomain overrides the domain', () => {
    const mail = encode({ ...reply, to: { phone: '+525512345678' } }, { ...settings, messageIdDomain: 'mid.example.gob.mx' });
    expect(mail.to).toBeUndefined();
    expect(mail.messageId).toBe(`<${reply.id}@mid.example.gob.mx>`);
  });
});
