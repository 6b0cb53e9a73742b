import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { badAddressesCsv } from '../../hub/src/mass-mail/bad-addresses-csv.js';
import { summarize, NO_RECIPIENTS } from '../../hub/src/mass-mail/mailing-summary.js';
import { nextStatus } from '../../hub/src/mass-mail/mailing-transitions.js';
import { renderHtml, renderSubject, renderText, templateVariables } from '../../hub/src/mass-mail/mail-template.js';
import { buildMassMail } from '../../hub/src/mass-mail/mass-mail-message.js';
import { decodeList } from '../../hub/src/mass-mail/mailing-recipients.routes.js';
import { isValidAddress, parseRecipientList } from '../../hub/src/mass-mail/recipient-list.js';
import { classifySmtpFailure } from '../../hub/src/mass-mail/smtp-failure.js';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../hub/src/mass-mail/unsubscribe-token.js';
import { unsubscribeTokenInSubject } from '../../hub/src/mass-mail/unsubscribe.usecase.js';

const SECRET = 'unit-secret-unit-secret-unit-secret-0123456789';
const CAMPAIGN = '7d0c1a4e-2b1f-4c3d-9e8f-0a1b2c3d4e5f';

describe('recipient list parsing', () => {
  it('reads a CSV: email required, name optional, every other column a variable under a normalised name', () => {
    const csv = '\uFEFFCorreo Electrónico;Nombre;Número de Folio;Clínica\r\nana@x.mx;Ana Peña;F-1;"UMF 7; Centro"\r\nbad-address;Beto;F-2;UMF 8\r\n;Sin correo;F-3;UMF 9\r\n';
    const list = parseRecipientList(csv, 100);
    expect(list.format).toBe('csv');
    expect(list.columns).toEqual(['numero_de_folio', 'clinica']);
    expect(list.rows[0]).toEqual({ row: 2, email: 'ana@x.mx', name: 'Ana Peña', variables: { numero_de_folio: 'F-1', clinica: 'UMF 7; Centro' }, problem: null });
    expect(list.rows[1]).toMatchObject({ row: 3, email: 'bad-address', problem: 'fila 3: sintaxis de correo inválida / row 3: invalid address syntax' });
    expect(list.rows[2]).toMatchObject({ row: 4, email: '', problem: expect.stringContaining('correo vacío') });
  });

  it('reads a TXT with one address per line (and "Name <address>"), lower-casing valid ones', () => {
    const list = parseRecipientList('Ana@Correo.MX\n\n# comentario\n"Beto Díaz" <beto@correo.mx>\nno es correo\n', 100);
    expect(list.format).toBe('txt');
    expect(list.rows.map((r) => [r.email, r.name, r.problem === null])).toEqual([
      ['ana@correo.mx', null, true],
      ['beto@correo.mx', 'Beto Díaz', true],
      ['no es correo', null, false],
    ]);
  });

  it('refuses what it cannot read, saying why', () => {
    expect(() => parseRecipientList('nombre,folio\nAna,F-1\n', 100)).toThrow(/columna «email»/);
    expect(() => parseRecipientList('email,qr\na@x.mx,1\n', 100)).toThrow(/nombre reservado/);
    expect(() => parseRecipientList('email,folio,Folio\na@x.mx,1,2\n', 100)).toThrow(/repetida/);
    expect(() => parseRecipientList('email\n"a@x.mx\n', 100)).toThrow(/CSV está mal formado/);
    expect(() => parseRecipientList('email\na@x.mx\nb@x.mx\n', 1)).toThrow(/excede 1 destinatarios/);
    expect(() => parseRecipientList('  \n', 100)).toThrow(/vacía/);
  });

  it('decodes UTF-8, or Windows-1252 as a Spanish Excel saves a plain CSV', () => {
    expect(decodeList(Buffer.from('email,nombre\na@x.mx,Peña\n', 'utf8'))).toContain('Peña');
    expect(decodeList(Buffer.from('email,nombre\na@x.mx,Pe\xf1a\n', 'latin1'))).toContain('Peña');
  });

  it('checks address syntax the way SMTP servers do', () => {
    for (const ok of ['a@x.mx', 'juan.perez+citas@imss.gob.mx', "o'brien@example.com"]) expect(isValidAddress(ok), ok).toBe(true);
    for (const bad of ['a@x', 'a@@x.mx', '.a@x.mx', 'a..b@x.mx', 'a@-x.mx', 'a b@x.mx', 'a@x.m', `${'a'.repeat(65)}@x.mx`]) expect(isValidAddress(bad), bad).toBe(false);
  });
});

describe('template rendering', () => {
  const values = { name: 'Ana <b>Peña</b> & "Co"', folio: 'F-1', unsubscribe_url: 'https://h/u/t' };

  it('fills text as is, escapes values in HTML, keeps subjects on one line', () => {
    expect(templateVariables('Hola {{name}}, {{ folio }} {{name}} {{qr}}')).toEqual(['name', 'folio', 'qr']);
    expect(renderText('Hola {{name}} ({{folio}}) {{desconocida}}.', values)).toBe('Hola Ana <b>Peña</b> & "Co" (F-1) .');
    expect(renderHtml('<p title="{{name}}">{{name}}</p>{{qr}}', values, '<img src="cid:q">')).toBe(
      '<p title="Ana &#60;b&#62;Peña&#60;/b&#62; &#38; &#34;Co&#34;">Ana &#60;b&#62;Peña&#60;/b&#62; &#38; &#34;Co&#34;</p><img src="cid:q">',
    );
    expect(renderSubject('Aviso {{folio}}', { folio: 'F-1\r\nBcc: x@y.mx' })).toBe('Aviso F-1 Bcc: x@y.mx');
  });

  it('builds a mail with text and HTML, an inline QR image, a per-recipient unsubscribe link and bulk headers', async () => {
    const mail = await buildMassMail({
      mailing: { id: 'm1', campaignId: CAMPAIGN, subject: 'Cita {{folio}}', bodyText: 'Hola {{name}}', bodyHtml: null, qrText: 'https://imss.example.mx/c/{{folio}}' },
      recipient: { id: '0b6e1a9c-1111-4222-8333-944455556666', email: 'ana@x.mx', name: 'Ana', variables: { folio: 'F-9', name: 'no gana' } },
      sender: { fromAddress: 'no-reply@imss.example.mx', fromName: 'IMSS', messageIdDomain: 'imss.example.mx' },
      unsubscribe: { url: 'https://h.example.mx/u/TOKEN', token: 'TOKEN' },
      qr: (text) => Promise.resolve(Buffer.from(`png:${text}`)),
    });
    const transport = createTransport({ streamTransport: true, buffer: true });
    const { message } = await transport.sendMail(mail);
    const raw = message.toString();
    const parsed = await simpleParser(message, { keepCidLinks: true });
    expect(parsed.subject).toBe('Cita F-9');
    expect(parsed.messageId).toBe('<mm.0b6e1a9c-1111-4222-8333-944455556666@imss.example.mx>');
    // The list cannot override the hub's own name variable.
    expect(parsed.text).toContain('Hola Ana');
    expect(parsed.text).toContain('https://h.example.mx/u/TOKEN');
    expect(parsed.html).toContain('src="cid:qr@ventanilla"');
    expect(parsed.html).toContain('href="https://h.example.mx/u/TOKEN"');
    expect(parsed.attachments[0]?.content.toString()).toBe('png:https://imss.example.mx/c/F-9');
    expect(parsed.attachments[0]?.cid).toBe('qr@ventanilla');
    expect(raw).toMatch(/List-Unsubscribe:\s+<https:\/\/h\.example\.mx\/u\/TOKEN>,\s+<mailto:no-reply@imss\.example\.mx\?subject=unsubscribe%20TOKEN>/);
    expect(raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(raw).toContain('Precedence: bulk');
    expect(raw).toContain('Auto-Submitted: auto-generated');
  });
});

describe('unsubscribe tokens', () => {
  it('round-trips campaign and address, and rejects a changed, truncated or foreign token', () => {
    const token = signUnsubscribeToken(SECRET, { campaignId: CAMPAIGN, email: 'Ana.Peña@Correo.MX' });
    expect(verifyUnsubscribeToken(SECRET, token)).toEqual({ campaignId: CAMPAIGN, email: 'ana.peña@correo.mx' });
    const [payload = '', mac = ''] = token.split('.');
    const other = signUnsubscribeToken(SECRET, { campaignId: CAMPAIGN, email: 'beto@correo.mx' }).split('.')[0];
    expect(verifyUnsubscribeToken(SECRET, `${other}.${mac}`)).toBeNull();
    expect(verifyUnsubscribeToken(SECRET, `${payload}.${mac.slice(0, -2)}`)).toBeNull();
    expect(verifyUnsubscribeToken('another-secret-another-secret-another-secret', token)).toBeNull();
    expect(verifyUnsubscribeToken(SECRET, 'garbage')).toBeNull();
  });

  it('finds the token in the subject of a List-Unsubscribe mailto, and nothing in other subjects', () => {
    const token = signUnsubscribeToken(SECRET, { campaignId: CAMPAIGN, email: 'ana@x.mx' });
    expect(unsubscribeTokenInSubject(`unsubscribe ${token}`)).toBe(token);
    expect(unsubscribeTokenInSubject(`Re: unsubscribe ${token} please`)).toBeNull();
    expect(unsubscribeTokenInSubject('Unsubscribe')).toBeNull();
  });
});

describe('SMTP failures', () => {
  const smtpError = (fields: Record<string, unknown>) => Object.assign(new Error('smtp'), fields);
  it('puts refusals of the address on the recipient and everything else on the channel', () => {
    expect(classifySmtpFailure(smtpError({ responseCode: 550, command: 'RCPT TO', response: '550 5.1.1 no such user' }))).toEqual({ scope: 'recipient', permanent: true, reason: '550 5.1.1 no such user' });
    expect(classifySmtpFailure(smtpError({ responseCode: 452, command: 'RCPT TO', response: '452 mailbox full' }))).toMatchObject({ scope: 'recipient', permanent: false });
    expect(classifySmtpFailure(smtpError({ responseCode: 554, command: 'DATA', response: '554 spam' }))).toMatchObject({ scope: 'recipient', permanent: true });
    expect(classifySmtpFailure(smtpError({ responseCode: 421, command: 'DATA', response: '421 closing' }))).toMatchObject({ scope: 'channel' });
    expect(classifySmtpFailure(smtpError({ responseCode: 535, command: 'AUTH PLAIN', response: '535 bad credentials' }))).toMatchObject({ scope: 'channel' });
    expect(classifySmtpFailure(smtpError({ code: 'ECONNECTION' }))).toMatchObject({ scope: 'channel', reason: 'ECONNECTION: smtp' });
  });
});

describe('mailing status and summary', () => {
  it('allows the transitions of the life cycle only', () => {
    expect(nextStatus('schedule', { status: 'draft', started_at: null })).toBe('scheduled');
    expect(nextStatus('schedule', { status: 'paused', started_at: null })).toBeNull();
    expect(nextStatus('pause', { status: 'sending', started_at: new Date() })).toBe('paused');
    expect(nextStatus('resume', { status: 'paused', started_at: new Date() })).toBe('sending');
    expect(nextStatus('resume', { status: 'paused', started_at: null })).toBe('scheduled');
    expect(nextStatus('cancel', { status: 'completed', started_at: new Date() })).toBeNull();
  });

  it('gives counts with percentages of the list (2 decimals) and the rate actually achieved', () => {
    const first = new Date('2026-11-26T10:00:00Z');
    const s = summarize(
      { rate_per_minute: 120, started_at: first, completed_at: null },
      { ...NO_RECIPIENTS, sent: 4, bounced: 1, failed: 1, invalid: 1, firstSentAt: first, lastSentAt: new Date(first.getTime() + 120_000) },
    );
    expect(s).toMatchObject({ total: 7, sent: 5, delivered: 4, failed: 1, bounced: 1, invalid: 1, pending: 0, ratePerMinute: 120, actualRatePerMinute: 2 });
    expect(s.percent).toEqual({ pending: 0, sent: 71.43, delivered: 57.14, failed: 14.29, bounced: 14.29, suppressed: 0, invalid: 14.29 });
    expect(summarize({ rate_per_minute: 1, started_at: null, completed_at: null }, NO_RECIPIENTS).percent.sent).toBe(0);
  });

  it('writes the bad-address list so a spreadsheet neither garbles accents nor runs formulas', () => {
    const csv = badAddressesCsv([{ email: '=HYPERLINK("x")@x.mx', name: 'Peña, Ana', status: 'failed', error: '550 "no"', at: new Date('2026-11-26T10:00:00Z') }]);
    expect(csv.startsWith('\uFEFFcorreo,nombre,estado,motivo,fecha\r\n')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""x"")@x.mx","Peña, Ana",rechazado / failed,"550 ""no""",2026-11-26T10:00:00.000Z`);
  });
});
