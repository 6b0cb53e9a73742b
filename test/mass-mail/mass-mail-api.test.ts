import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailingView, RecipientView } from '../../hub/src/mass-mail/mass-mail.schema.js';
import { signUnsubscribeToken } from '../../hub/src/mass-mail/unsubscribe-token.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { createEmailChannel } from '../support/mail-servers.js';
import { TEST_JWT_SECRET } from '../support/test-context.js';
import { call, createMailing, csvOf, mailingsUrl, schedule, startMassMailWorld, upload, type MassMailWorld } from './mass-mail-harness.js';

type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/**
 * The mass-mail REST API (issue 5 item 11) without a dispatcher running: who may use it, lists
 * uploaded and checked, the life cycle, the summary, the bad-address download and the public
 * unsubscribe page.
 */
describe('mass mail API', () => {
  let w: MassMailWorld;
  let otherCampaignId: string;
  let agent: string;
  let foreignSupervisor: string;

  beforeAll(async () => {
    // No SMTP server: nothing here sends.
    w = await startMassMailWorld(1);
    otherCampaignId = (await createCampaign(w.db)).id;
    agent = await tokenFor(w.db, (await createUser(w.db, { roles: ['agent'], campaignIds: [w.campaignId] })).id);
    foreignSupervisor = await tokenFor(w.db, (await createUser(w.db, { roles: ['supervisor'], campaignIds: [otherCampaignId] })).id);
  });

  afterAll(async () => {
    await w?.hub.cleanup();
  });

  it('is for admins and the campaign’s supervisors: an agent (role) and another campaign’s supervisor (campaign) get 403', async () => {
    const body = { name: 'Aviso', channelId: w.channelId, subject: 'Hola', bodyText: 'Hola' };
    const byAgent = await call<ErrorBody>(w.hub.app, agent, 'POST', mailingsUrl(w.campaignId), body);
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');
    const byForeigner = await call<ErrorBody>(w.hub.app, foreignSupervisor, 'GET', mailingsUrl(w.campaignId));
    expect(byForeigner.status).toBe(403);
    expect(byForeigner.body.error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    const created = await createMailing(w);
    for (const path of ['', '/summary', '/recipients', '/bad-addresses.csv']) {
      const res = await w.hub.app.inject({ method: 'GET', url: mailingsUrl(w.campaignId, `/${created.id}${path}`), headers: bearer(foreignSupervisor) });
      expect(res.statusCode, path).toBe(403);
    }
    // The same mailing looked up through a campaign it does not belong to is not found.
    const admin = await call<ErrorBody>(w.hub.app, w.admin, 'GET', mailingsUrl(otherCampaignId, `/${created.id}`));
    expect(admin.body.error.code).toBe('HUB_ERR_MASS_MAIL_NOT_FOUND');
    expect((await w.hub.app.inject({ method: 'GET', url: mailingsUrl(w.campaignId) })).statusCode).toBe(401);
    expect((await call<{ items: MailingView[] }>(w.hub.app, w.admin, 'GET', mailingsUrl(w.campaignId))).body.items.map((m) => m.id)).toContain(created.id);
  });

  it('creates a draft only with an e-mail channel of the campaign and a safe template, saying what is wrong', async () => {
    const api = (await createApiChannel(w.db, w.campaignId)).channel;
    const foreignEmail = await createEmailChannel(w.db, otherCampaignId, { address: 'x@otra.example.mx', imap: { port: 1, user: 'x', password: 'x' }, smtp: { port: 1 } });
    for (const channelId of [api.id, foreignEmail.id]) {
      const res = await call<ErrorBody>(w.hub.app, w.supervisor, 'POST', mailingsUrl(w.campaignId), { name: 'X', channelId, subject: 'S', bodyText: 'T' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('HUB_ERR_MASS_MAIL_CHANNEL_INVALID');
    }
    const bad = await call<ErrorBody>(w.hub.app, w.supervisor, 'POST', mailingsUrl(w.campaignId), {
      name: 'X',
      channelId: w.channelId,
      subject: 'Dos\nlíneas',
      bodyText: 'T',
      bodyHtml: '<p onclick="x()">hola</p>',
      ratePerMinute: 0,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('subject: el asunto va en una sola línea / the subject must be one line');
    expect(bad.body.error.message).toContain('bodyHtml: el HTML no puede tener scripts');
    expect(bad.body.error.message).toContain('ratePerMinute: la velocidad mínima es 1 correo por minuto');

    const created = await createMailing(w, { qrText: 'https://imss.example.mx', bodyHtml: '<p>Hola {{name}}</p>{{qr}}' });
    expect(created).toMatchObject({ status: 'draft', channelId: w.channelId, qrText: 'https://imss.example.mx', ratePerMinute: 100_000, summary: { total: 0, pending: 0 } });
    const audit = await w.db.selectFrom('audit_log').select(['action', 'target_id']).where('target_id', '=', created.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['mass_mailing.created']);
  });

  it('uploads a CSV with template variables: counts accepted, invalid (stored for the bad-address list), duplicate and suppressed', async () => {
    await w.db.insertInto('email_suppressions').values({ campaign_id: w.campaignId, email: 'baja@correo.example.mx', reason: 'unsubscribed', detail: null }).execute();
    const mailing = await createMailing(w, { bodyText: 'Hola {{name}}, folio {{folio}}' });
    const csv = [
      'email,name,folio',
      'Ana@Correo.Example.MX,Ana,F-1',
      'beto@correo.example.mx,Beto,F-2',
      'ana@correo.example.mx,Ana otra vez,F-3',
      'no-es-correo,Carla,F-4',
      'baja@correo.example.mx,Dora,F-5',
    ].join('\n');
    const first = await upload(w, mailing.id, csv);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ format: 'csv', rows: 5, accepted: 2, invalid: 1, duplicate: 1, suppressed: 1, columns: ['folio'] });
    const rows = await w.db.selectFrom('mass_mailing_recipients').selectAll().where('mailing_id', '=', mailing.id).orderBy('email').execute();
    expect(rows.map((r) => [r.email, r.name, r.status, r.variables])).toEqual([
      ['ana@correo.example.mx', 'Ana', 'pending', { folio: 'F-1' }],
      ['baja@correo.example.mx', 'Dora', 'suppressed', { folio: 'F-5' }],
      ['beto@correo.example.mx', 'Beto', 'pending', { folio: 'F-2' }],
      ['no-es-correo', 'Carla', 'invalid', { folio: 'F-4' }],
    ]);
    expect(rows.find((r) => r.status === 'suppressed')?.error).toBe('se dio de baja / unsubscribed');

    // A TXT appended later: what the mailing already has counts as a duplicate.
    const txt = await upload(w, mailing.id, 'beto@correo.example.mx\nnuevo@correo.example.mx\n', 'text/plain');
    expect(txt.body).toMatchObject({ format: 'txt', rows: 2, accepted: 1, duplicate: 1 });
    // …and replace starts over.
    const replaced = await upload(w, mailing.id, 'email\nsolo@correo.example.mx\n', 'text/csv', '?replace=true');
    expect(replaced.body).toMatchObject({ accepted: 1, duplicate: 0 });
    expect((await call(w.hub.app, w.supervisor, 'GET', mailingsUrl(w.campaignId, `/${mailing.id}`))).body.summary).toMatchObject({ total: 1, pending: 1 });

    const unreadable = await upload(w, mailing.id, 'nombre,folio\nAna,F-1\n');
    expect(unreadable.status).toBe(400);
    expect((unreadable.body as unknown as ErrorBody).error.code).toBe('HUB_ERR_MASS_MAIL_LIST_INVALID');
    const json = await w.hub.app.inject({ method: 'POST', url: mailingsUrl(w.campaignId, `/${mailing.id}/recipients`), headers: bearer(w.supervisor), payload: { email: 'a@b.mx' } });
    expect(json.statusCode).toBe(415);
  });

  it('takes a day’s worth of addresses (60,000, seed §1.4) in one upload', async () => {
    const mailing = await createMailing(w);
    const res = await upload(w, mailing.id, csvOf(60_000, 'masivo.example.mx'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rows: 60_000, accepted: 60_000, invalid: 0, duplicate: 0, columns: ['folio'] });
    expect((await call(w.hub.app, w.supervisor, 'GET', mailingsUrl(w.campaignId, `/${mailing.id}/summary`))).body).toMatchObject({ total: 60_000, pending: 60_000 });
  });

  it('schedules only a draft with pending recipients whose template variables the list fills; finishBy spreads the sends', async () => {
    const mailing = await createMailing(w, { subject: 'Folio {{folio}}', bodyText: 'Cita en {{clinica}}' });
    const empty = await call<ErrorBody>(w.hub.app, w.supervisor, 'POST', mailingsUrl(w.campaignId, `/${mailing.id}/schedule`), {});
    expect(empty.body.error.code).toBe('HUB_ERR_MASS_MAIL_NO_RECIPIENTS');
    await upload(w, mailing.id, 'email,folio\na@correo.example.mx,F-1\nb@correo.example.mx,F-2\nc@correo.example.mx,F-3\n');
    const missing = await call<ErrorBody>(w.hub.app, w.supervisor, 'POST', mailingsUrl(w.campaignId, `/${mailing.id}/schedule`), {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('HUB_ERR_MASS_MAIL_VARIABLE_UNKNOWN');
    expect(missing.body.error.details).toEqual({ unknown: ['clinica'] });

    const edited = await call(w.hub.app, w.supervisor, 'PATCH', mailingsUrl(w.campaignId, `/${mailing.id}`), { bodyText: 'Su cita, folio {{folio}}' });
    expect(edited.status).toBe(200);
    const start = new Date(Date.now() + 3_600_000);
    const finish = new Date(start.getTime() + 2 * 60_000);
    const scheduled = await schedule(w, mailing.id, { scheduledAt: start.toISOString(), finishBy: finish.toISOString() });
    // 3 recipients over 2 minutes: 2 a minute, evenly.
    expect(scheduled).toMatchObject({ status: 'scheduled', scheduledAt: start.toISOString(), ratePerMinute: 2 });

    // Scheduled: content is frozen, the pace is not.
    const content = await call<ErrorBody>(w.hub.app, w.supervisor, 'PATCH', mailingsUrl(w.campaignId, `/${mailing.id}`), { subject: 'Otro' });
    expect(content.body.error.code).toBe('HUB_ERR_MASS_MAIL_STATE');
    expect((await call(w.hub.app, w.supervisor, 'PATCH', mailingsUrl(w.campaignId, `/${mailing.id}`), { ratePerMinute: 30 })).body.ratePerMinute).toBe(30);
    const late = await upload(w, mailing.id, 'email\nd@correo.example.mx\n');
    expect(late.status).toBe(409);

    const post = (action: string) => call<MailingView & ErrorBody>(w.hub.app, w.supervisor, 'POST', mailingsUrl(w.campaignId, `/${mailing.id}/${action}`));
    expect((await post('resume')).body.error.code).toBe('HUB_ERR_MASS_MAIL_STATE');
    expect((await post('pause')).body.status).toBe('paused');
    // Paused before it started: resuming waits for its time again.
    expect((await post('resume')).body.status).toBe('scheduled');
    expect((await post('cancel')).body.status).toBe('cancelled');
    expect((await post('pause')).status).toBe(409);
    const actions = await w.db.selectFrom('audit_log').select('action').where('target_id', '=', mailing.id).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual([
      'mass_mailing.created',
      'mass_mailing.recipients_uploaded',
      'mass_mailing.updated',
      'mass_mailing.scheduled',
      'mass_mailing.updated',
      'mass_mailing.paused',
      'mass_mailing.resumed',
      'mass_mailing.cancelled',
    ]);
  });

  it('pages recipients by status, sums them up, and downloads invalid, failed and bounced addresses as CSV', async () => {
    const mailing = await createMailing(w);
    await upload(w, mailing.id, 'email,name\nok1@correo.example.mx,Uno\nok2@correo.example.mx,Dos\nmal@correo.example.mx,Tres\nrebote@correo.example.mx,Cuatro\nroto@@x,Cinco\nespera@correo.example.mx,Seis\n');
    // What the dispatcher and the bounce reader would have recorded.
    const t0 = new Date('2026-11-26T10:00:00Z');
    const set = (email: string, values: Record<string, unknown>) => w.db.updateTable('mass_mailing_recipients').set(values).where('mailing_id', '=', mailing.id).where('email', '=', email).execute();
    await set('ok1@correo.example.mx', { status: 'sent', sent_at: t0 });
    await set('ok2@correo.example.mx', { status: 'sent', sent_at: new Date(t0.getTime() + 30_000) });
    await set('rebote@correo.example.mx', { status: 'bounced', sent_at: new Date(t0.getTime() + 60_000), error: '5.1.1 user unknown', failed_at: new Date(t0.getTime() + 120_000) });
    await set('mal@correo.example.mx', { status: 'failed', error: '550 5.1.1 mailbox unavailable', failed_at: t0 });

    const page1 = await call<{ items: RecipientView[]; nextCursor: string | null }>(w.hub.app, w.supervisor, 'GET', mailingsUrl(w.campaignId, `/${mailing.id}/recipients?limit=4`));
    expect(page1.body.items).toHaveLength(4);
    const page2 = await call<{ items: RecipientView[]; nextCursor: string | null }>(w.hub.app, w.supervisor, 'GET', mailingsUrl(w.campaignId, `/${mailing.id}/recipients?limit=4&cursor=${page1.body.nextCursor}`));
    expect(page2.body).toMatchObject({ nextCursor: null });
    expect(new Set([...page1.body.items, ...page2.body.items].map((r) => r.email)).size).toBe(6);
    const sent = await call<{ items: RecipientView[] }>(w.hub.app, w.supervisor, 'GET', mailingsUrl(w.campaignId, `/${mailing.id}/recipients?status=sent`));
    expect(sent.body.items.map((r) => r.email).sort()).toEqual(['ok1@correo.example.mx', 'ok2@correo.example.mx']);

    const summary = await call(w.hub.app, w.supervisor, 'GET', mailingsUrl(w.campaignId, `/${mailing.id}/summary`));
    expect(summary.body).toMatchObject({
      total: 6,
      sent: 3,
      delivered: 2,
      failed: 1,
      bounced: 1,
      invalid: 1,
      pending: 1,
      percent: { sent: 50, delivered: 33.33, failed: 16.67, bounced: 16.67, invalid: 16.67, pending: 16.67 },
      firstSentAt: t0.toISOString(),
      // 3 sends over 60 s.
      actualRatePerMinute: 2,
    });

    const csv = await w.hub.app.inject({ method: 'GET', url: mailingsUrl(w.campaignId, `/${mailing.id}/bad-addresses.csv`), headers: bearer(w.supervisor) });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="direcciones-erroneas-[0-9a-f]{8}\.csv"$/);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('correo,nombre,estado,motivo,fecha');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['rebote@correo.example.mx,Cuatro,rebotado / bounced', 'mal@correo.example.mx,Tres,rechazado / failed', 'roto@@x,Cinco,inválido / invalid']);
    expect(csv.body).toContain('550 5.1.1 mailbox unavailable');
    const exported = await w.db.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', mailing.id).where('action', '=', 'data.exported').executeTakeFirst();
    expect(exported?.details).toMatchObject({ export: 'bad-addresses', rows: 3 });
  });

  it('serves the unsubscribe page: GET asks (and records nothing), POST records, a forged token gets a 400 page', async () => {
    const token = signUnsubscribeToken(TEST_JWT_SECRET, { campaignId: w.campaignId, email: 'lector.con.un.nombre.muy.largo@una-dependencia-con-dominio-largo.gob.mx' });
    const suppressed = () => w.db.selectFrom('email_suppressions').selectAll().where('campaign_id', '=', w.campaignId).where('email', 'like', 'lector%').execute();

    const page = await w.hub.app.inject({ method: 'GET', url: `/u/${token}`, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain('<html lang="es-MX">');
    expect(page.body).toContain('¿Dejar de recibir los correos masivos de Derechohabiente?');
    expect(page.body).toContain('<form method="post"><button type="submit">Sí, darme de baja</button></form>');
    expect(page.body).toContain('l•••@una-dependencia-con-dominio-largo.gob.mx');
    expect(await suppressed()).toHaveLength(0);

    const confirmed = await w.hub.app.inject({ method: 'POST', url: `/u/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('Listo: ya no recibirá correos masivos de Derechohabiente');
    expect(await suppressed()).toMatchObject([{ reason: 'unsubscribed' }]);
    // Twice is fine (a mail client's one-click, then the person on the page).
    expect((await w.hub.app.inject({ method: 'POST', url: `/u/${token}` })).statusCode).toBe(200);

    const forged = `${signUnsubscribeToken(TEST_JWT_SECRET, { campaignId: w.campaignId, email: 'otra@correo.mx' }).split('.')[0]}.${token.split('.')[1]}`;
    for (const bad of [forged, 'nada', `${token}x`]) {
      const res = await w.hub.app.inject({ method: 'POST', url: `/u/${bad}` });
      expect(res.statusCode, bad).toBe(400);
      expect(res.body).toContain('El enlace para darse de baja no es válido');
    }
  });
});
