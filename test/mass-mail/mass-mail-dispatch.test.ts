import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubContext, type HubContext } from '@ventanilla/hub';
import type { MailingSummary } from '../../hub/src/mass-mail/mass-mail.schema.js';
import { startMassMailDispatcher, type MassMailDispatcher } from '../../hub/src/mass-mail/mass-mail.worker.js';
import { startFastSmtpCapture, type FastSmtpCapture } from './fast-smtp-capture.js';
import { call, createMailing, csvOf, mailingRow, mailingsUrl, schedule, startMassMailWorld, statusCounts, upload, waitUntil, type MassMailWorld } from './mass-mail-harness.js';

/**
 * The dispatcher as deployed: two worker processes' worth of it (two hub contexts on the same
 * database and Redis, each with its own SMTP pool) sending the same mailings — every recipient
 * exactly once, at the mailing's pace across both, stopping within a second of a pause.
 */
describe('mass mail: two dispatchers', () => {
  let smtp: FastSmtpCapture;
  let w: MassMailWorld;
  let second: HubContext;
  const dispatchers: MassMailDispatcher[] = [];

  beforeAll(async () => {
    smtp = await startFastSmtpCapture();
    w = await startMassMailWorld(smtp.port);
    second = await createHubContext(w.hub.config, { migrate: false });
    dispatchers.push(startMassMailDispatcher(w.hub.ctx), startMassMailDispatcher(second));
  });

  afterAll(async () => {
    await Promise.all(dispatchers.map((d) => d.stop()));
    await second?.close();
    await w?.hub.cleanup();
    await smtp?.stop();
  });

  const received = (domain: string) => smtp.mails.filter((m) => m.to.endsWith(`@${domain}`));
  const completed = (id: string, timeoutMs = 15_000) => waitUntil(async () => ((await mailingRow(w.db, id)).status === 'completed' ? true : null), timeoutMs, `mailing ${id} completed`);

  it('sends each of 400 recipients exactly once when both claim from the same mailing at full speed', async () => {
    const mailing = await createMailing(w, { ratePerMinute: 100_000 });
    await upload(w, mailing.id, csvOf(400, 'uno.example.mx'));
    await schedule(w, mailing.id);
    await completed(mailing.id);
    const mails = received('uno.example.mx');
    expect(mails).toHaveLength(400);
    expect(new Set(mails.map((m) => m.to)).size).toBe(400);
    // Both processes took part: each pool holds at most MASS_MAIL_CONCURRENCY (5) connections.
    expect(new Set(mails.map((m) => m.session)).size).toBeGreaterThan(5);
    expect(await statusCounts(w.db, mailing.id)).toEqual({ sent: 400 });
    const ids = await w.db.selectFrom('mass_mailing_recipients').select('message_id').where('mailing_id', '=', mailing.id).execute();
    expect(new Set(mails.map((m) => m.messageId))).toEqual(new Set(ids.map((r) => r.message_id)));
  });

  it('keeps the mailing’s pace across both processes: 120 a minute is one mail every 500 ms', async () => {
    const mailing = await createMailing(w, { ratePerMinute: 120 });
    await upload(w, mailing.id, csvOf(6, 'ritmo.example.mx'));
    await schedule(w, mailing.id);
    await completed(mailing.id);
    const times = received('ritmo.example.mx')
      .map((m) => m.at)
      .sort((a, b) => a - b);
    expect(times).toHaveLength(6);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
    // Slots are 500 ms apart; a send lands a few ms after its slot, so allow that much jitter.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(430);
    expect((times[5] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(2400);
    const summary = await call<MailingSummary>(w.hub.app, w.supervisor, 'GET', mailingsUrl(w.campaignId, `/${mailing.id}/summary`));
    expect(summary.body.actualRatePerMinute).toBeGreaterThan(100);
    expect(summary.body.actualRatePerMinute).toBeLessThanOrEqual(130);
  });

  it('stops sending within a second of a pause, and a resume finishes the rest, each once', async () => {
    const mailing = await createMailing(w, { ratePerMinute: 1200 });
    await upload(w, mailing.id, csvOf(60, 'pausa.example.mx'));
    await schedule(w, mailing.id);
    await waitUntil(async () => received('pausa.example.mx').length >= 10, 10_000, '10 sent');
    const paused = await call(w.hub.app, w.supervisor, 'POST', mailingsUrl(w.campaignId, `/${mailing.id}/pause`));
    expect(paused.body.status).toBe('paused');
    const pausedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const during = received('pausa.example.mx');
    expect(during.length).toBeLessThan(60);
    for (const m of during) expect(m.at).toBeLessThanOrEqual(pausedAt + 1000);
    expect((await statusCounts(w.db, mailing.id))['pending']).toBe(60 - during.length);

    const resumed = await call(w.hub.app, w.supervisor, 'POST', mailingsUrl(w.campaignId, `/${mailing.id}/resume`));
    expect(resumed.body.status).toBe('sending');
    await completed(mailing.id);
    const all = received('pausa.example.mx');
    expect(all).toHaveLength(60);
    expect(new Set(all.map((m) => m.to)).size).toBe(60);
    expect(all.filter((m) => m.at > pausedAt + 1000 && m.at < pausedAt + 1500)).toHaveLength(0);
  });

  it('waits for the scheduled time, then starts by itself', async () => {
    const mailing = await createMailing(w);
    await upload(w, mailing.id, csvOf(3, 'luego.example.mx'));
    const at = new Date(Date.now() + 1500);
    await schedule(w, mailing.id, { scheduledAt: at.toISOString() });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(received('luego.example.mx')).toHaveLength(0);
    expect((await mailingRow(w.db, mailing.id)).status).toBe('scheduled');
    await completed(mailing.id);
    const row = await mailingRow(w.db, mailing.id);
    expect(row.started_at?.getTime()).toBeGreaterThanOrEqual(at.getTime());
    for (const m of received('luego.example.mx')) expect(m.at).toBeGreaterThanOrEqual(at.getTime());
  });
});
