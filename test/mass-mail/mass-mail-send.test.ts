import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMassMailDispatcher, type MassMailDispatcher } from '../../hub/src/mass-mail/mass-mail.worker.js';
import { startSmtpCapture, type CapturedMail, type SmtpCapture } from '../support/mail-servers.js';
import { TEST_DATABASE_URL } from '../support/test-context.js';
import { call, createMailing, csvOf, mailingRow, mailingsUrl, schedule, startMassMailWorld, statusCounts, upload, waitUntil, type MassMailWorld } from './mass-mail-harness.js';

/**
 * Issue 5 item 11 against a real SMTP server on loopback: what a citizen receives (text, HTML,
 * QR code, unsubscribe headers, the channel's no-reply From), what the hub records (sent_at and
 * the Message-ID the bounce reader matches), refusals (550 fails, 451 is retried), an unsubscribe
 * honoured by the next mailing, and a send interrupted by a crash.
 */
describe('mass mail: sending', () => {
  let smtp: SmtpCapture;
  let w: MassMailWorld;
  let dispatcher: MassMailDispatcher;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    w = await startMassMailWorld(smtp.port);
    dispatcher = startMassMailDispatcher(w.hub.ctx);
  });

  afterAll(async () => {
    await dispatcher?.stop();
    await w?.hub.cleanup();
    await smtp?.stop();
  });

  beforeEach(() => {
    smtp.respondWith(null);
  });

  /** A header as sent, unfolded (mailparser merges the List-* ones into one structured value). */
  const rawHeader = (mail: CapturedMail | undefined, name: string) =>
    (mail?.parsed.headerLines.find((h) => h.key === name)?.line ?? '').replace(/^[^:]*:\s*/, '').replace(/\r?\n\s+/g, ' ');
  const mailsTo = (address: string) => smtp.messages.filter((m) => m.to.includes(address));
  const completed = (id: string) => waitUntil(async () => ((await mailingRow(w.db, id)).status === 'completed' ? true : null), 10_000, `mailing ${id} completed`);

  it('sends each recipient its own mail from the no-reply address, with variables, QR image and unsubscribe headers, and completes', async () => {
    const mailing = await createMailing(w, {
      subject: 'Cita {{folio}} para {{name}}',
      bodyText: 'Hola {{name}}: su folio es {{folio}}.',
      bodyHtml: '<html><body><p>Hola <b>{{name}}</b>, folio {{folio}}</p><p>{{qr}}</p><p><a href="https://imss.example.mx/citas">Ver cita</a></p></body></html>',
      qrText: 'https://imss.example.mx/c/{{folio}}',
    });
    const csv = ['email,name,folio', 'ana@correo.example.mx,Ana <Pérez>,F-1', 'beto@correo.example.mx,Beto & Co,F-2', 'carla@correo.example.mx,Carla,F-3'].join('\n');
    expect((await upload(w, mailing.id, csv)).body).toMatchObject({ accepted: 3 });
    await schedule(w, mailing.id);
    await completed(mailing.id);

    expect(smtp.messages.filter((m) => /@correo\.example\.mx$/.test(m.to[0] ?? '') && m.parsed.subject?.startsWith('Cita')).length).toBe(3);
    const ana = mailsTo('ana@correo.example.mx')[0] as CapturedMail;
    expect(ana.from).toBe('no-reply@imss.example.mx');
    expect(ana.parsed.from?.value[0]).toMatchObject({ address: 'no-reply@imss.example.mx', name: 'IMSS Avisos' });
    expect(ana.parsed.subject).toBe('Cita F-1 para Ana <Pérez>');
    expect(ana.parsed.text).toContain('Hola Ana <Pérez>: su folio es F-1.');
    // In HTML the list's values are data: escaped, never markup.
    expect(ana.parsed.html).toContain('Hola <b>Ana &#60;Pérez&#62;</b>, folio F-1');
    expect(mailsTo('beto@correo.example.mx')[0]?.parsed.html).toContain('Beto &#38; Co');
    expect(ana.parsed.html).toContain('href="https://imss.example.mx/citas"');
    // The QR code travels inline and the HTML points at it by Content-ID.
    const qr = ana.parsed.attachments.find((a) => a.contentType === 'image/png');
    expect(qr?.cid).toBe('qr@ventanilla');
    expect(qr?.content.subarray(1, 4).toString('latin1')).toBe('PNG');
    // (mailparser swaps a cid: reference it can resolve for the image's data: URL)
    expect(ana.parsed.html).toMatch(/<img src="data:image\/png;base64,[^"]+" alt="Código QR/);
    expect(ana.raw.toString()).toMatch(/Content-ID: <qr@ventanilla>/i);

    // Bulk-mail headers: one-click unsubscribe (RFC 8058), no auto-replies (RFC 3834).
    const listUnsubscribe = rawHeader(ana, 'list-unsubscribe');
    const url = /<(https:\/\/ventanilla\.example\.mx\/u\/[^>]+)>/.exec(listUnsubscribe)?.[1];
    expect(url).toBeDefined();
    expect(listUnsubscribe).toMatch(/<mailto:no-reply@imss\.example\.mx\?subject=unsubscribe%20[^>]+>/);
    expect(rawHeader(ana, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(ana.header('precedence')).toBe('bulk');
    expect(ana.header('auto-submitted')).toBe('auto-generated');
    expect(ana.parsed.text).toContain(url);
    expect(ana.parsed.html).toContain(`href="${url}"`);
    // Each recipient has a link of its own.
    expect(rawHeader(mailsTo('carla@correo.example.mx')[0], 'list-unsubscribe')).not.toContain(url);

    const rows = await w.db.selectFrom('mass_mailing_recipients').selectAll().where('mailing_id', '=', mailing.id).orderBy('email').execute();
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    for (const r of rows) {
      expect(r.sent_at).toBeInstanceOf(Date);
      expect(r.attempts).toBe(1);
      expect(r.message_id).toBe(`<mm.${r.id}@imss.example.mx>`);
      expect(mailsTo(r.email)[0]?.parsed.messageId).toBe(r.message_id);
    }
    const row = await mailingRow(w.db, mailing.id);
    expect(row.started_at).toBeInstanceOf(Date);
    expect(row.completed_at).toBeInstanceOf(Date);
    const summary = await call(w.hub.app, w.supervisor, 'GET', mailingsUrl(w.campaignId, `/${mailing.id}/summary`));
    expect(summary.body).toMatchObject({ total: 3, sent: 3, delivered: 3, pending: 0, percent: { sent: 100 } });
  });

  it('fails a recipient the server refuses for good (550) with the reason, and retries a temporary refusal (451)', async () => {
    const refused = await createMailing(w);
    await upload(w, refused.id, 'email\nnadie@correo.example.mx\n');
    smtp.respondWith(550);
    await schedule(w, refused.id);
    await completed(refused.id);
    const failed = await w.db.selectFrom('mass_mailing_recipients').selectAll().where('mailing_id', '=', refused.id).executeTakeFirstOrThrow();
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, sent_at: null, message_id: null });
    expect(failed.error).toMatch(/^550 /);
    expect(failed.failed_at).toBeInstanceOf(Date);
    expect(mailsTo('nadie@correo.example.mx')).toHaveLength(0);

    const deferred = await createMailing(w);
    await upload(w, deferred.id, 'email\nluego@correo.example.mx\n');
    smtp.respondWith(451);
    await schedule(w, deferred.id);
    await completed(deferred.id);
    const retried = await w.db.selectFrom('mass_mailing_recipients').selectAll().where('mailing_id', '=', deferred.id).executeTakeFirstOrThrow();
    expect(retried).toMatchObject({ status: 'sent', attempts: 2, error: null });
    expect(mailsTo('luego@correo.example.mx')).toHaveLength(1);
  });

  it('honours an unsubscribe: the link records it, the next mailing skips the address (at upload and at send time)', async () => {
    const first = await createMailing(w);
    await upload(w, first.id, 'email,name\nbaja@correo.example.mx,Dora\ntarde@correo.example.mx,Eli\n');
    await schedule(w, first.id);
    await completed(first.id);
    const url = /<https:\/\/ventanilla\.example\.mx(\/u\/[^>]+)>/.exec(rawHeader(mailsTo('baja@correo.example.mx')[0], 'list-unsubscribe'))?.[1] ?? '';

    // The next mailing is uploaded while both addresses are still welcome…
    const second = await createMailing(w, { ratePerMinute: 600 });
    await upload(w, second.id, 'email\nbaja@correo.example.mx\ntarde@correo.example.mx\notra@correo.example.mx\n');
    // …then one of them follows the link of the first mail (one-click POST, as a mail client does).
    const post = await w.hub.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(post.statusCode).toBe(200);
    await schedule(w, second.id);
    await completed(second.id);
    expect(await statusCounts(w.db, second.id)).toEqual({ sent: 2, suppressed: 1 });
    expect(mailsTo('baja@correo.example.mx')).toHaveLength(1);
    expect(mailsTo('tarde@correo.example.mx')).toHaveLength(2);

    // A third mailing already knows at upload.
    const third = await createMailing(w);
    expect((await upload(w, third.id, 'email\nbaja@correo.example.mx\n')).body).toMatchObject({ accepted: 0, suppressed: 1 });
  });

  it('sends a recipient whose sender died mid-send (lock held, nothing committed) once the lock is gone, and nobody twice', async () => {
    const mailing = await createMailing(w);
    await upload(w, mailing.id, csvOf(5, 'crash.example.mx'));
    const stuck = await w.db.selectFrom('mass_mailing_recipients').select(['id', 'email']).where('mailing_id', '=', mailing.id).orderBy('email').executeTakeFirstOrThrow();
    // A dispatcher in another process has claimed this row and is talking to the SMTP server…
    const other = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${w.hub.config.DATABASE_SCHEMA}` });
    await other.connect();
    await other.query('BEGIN');
    await other.query('SELECT id FROM mass_mailing_recipients WHERE id = $1 FOR UPDATE', [stuck.id]);
    await schedule(w, mailing.id);
    await waitUntil(async () => ((await statusCounts(w.db, mailing.id))['sent'] === 4 ? true : null), 10_000, 'the four others sent');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await mailingRow(w.db, mailing.id)).status).toBe('sending');
    expect(mailsTo(stuck.email)).toHaveLength(0);
    // …and dies: its connection drops without a COMMIT.
    await other.end();
    await completed(mailing.id);
    expect(await statusCounts(w.db, mailing.id)).toEqual({ sent: 5 });
    for (let i = 0; i < 5; i += 1) expect(mailsTo(`persona${i}@crash.example.mx`)).toHaveLength(1);
  });
});
