import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestMessage } from '../../hub/src/ingest/ingest-message.usecase.js';
import { startWorkers, type RunningWorkers } from '../../hub/src/workers/start-workers.js';
import type { WidgetConfig } from '../../hub/src/webchat/widget.contract.js';
import { createCampaign } from '../support/factories.js';
import { createEmailChannel, startSmtpCapture, type SmtpCapture } from '../support/mail-servers.js';
import { setCampaignRouting } from '../support/router-factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { createWebchatChannel, freshWindow, startVisitor, waitFor, widgetCall } from './widget-harness.js';

const CLOSED_ALL_WEEK = {
  schedule: { timeZone: 'America/Mexico_City', days: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, holidays: 'closed' as const },
  holidays: { base: 'none' as const, extra: [], removed: [] },
};

/**
 * Outside business hours (issue 5 item 2) the widget is closed: new chats are refused and a
 * leave-a-message form becomes an e-mail conversation of the campaign; a chat already open goes
 * on. The transcript by e-mail goes out through the campaign's SMTP server (a real one on loopback).
 */
describe('web chat outside business hours, and e-mail', () => {
  let h: TestHub;
  let workers: RunningWorkers;
  let smtp: SmtpCapture;
  let dataDir: string;
  let campaignId: string;
  let channelId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ventanilla-widget-mail-'));
    smtp = await startSmtpCapture();
    h = await createTestHub({ DATA_DIR: dataDir });
    workers = startWorkers(h.ctx, { emailReaders: false });
    campaignId = (await createCampaign(h.ctx.db.kysely)).id;
    await setCampaignRouting(h.ctx.db.kysely, campaignId, CLOSED_ALL_WEEK);
    channelId = (await createWebchatChannel(h.ctx.db.kysely, campaignId)).id;
  });
  afterAll(async () => {
    await workers?.stop();
    await h?.cleanup();
    await smtp?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const config = async () => (await widgetCall(h.app, { url: `/channels/${channelId}/config` })).json<WidgetConfig>();
  const leave = (body: Record<string, unknown>) => widgetCall(h.app, { url: `/channels/${channelId}/leave-message`, body });
  const note = { name: 'Jorge Ruiz', email: 'Jorge.Ruiz@Correo.MX', phone: '+52 81 1234 5678', text: 'Necesito reponer mi tarjeta de afiliación.' };

  it('reports closed, refuses new chats, and has nowhere to leave a message without an e-mail channel', async () => {
    const closed = await config();
    expect(closed).toMatchObject({ open: false, leaveMessage: false, transcriptByEmail: false });
    expect(closed.closedMessage).toMatch(/fuera del horario de atención/);
    const visitor = await startVisitor(h.app, channelId);
    const refused = await widgetCall(h.app, { url: '/messages', token: visitor.visitorToken, body: { clientMessageId: randomUUID(), text: 'Hola' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'HUB_ERR_WIDGET_CLOSED' } });
    const nowhere = await leave(note);
    expect(nowhere.statusCode).toBe(409);
    expect(nowhere.json()).toMatchObject({ error: { code: 'HUB_ERR_EMAIL_CHANNEL_MISSING' } });
  });

  it('turns a left message into an e-mail conversation of the campaign', async () => {
    const db = h.ctx.db.kysely;
    const email = await createEmailChannel(db, campaignId, { imap: { port: 1, user: 'atencion', password: 'x' }, smtp: { port: smtp.port }, address: 'atencion@imss.test' });
    expect(await config()).toMatchObject({ open: false, leaveMessage: true, transcriptByEmail: true });

    expect((await leave({ ...note, email: 'jorge@' })).json()).toMatchObject({ error: { code: 'HUB_ERR_VALIDATION' } });
    expect((await leave({ ...note, text: '' })).statusCode).toBe(400);
    const res = await leave(note);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ folio: null, accepted: true });

    const message = await waitFor(
      () => db.selectFrom('messages').selectAll().where('channel_id', '=', email.id).where('direction', '=', 'inbound').executeTakeFirst(),
      'the e-mail message',
    );
    expect(message.text).toContain('Necesito reponer mi tarjeta de afiliación.');
    expect(message.text).toContain('+52 81 1234 5678');
    expect(message.meta).toMatchObject({ subject: 'Mensaje desde el chat web', from: 'jorge.ruiz@correo.mx', to: [], cc: [], references: [] });
    expect(message.provider_message_id).toMatch(/^<leave\.[0-9a-f-]{36}@widget\.local>$/);
    const conversation = await db.selectFrom('conversations').selectAll().where('id', '=', message.conversation_id).executeTakeFirstOrThrow();
    expect(conversation.campaign_id).toBe(campaignId);
    const identities = await db.selectFrom('contact_identities').select(['kind', 'value']).where('contact_id', '=', conversation.contact_id).execute();
    expect(identities).toEqual([{ kind: 'email', value: 'jorge.ruiz@correo.mx' }]);
  });

  it('lets a chat already open go on, and e-mails its transcript (three times an hour at most)', async () => {
    const db = h.ctx.db.kysely;
    const visitor = await startVisitor(h.app, channelId, { name: 'Ana López', email: 'ana@correo.mx' });
    const channel = await h.ctx.channels.get(channelId);
    if (!channel) throw new Error('channel not loaded');
    const opened = await ingestMessage(db, channel, {
      type: 'message',
      providerMessageId: `wc:${randomUUID()}`,
      occurredAt: new Date().toISOString(),
      contact: { externalId: visitor.visitorId, name: 'Ana López' },
      content: { type: 'text', text: 'Hola, sigo aquí' },
    });
    if (opened.outcome !== 'stored') throw new Error('not stored');
    const more = await widgetCall(h.app, { url: '/messages', token: visitor.visitorToken, body: { clientMessageId: randomUUID(), text: 'Otra pregunta' } });
    expect(more.statusCode).toBe(202);

    await freshWindow(3600);
    const send = (body: Record<string, unknown>) => widgetCall(h.app, { url: '/transcript/email', token: visitor.visitorToken, body });
    expect((await send({ email: 'no-es-correo' })).statusCode).toBe(400);
    expect((await send({})).json()).toEqual({ queued: true });
    const mail = await smtp.waitFor((m) => m.to.includes('ana@correo.mx'));
    expect(mail.parsed.subject).toBe(`Transcripción de su conversación ${opened.folio}`);
    expect(mail.parsed.text).toContain('Ciudadano: Hola, sigo aquí');
    expect(mail.header('auto-submitted')).toBe('auto-generated');
    expect((await send({ email: 'Otra@Correo.MX' })).statusCode).toBe(202);
    await smtp.waitFor((m) => m.to.includes('otra@correo.mx'));
    expect((await send({})).statusCode).toBe(202);
    const limited = await send({});
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    const nameless = await startVisitor(h.app, channelId);
    expect((await widgetCall(h.app, { url: '/transcript/email', token: nameless.visitorToken, body: {} })).json()).toMatchObject({ error: { code: 'HUB_ERR_VALIDATION' } });
  });
});
