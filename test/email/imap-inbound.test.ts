import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor } from '../support/auth.js';
import { createUser } from '../support/factories.js';
import { citizenMessageId, rawMail, startEmailHarness, type EmailHarness } from './email-harness.js';

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n', 'latin1'), Buffer.alloc(1500, 0x20), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-fake-but-well-started')]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(600, 0x90)]);
const MAX_ATTACHMENT = 64 * 1024;

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Issue 5 item 7 and "bad input": mail read over IMAP from a real Dovecot becomes a
 * conversation with its subject, sanitised HTML and downloadable attachments; the original .eml
 * is kept; malformed MIME, scripts and oversized attachments are handled without losing mail.
 */
describe('e-mail inbound over IMAP', () => {
  let h: EmailHarness;

  beforeAll(async () => {
    h = await startEmailHarness({ maxAttachmentBytes: MAX_ATTACHMENT });
  });

  afterAll(async () => {
    await h?.cleanup();
  });

  async function download(fileId: string, token = h.agent.token) {
    return h.api('GET', `/files/${fileId}`, undefined, token);
  }

  it('turns a citizen mail into a conversation with its subject, text, HTML and attachments', async () => {
    const messageId = citizenMessageId();
    const raw = rawMail({
      from: 'María López <Maria.Lopez@correo.ciudadano.test>',
      to: h.campaign.address,
      subject: 'Consulta sobre mi trámite de licencia',
      text: 'Buenos días, adjunto mi acta y una foto de mi identificación.',
      html: '<p>Buenos días, adjunto mi <b>acta</b> y una foto de mi identificación.</p>',
      messageId,
      attachments: [
        { filename: 'Acta de nacimiento — José.pdf', contentType: 'application/pdf', content: PDF },
        { filename: 'ine.png', contentType: 'image/png', content: PNG },
      ],
    });
    await h.deliver(raw);
    const read = await h.read();
    expect(read.outcomes).toEqual({ message: 1 });

    const stored = await h.waitForMessage(messageId);
    expect(stored.folio).toMatch(new RegExp(`^${h.campaign.folioPrefix}-\\d{8}-\\d{6}$`));
    expect(stored.contentType).toBe('file');
    expect(stored.text).toContain('adjunto mi acta');
    expect(stored.meta).toMatchObject({ subject: 'Consulta sobre mi trámite de licencia', messageId, from: 'maria.lopez@correo.ciudadano.test' });
    expect(String(stored.meta?.['html'])).toContain('<b>acta</b>');

    // The citizen is known by the address, and named as they signed.
    const contact = await h.db
      .selectFrom('conversations')
      .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
      .select(['contacts.id', 'contacts.display_name'])
      .where('conversations.id', '=', stored.conversationId)
      .executeTakeFirstOrThrow();
    expect(contact.display_name).toBe('María López');
    const identity = await h.db.selectFrom('contact_identities').select(['kind', 'value']).where('contact_id', '=', contact.id).execute();
    expect(identity).toContainEqual({ kind: 'email', value: 'maria.lopez@correo.ciudadano.test' });

    // The agent's timeline shows the subject.
    const timeline = await h.api('GET', `/conversations/${stored.conversationId}/timeline`);
    expect(timeline.status).toBe(200);
    expect(JSON.stringify(timeline.body)).toContain('Consulta sobre mi trámite de licencia');

    // Each attachment downloads with its bytes and original name; files belong to the conversation.
    expect(stored.attachments.map((a) => [a.filename, a.mimeType, a.size])).toEqual([
      ['Acta de nacimiento — José.pdf', 'application/pdf', PDF.length],
      ['ine.png', 'image/png', PNG.length],
    ]);
    for (const [i, bytes] of [PDF, PNG].entries()) {
      const res = await download(stored.attachments[i]!.fileId!);
      expect(res.status).toBe(200);
      expect(sha256(res.raw)).toBe(sha256(bytes));
    }
    expect(String((await download(stored.attachments[0]!.fileId!)).headers['content-disposition'])).toContain("filename*=UTF-8''Acta%20de%20nacimiento");

    // The original message is kept byte for byte, as message/rfc822.
    const rawFileId = String(stored.meta?.['rawFileId']);
    const original = await download(rawFileId);
    expect(original.status).toBe(200);
    expect(original.headers['content-type']).toContain('message/rfc822');
    expect(original.raw.toString('utf8').replace(/\r\n/g, '\n')).toBe(raw.replace(/\r\n/g, '\n'));
    const files = await h.db.selectFrom('files').select(['id', 'conversation_id', 'channel_id', 'source']).where('id', 'in', [rawFileId, ...stored.attachments.map((a) => a.fileId!)]).execute();
    expect(files).toHaveLength(3);
    for (const file of files) expect(file).toMatchObject({ conversation_id: stored.conversationId, channel_id: h.campaign.channelId });
  });

  it('never lets an agent of another campaign download the mail or its files', async () => {
    const messageId = citizenMessageId();
    await h.deliver(rawMail({ from: 'ana@correo.ciudadano.test', to: h.campaign.address, subject: 'Privado', text: 'Mi CURP va adjunta', messageId, attachments: [{ filename: 'curp.pdf', contentType: 'application/pdf', content: PDF }] }));
    await h.read();
    const stored = await h.waitForMessage(messageId);
    const other = await h.addCampaign();
    const outsider = await createUser(h.db, { roles: ['agent'], campaignIds: [other.campaignId] });
    const token = await tokenFor(h.db, outsider.id);
    expect((await download(stored.attachments[0]!.fileId!, token)).status).toBe(403);
    expect((await download(String(stored.meta?.['rawFileId']), token)).status).toBe(403);
  });

  it('removes scripts, event handlers and javascript: links from HTML mail', async () => {
    const messageId = citizenMessageId();
    await h.deliver(
      rawMail({
        from: 'pedro@correo.ciudadano.test',
        to: h.campaign.address,
        subject: 'HTML',
        html: '<div>Hola <script>alert(1)</script><img src="https://tracker.test/p.gif" onerror="alert(2)"><a href="javascript:alert(3)">aquí</a><iframe src="https://evil.test"></iframe><form action="https://evil.test"><input name="x"></form> equipo</div>',
        messageId,
      }),
    );
    await h.read();
    const stored = await h.waitForMessage(messageId);
    const html = String(stored.meta?.['html']);
    expect(html).toContain('Hola');
    expect(html).toContain('equipo');
    for (const bad of ['<script', 'alert(1)', 'onerror', 'javascript:', '<iframe', '<form', '<input', 'tracker.test']) expect(html).not.toContain(bad);
    expect(stored.text).toContain('Hola');
    expect(stored.text).not.toContain('alert(1)');
  });

  it('keeps a type we do not accept from agents as a download, named as sent', async () => {
    const messageId = citizenMessageId();
    await h.deliver(
      rawMail({
        from: 'luis@correo.ciudadano.test',
        to: h.campaign.address,
        subject: 'Programa',
        text: 'Les mando el instalador',
        messageId,
        // Claims to be a PNG: the bytes say otherwise, so it is not offered as an image either.
        attachments: [
          { filename: 'instalador.exe', contentType: 'application/x-msdownload', content: EXE },
          { filename: 'foto.png', contentType: 'image/png', content: Buffer.from('<html><script>alert(1)</script></html>') },
        ],
      }),
    );
    await h.read();
    const stored = await h.waitForMessage(messageId);
    expect(stored.attachments.map((a) => [a.filename, a.mimeType])).toEqual([
      ['instalador.exe', 'application/octet-stream'],
      ['foto.png', 'application/octet-stream'],
    ]);
    const res = await download(stored.attachments[0]!.fileId!);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    expect(sha256(res.raw)).toBe(sha256(EXE));
  });

  it('omits an attachment over the size limit, says so in the text, and keeps it in the original', async () => {
    const messageId = citizenMessageId();
    const huge = Buffer.alloc(MAX_ATTACHMENT * 2, 0x41);
    await h.deliver(
      rawMail({
        from: 'sofia@correo.ciudadano.test',
        to: h.campaign.address,
        subject: 'Expediente completo',
        text: 'Va el expediente escaneado',
        messageId,
        attachments: [
          { filename: 'expediente.pdf', contentType: 'application/pdf', content: Buffer.concat([Buffer.from('%PDF-1.4\n'), huge]) },
          { filename: 'nota.txt', contentType: 'text/plain', content: Buffer.from('una nota breve') },
        ],
      }),
    );
    await h.read();
    const stored = await h.waitForMessage(messageId);
    expect(stored.attachments.map((a) => a.filename)).toEqual(['nota.txt']);
    expect(stored.text).toContain('expediente.pdf');
    expect(stored.text).toMatch(/omitido/i);
    const original = await download(String(stored.meta?.['rawFileId']));
    expect(original.status).toBe(200);
    expect(original.raw.length).toBeGreaterThan(huge.length);
  });

  it('stores malformed MIME as a message with the original .eml attached to the conversation', async () => {
    const messageId = citizenMessageId();
    const broken = [
      'From: =?UTF-8?B?!!!roto?= <roto@correo.ciudadano.test>',
      `To: ${h.campaign.address}`,
      'Subject: =?ISO-8859-1?Q?Tr=E1mite_urgente?= \xff\xfe',
      `Message-ID: ${messageId}`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="nunca-cierra"',
      '',
      '--nunca-cierra',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      'esto no es base64 válido @@@###',
      '--nunca-cierra',
      'Content-Type: application/pdf; name="a.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERi0xLjQK%%%%',
      '',
    ].join('\r\n');
    const bytes = Buffer.from(broken, 'latin1');
    await h.deliver(bytes);
    const read = await h.read();
    expect(read.outcomes).toEqual({ message: 1 });
    const stored = await h.waitForMessage(messageId);
    expect(stored.text?.length).toBeGreaterThan(0);
    const rawFileId = String(stored.meta?.['rawFileId']);
    const original = await download(rawFileId);
    expect(original.status).toBe(200);
    expect(original.raw.toString('latin1').replace(/\r\n/g, '\n')).toBe(broken.replace(/\r\n/g, '\n'));
    const file = await h.db.selectFrom('files').select(['conversation_id', 'filename', 'mime_type']).where('id', '=', rawFileId).executeTakeFirstOrThrow();
    expect(file).toMatchObject({ conversation_id: stored.conversationId, mime_type: 'message/rfc822' });
    expect(file.filename).toMatch(/^\d+\.eml$/);
  });

  it('marks what it read as seen and never deletes mail from the mailbox', async () => {
    const { ImapFlow } = await import('imapflow');
    const client = new ImapFlow({ host: h.dovecot.host, port: h.dovecot.port, secure: false, auth: { user: h.campaign.mailbox.user, pass: h.campaign.mailbox.password }, logger: false });
    await client.connect();
    try {
      const mailbox = await client.mailboxOpen('INBOX', { readOnly: true });
      const all = await client.fetchAll('1:*', { uid: true, flags: true });
      expect(all).toHaveLength(mailbox.exists);
      expect(all.length).toBeGreaterThanOrEqual(6);
      for (const m of all) expect(m.flags?.has('\\Seen')).toBe(true);
    } finally {
      await client.logout();
    }
  });
});
