import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { Readable } from 'node:stream';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendContext } from '../core/channel-adapter.js';
import type { OutboundMessage } from '../core/outbound-message.js';
import { emailChannelAdapter } from './email-channel.adapter.js';
import { type EmailChannelSettings } from './email-channel.schema.js';
import { closeSmtpTransports } from './email-transport.js';

/** An SMTP reply code for smtp-server to answer with. */
class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

interface Captured {
  from: string;
  to: string[];
  raw: Buffer;
}

const captured: Captured[] = [];
// A real SMTP server on loopback that keeps what it receives; two addresses answer with errors.
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onRcptTo(address, _session, callback) {
    if (address.address.startsWith('noexiste@')) return callback(new SmtpReply(550, '5.1.1 <noexiste@example.mx>: Recipient address rejected: User unknown'));
    if (address.address.startsWith('lleno@')) return callback(new SmtpReply(451, '4.3.0 Mailbox temporarily unavailable, try later'));
    return callback();
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      captured.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
      callback();
    });
  },
});

let settings: EmailChannelSettings;
const pdf = Buffer.from('%PDF-1.4\n% formato de prueba\n%%EOF\n');
const files = new Map<string, Buffer>([['6f1d2c3b-4a59-4e7f-8a1b-2c3d4e5f6a7b', pdf]]);
const context: SendContext = {
  fetch,
  openFile: async (fileId) => {
    const bytes = files.get(fileId);
    return bytes ? { filename: 'almacenado.pdf', mimeType: 'application/pdf', content: Readable.from([bytes]) } : null;
  },
};

const message: OutboundMessage = {
  id: '0b7c6a52-5f0e-4a53-9d61-2f4a3c1b9e10',
  conversationId: 'c1',
  folio: 'DH-20261126-000123',
  to: { email: 'ana.garcia@correo.example.mx' },
  content: { type: 'file', text: 'Buen día, Ana.\nLe envío el formato.', attachments: [{ fileId: '6f1d2c3b-4a59-4e7f-8a1b-2c3d4e5f6a7b', filename: 'formato.pdf', mimeType: 'application/pdf' }] },
  sender: { type: 'agent', name: 'María Pérez' },
  thread: {
    subject: 'Re: Solicitud de constancia [DH-20261126-000123]',
    inReplyTo: '<CAKx8r1w-reply-0002@mail.correo.example.mx>',
    references: ['<CAKx8r1vQ2s3+p=Zt@mail.correo.example.mx>', '<CAKx8r1w-reply-0002@mail.correo.example.mx>'],
  },
};

function portOf(listening: Server): number {
  const address = listening.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on TCP');
  return address.port;
}

const send = (m: OutboundMessage, s: EmailChannelSettings = settings, secrets: Record<string, string> = {}) =>
  emailChannelAdapter.send(emailChannelAdapter.encodeOutbound(m, s), s, secrets, context);

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const port = portOf(server.server);
  settings = emailChannelAdapter.settingsSchema.parse({
    address: 'atencion@ventanilla.example.gob.mx',
    displayName: 'Atención Ciudadana',
    imap: { host: '127.0.0.1', user: 'atencion' },
    smtp: { host: '127.0.0.1', port, secure: false },
  });
});

afterAll(async () => {
  closeSmtpTransports();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('e-mail send() over a real SMTP server', () => {
  it('delivers text + html + the stored attachment with our threading headers', async () => {
    const result = await send(message);
    expect(result).toEqual({ ok: true, providerMessageId: '<0b7c6a52-5f0e-4a53-9d61-2f4a3c1b9e10@ventanilla.example.gob.mx>' });
    const last = captured.at(-1)!;
    expect(last.from).toBe('atencion@ventanilla.example.gob.mx');
    expect(last.to).toEqual(['ana.garcia@correo.example.mx']);

    const mail = await simpleParser(last.raw);
    expect(mail.messageId).toBe('<0b7c6a52-5f0e-4a53-9d61-2f4a3c1b9e10@ventanilla.example.gob.mx>');
    expect(mail.inReplyTo).toBe('<CAKx8r1w-reply-0002@mail.correo.example.mx>');
    expect(mail.references).toEqual(['<CAKx8r1vQ2s3+p=Zt@mail.correo.example.mx>', '<CAKx8r1w-reply-0002@mail.correo.example.mx>']);
    expect(mail.subject).toBe('Re: Solicitud de constancia [DH-20261126-000123]');
    expect(mail.from?.value).toEqual([{ address: 'atencion@ventanilla.example.gob.mx', name: 'María Pérez (Atención Ciudadana)' }]);
    expect(mail.text).toContain('Buen día, Ana.\nLe envío el formato.');
    expect(mail.text).toContain('Folio: DH-20261126-000123 — responda a este correo conservando el folio en el asunto.');
    expect(mail.html).toContain('<p>Buen día, Ana.<br>\nLe envío el formato.</p>');
    expect(mail.headers.has('auto-submitted')).toBe(false);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: 'formato.pdf', contentType: 'application/pdf' });
    expect(mail.attachments[0]?.content.equals(pdf)).toBe(true);
  });

  it('system mail goes out with Auto-Submitted: auto-replied and X-Auto-Response-Suppress: All', async () => {
    const result = await send({ ...message, id: 'ack-1', content: { type: 'text', text: 'Recibimos su mensaje.' }, sender: { type: 'system' } });
    expect(result.ok).toBe(true);
    const mail = await simpleParser(captured.at(-1)!.raw);
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.headers.get('x-auto-response-suppress')).toBe('All');
  });

  it('a 550 from the server is a permanent failure carrying the server text', async () => {
    const result = await send({ ...message, id: 'm-550', to: { email: 'noexiste@example.mx' } });
    expect(result).toMatchObject({ ok: false, retryable: false, code: 'smtp_550' });
    expect(!result.ok && result.reason).toContain('Recipient address rejected: User unknown');
  });

  it('a 451 is transient: retryable', async () => {
    const result = await send({ ...message, id: 'm-451', to: { email: 'lleno@example.mx' } });
    expect(result).toMatchObject({ ok: false, retryable: true, code: 'smtp_451' });
    expect(!result.ok && result.reason).toContain('try later');
  });

  it('a server that is not listening is a retryable network error', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = portOf(probe);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const result = await send(message, { ...settings, smtp: { ...settings.smtp, port } });
    expect(result).toMatchObject({ ok: false, retryable: true, code: 'network_error' });
  });

  it('refuses without contacting the server: no address, a missing file, AUTH without password', async () => {
    const before = captured.length;
    expect(await send({ ...message, to: { phone: '+525512345678' } })).toMatchObject({ ok: false, retryable: false, code: 'no_email_address' });
    const missing: OutboundMessage = { ...message, content: { type: 'file', attachments: [{ fileId: '00000000-0000-4000-8000-000000000000', filename: 'borrado.pdf' }] } };
    expect(await send(missing)).toMatchObject({ ok: false, retryable: false, code: 'attachment_missing', reason: expect.stringContaining('borrado.pdf') });
    expect(await send(message, { ...settings, smtp: { ...settings.smtp, user: 'atencion' } })).toMatchObject({ ok: false, retryable: false, code: 'smtp_auth_missing' });
    expect(await emailChannelAdapter.send({ body: { to: 'x@example.mx' } }, settings, {}, context)).toMatchObject({ ok: false, retryable: false, code: 'invalid_payload' });
    expect(captured.length).toBe(before);
  });
});
