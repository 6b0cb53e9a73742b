import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../core/channel-adapter.js';
import { inboundEventSchema, type InboundMessageEvent } from '../core/inbound-event.js';
import { parseEmail, type ParsedEmail } from './email-parse.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));
const receivedAt = new Date('2026-11-27T18:00:00.000Z');
const MIB = 1024 * 1024;
const parse = (name: string, maxAttachmentBytes = 10 * MIB) => parseEmail(fixture(name), { maxAttachmentBytes, receivedAt });

/** What the hub enqueues: the stored files' ids filled in (ParsedEmail leaves them to the hub). */
function asEnqueued(parsed: ParsedEmail): InboundMessageEvent {
  const { event } = parsed;
  if (event.content.type !== 'file') return event;
  return { ...event, content: { ...event.content, attachments: parsed.attachments.map((a) => ({ fileId: randomUUID(), filename: a.filename, mimeType: a.mimeType, size: a.size })) } };
}

function text(parsed: ParsedEmail): string {
  const content = parsed.event.content;
  return content.type === 'text' || content.type === 'file' ? (content.text ?? '') : '';
}

describe('parseEmail: every fixture becomes a valid inbound message', () => {
  for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.eml'))) {
    it(name, async () => {
      const parsed = await parse(name);
      const result = inboundEventSchema.safeParse(asEnqueued(parsed));
      expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
      expect(text(parsed).length).toBeGreaterThan(0);
    });
  }
});

describe('parseEmail', () => {
  it('plain text: decoded words, lower-case sender address, subject, date with offset', async () => {
    const { event } = await parse('plain-text.eml');
    expect(event.providerMessageId).toBe('<CAKx8r1vQ2s3+p=Zt@mail.correo.example.mx>');
    expect(event.contact).toEqual({ email: 'ana.garcia@correo.example.mx', name: 'Ana García López' });
    expect(event.occurredAt).toBe('2026-11-26T16:02:07.000Z');
    expect(event.content).toEqual({ type: 'text', text: expect.stringContaining('situación fiscal. Mi CURP es GALA900101MDFRPN09.') });
    expect(event.email).toMatchObject({
      subject: 'Solicitud de constancia de situación',
      messageId: '<CAKx8r1vQ2s3+p=Zt@mail.correo.example.mx>',
      references: [],
      from: 'ana.garcia@correo.example.mx',
      to: ['atencion@ventanilla.example.gob.mx'],
      cc: [],
    });
    expect(event.email?.html).toBeUndefined();
    expect(event.email?.automated).toBeUndefined();
    expect(event.email?.folio).toBeUndefined();
  });

  it('html only: sanitised html kept, readable text derived from it without script or tracker', async () => {
    const { event } = await parse('html-only-script.eml');
    const html = event.email?.html ?? '';
    expect(html).toContain('<b>hice mi pago</b>');
    expect(html).not.toMatch(/script|onerror|onload|javascript:|tracker\.example\.net|<style/i);
    expect(html).toContain('href="https://www.example.gob.mx/pagos"');
    expect(event.content).toEqual({ type: 'text', text: 'Hola, hice mi pago el martes y no aparece.\n\nver comprobante\nportal de pagos (https://www.example.gob.mx/pagos)' });
  });

  it('multipart/alternative with an attachment and an inline cid image: both handed over, html keeps cid:', async () => {
    const parsed = await parse('alternative-attachment-inline.eml');
    expect(parsed.event.content).toEqual({ type: 'file', attachments: [], text: 'Adjunto mi identificación en PDF. Abajo va la firma escaneada.' });
    expect(parsed.attachments.map(({ content, ...rest }) => ({ ...rest, bytes: content.length }))).toEqual([
      { filename: 'firma.png', mimeType: 'image/png', size: 70, contentId: 'firma-001@example.org', inline: true, bytes: 70 },
      { filename: 'identificacion.pdf', mimeType: 'application/pdf', size: 210, inline: false, bytes: 210 },
    ]);
    expect(parsed.attachments[1]?.content.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    expect(parsed.event.email?.html).toContain('src="cid:firma-001@example.org"');
    expect(parsed.event.email?.cc).toEqual(['regional@ventanilla.example.gob.mx']);
    expect(parsed.omitted).toEqual([]);
  });

  it('a reply: In-Reply-To, References in order, and the folio from the subject', async () => {
    const { event } = await parse('reply-with-folio.eml');
    expect(event.email).toMatchObject({
      subject: 'Re: Su trámite [DH-20261126-000123]',
      inReplyTo: '<3f2a9c1e-5b7d-4e21-9a0b-1c2d3e4f5a6b@ventanilla.example.gob.mx>',
      references: ['<CAKx8r1vQ2s3+p=Zt@mail.correo.example.mx>', '<3f2a9c1e-5b7d-4e21-9a0b-1c2d3e4f5a6b@ventanilla.example.gob.mx>'],
      folio: 'DH-20261126-000123',
    });
  });

  it('a folio must be bracketed and well formed to count', async () => {
    const mail = (subject: string) => Buffer.from(`From: a@example.mx\nSubject: ${subject}\nMessage-ID: <s@example.mx>\n\nhola\n`);
    const folio = async (subject: string) => (await parseEmail(mail(subject), { maxAttachmentBytes: MIB, receivedAt })).event.email?.folio;
    expect(await folio('Re: [AB-20261126-000001] y [CD-20261126-000002]')).toBe('AB-20261126-000001');
    expect(await folio('DH-20261126-000123 sin corchetes')).toBeUndefined();
    expect(await folio('[dh-20261126-000123]')).toBeUndefined();
    expect(await folio('[DH-2026112-000123]')).toBeUndefined();
  });

  it('flags auto-replies, list mail and bulk mail', async () => {
    expect((await parse('auto-reply.eml')).event.email?.automated).toBe('auto_replied');
    expect((await parse('list-mail.eml')).event.email?.automated).toBe('list');
    expect((await parse('bulk-mail.eml')).event.email?.automated).toBe('bulk');
    expect((await parse('dsn-postfix.eml')).event.email?.automated).toBe('bounce');
  });

  it('an attachment over maxAttachmentBytes is omitted and named in the text; smaller ones stay', async () => {
    const parsed = await parse('alternative-attachment-inline.eml', 100);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['firma.png']);
    expect(parsed.omitted).toEqual([{ filename: 'identificacion.pdf', size: 210, reason: 'too_large' }]);
    expect(text(parsed)).toContain('Adjunto mi identificación en PDF.');
    expect(text(parsed)).toMatch(/\[Adjunto omitido por exceder el tamaño máximo de .*: identificacion\.pdf .*\(\.eml\)\.\]/);
  });

  it('with every attachment omitted the message is text', async () => {
    const parsed = await parse('alternative-attachment-inline.eml', 10);
    expect(parsed.attachments).toEqual([]);
    expect(parsed.event.content.type).toBe('text');
    expect(parsed.omitted.map((o) => o.filename)).toEqual(['firma.png', 'identificacion.pdf']);
  });

  it('without Message-ID: a stable id from the bytes, so reading it again dedupes', async () => {
    const first = await parse('missing-message-id.eml');
    const second = await parseEmail(fixture('missing-message-id.eml'), { maxAttachmentBytes: MIB });
    expect(first.event.providerMessageId).toMatch(/^<[0-9a-f]{64}@missing-message-id>$/);
    expect(second.event.providerMessageId).toBe(first.event.providerMessageId);
    expect(first.event.email?.messageId).toBe(first.event.providerMessageId);
    const other = await parseEmail(Buffer.concat([fixture('missing-message-id.eml'), Buffer.from('otra línea\n')]), { maxAttachmentBytes: MIB });
    expect(other.event.providerMessageId).not.toBe(first.event.providerMessageId);
  });

  it('cuts text over 20,000 characters at 19,900 with a Spanish note', async () => {
    const long = 'a'.repeat(30_000);
    const parsed = await parseEmail(Buffer.from(`From: a@example.mx\nMessage-ID: <l@example.mx>\nSubject: largo\n\n${long}\n`), { maxAttachmentBytes: MIB, receivedAt });
    const body = text(parsed);
    expect(body.length).toBeLessThanOrEqual(20_000);
    expect(body.startsWith('a'.repeat(19_900) + '\n')).toBe(true);
    expect(body).toContain('[Mensaje recortado: el texto completo está en el correo original (.eml).]');
  });

  it('an empty body is "(sin contenido)"', async () => {
    const parsed = await parseEmail(Buffer.from('From: a@example.mx\nMessage-ID: <e@example.mx>\nSubject: vacío\n\n'), { maxAttachmentBytes: MIB, receivedAt });
    expect(parsed.event.content).toEqual({ type: 'text', text: '(sin contenido)' });
  });

  it('occurredAt: the Date header, unless invalid or more than a day in the future', async () => {
    const at = async (date: string) => (await parseEmail(Buffer.from(`From: a@example.mx\nDate: ${date}\nMessage-ID: <d@example.mx>\n\nhola\n`), { maxAttachmentBytes: MIB, receivedAt })).event.occurredAt;
    expect(await at('Fri, 27 Nov 2026 09:00:00 -0600 (CST)')).toBe('2026-11-27T15:00:00.000Z');
    expect(await at('Sat, 28 Nov 2026 12:00:00 -0600')).toBe('2026-11-28T18:00:00.000Z');
    expect(await at('Sun, 29 Nov 2026 12:00:00 -0600')).toBe(receivedAt.toISOString());
    expect(await at('ayer por la tarde')).toBe(receivedAt.toISOString());
  });

  it('the sender is From, not a forged Reply-To; no sender at all gets its own channel-scoped contact', async () => {
    const replyTo = await parseEmail(Buffer.from('From: Ana <ana@example.mx>\nReply-To: otro@example.mx\nMessage-ID: <r@example.mx>\n\nhola\n'), { maxAttachmentBytes: MIB, receivedAt });
    expect(replyTo.event.contact).toEqual({ email: 'ana@example.mx', name: 'Ana' });
    const anonymous = await parseEmail(Buffer.from('Subject: sin remitente\nMessage-ID: <n@example.mx>\n\nhola\n'), { maxAttachmentBytes: MIB, receivedAt });
    expect(anonymous.event.contact).toEqual({ externalId: expect.stringMatching(/^sin-remitente:[0-9a-f]{32}$/) });
  });

  it('only an empty buffer is a DecodeError', async () => {
    await expect(parseEmail(Buffer.alloc(0), { maxAttachmentBytes: MIB })).rejects.toBeInstanceOf(DecodeError);
  });
});

describe('parseEmail: malformed MIME never throws and loses no words', () => {
  it('a multipart whose declared boundary never appears is read with the one the body uses', async () => {
    const parsed = await parse('malformed-broken-boundary.eml');
    expect(text(parsed)).toBe('Llevo tres semanas esperando respuesta a mi queja número 4471.');
    expect(parsed.attachments.map((a) => [a.filename, a.content.toString('hex')])).toEqual([['queja.bin', '0001020304050607']]);
  });

  it('a multipart with no boundary lines at all keeps its body as text', async () => {
    const raw = 'From: a@example.mx\nMessage-ID: <nb@example.mx>\nContent-Type: multipart/mixed; boundary="zz"\n\nEl cuerpo quedó sin partes.\n';
    const parsed = await parseEmail(Buffer.from(raw), { maxAttachmentBytes: MIB, receivedAt });
    expect(text(parsed)).toBe('El cuerpo quedó sin partes.');
  });

  it('invalid base64: the text that decodes is kept and the attachment still handed over', async () => {
    const parsed = await parse('malformed-bad-base64.eml');
    expect(text(parsed)).toContain('Envío el comprobante de domicilio.');
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['comprobante.pdf']);
  });

  it('8-bit Latin-1 in headers and body is read as Windows-1252; control characters are dropped', async () => {
    const parsed = await parse('malformed-8bit-headers.eml');
    expect(parsed.event.email?.subject).toBe('Trámite ÿþ urgente');
    expect(parsed.event.contact.name).toBe('Ñoño ÿþ Pérez');
    expect(text(parsed)).toBe('Necesito ayuda con mi trámite, es urgente.\n fin');
    expect(parsed.event.occurredAt).toBe(receivedAt.toISOString());
  });

  it('binary garbage becomes the Spanish placeholder with a stable id', async () => {
    // Fixed bytes (a hash chain), not randomBytes: now and then random bytes happen to hold a
    // readable header and body, and the test failed on that draw.
    const garbage = garbageBytes(4096);
    const parsed = await parseEmail(garbage, { maxAttachmentBytes: MIB, receivedAt });
    expect(text(parsed)).toBe('(correo no legible; se conserva el original)');
    expect(parsed.event.providerMessageId).toMatch(/@missing-message-id>$/);
    expect(inboundEventSchema.safeParse(asEnqueued(parsed)).success).toBe(true);
  });

  it('MIME mailparser refuses outright (absurd nesting) still yields headers and a message', async () => {
    const raw = 'From: Luis <luis@example.mx>\nSubject: anidado\nMessage-ID: <deep@example.mx>\nContent-Type: multipart/mixed; boundary=a\n\n' + '--a\nContent-Type: multipart/mixed; boundary=a\n\n'.repeat(3000);
    const parsed = await parseEmail(Buffer.from(raw), { maxAttachmentBytes: MIB, receivedAt });
    expect(parsed.event.providerMessageId).toBe('<deep@example.mx>');
    expect(parsed.event.contact).toEqual({ email: 'luis@example.mx', name: 'Luis' });
    expect(parsed.event.email?.subject).toBe('anidado');
    expect(inboundEventSchema.safeParse(asEnqueued(parsed)).success).toBe(true);
  });

  it('a header block only, NUL bytes, a lone newline: no throw', async () => {
    for (const raw of ['Subject: solo encabezado', '\0\0\0\0', '\n']) {
      const parsed = await parseEmail(Buffer.from(raw), { maxAttachmentBytes: MIB, receivedAt });
      expect(inboundEventSchema.safeParse(asEnqueued(parsed)).success, JSON.stringify(raw)).toBe(true);
    }
  });
});

function garbageBytes(length: number): Buffer {
  const chunks: Buffer[] = [];
  let block = createHash('sha256').update('garbage').digest();
  for (let size = 0; size < length; size += block.length) {
    chunks.push(block);
    block = createHash('sha256').update(block).digest();
  }
  return Buffer.concat(chunks).subarray(0, length);
}
