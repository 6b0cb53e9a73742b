import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createCampaign } from '../support/factories.js';
import { createEmailChannel, startDovecot, startSmtpCapture, type DovecotServer, type SmtpCapture } from '../support/mail-servers.js';
import { setCampaignRouting } from '../support/router-factories.js';
import { ARTIFACTS, createWebchatChannel, ensureWidgetBuilt, launchChromium, screenshot, startEmbeddingSite, widgetViolations } from './e2e-support.js';

/**
 * Issue 5 item 2, closed hours: outside the campaign's service window the widget shows the
 * campaign's message instead of the pre-chat form and, since the campaign has an e-mail channel,
 * a leave-a-message form whose message becomes an e-mail conversation (acknowledged with its folio
 * through a real SMTP server on loopback).
 */
describe('web chat widget outside business hours', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  let hub: HubProcess;
  let site: { origin: string; close(): Promise<void> };
  let dovecot: DovecotServer;
  let smtp: SmtpCapture;
  let browser: Browser;
  let channelId = '';
  const db = () => hub.ctx.db.kysely;

  beforeAll(async () => {
    ensureWidgetBuilt();
    hub = await startHubProcess(config);
    site = await startEmbeddingSite(hub.url!, () => ({ channelId }));
    [dovecot, smtp] = await Promise.all([startDovecot(), startSmtpCapture()]);
    const campaign = await createCampaign(db(), { name: 'Pensiones', prefix: 'CER' });
    const never = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    await setCampaignRouting(db(), campaign.id, { schedule: { timeZone: 'America/Mexico_City', days: never, holidays: [] } });
    channelId = await createWebchatChannel(db(), campaign.id, site.origin, {
      closedMessage: 'Estamos fuera del horario de atención: lunes a viernes de 8:00 a 20:00 h.',
      captcha: { kind: 'pow', difficulty: 10 },
    });
    await dovecot.addUser('pensiones@imss.test', 'buzon-secreto');
    await createEmailChannel(db(), campaign.id, {
      imap: { port: dovecot.port, user: 'pensiones@imss.test', password: 'buzon-secreto' },
      smtp: { port: smtp.port },
      address: 'pensiones@imss.test',
      autoAck: { enabled: true },
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await hub?.stop();
    await smtp?.stop();
    await dovecot?.stop();
    await dropNamespaces(config);
  }, 60_000);

  it('(f) shows the closed message instead of the pre-chat form; a message left becomes an e-mail conversation', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX', reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(`${site.origin}/`);
    await page.getByRole('button', { name: 'Chat en línea' }).click();
    const dialog = page.getByRole('dialog', { name: 'Atención ciudadana' });
    await dialog.getByText('Estamos fuera del horario de atención: lunes a viernes de 8:00 a 20:00 h.').waitFor();
    expect(await dialog.getByRole('button', { name: 'Iniciar chat' }).count()).toBe(0);
    const { violations, shadowNodesChecked } = await widgetViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    expect(shadowNodesChecked).toBeGreaterThan(5);
    mkdirSync(join(ARTIFACTS, 'webchat'), { recursive: true });
    await screenshot(page, 'webchat/06-closed');

    // Required fields are checked before anything is sent.
    await dialog.getByRole('button', { name: 'Enviar mensaje' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Revise los datos marcados.' }).waitFor();
    expect(await dialog.getByRole('textbox', { name: 'Nombre' }).getAttribute('aria-invalid')).toBe('true');

    await dialog.getByRole('textbox', { name: 'Nombre' }).fill('Jorge Ramírez');
    await dialog.getByRole('textbox', { name: 'Correo electrónico' }).fill('jorge.ramirez@correo.mx');
    await dialog.getByRole('textbox', { name: 'Mensaje' }).fill('Quiero saber el estado de mi dictamen de pensión.');
    await dialog.getByRole('button', { name: 'Enviar mensaje' }).click();
    await dialog.getByText('Recibimos su mensaje. Le responderemos por correo electrónico.').waitFor({ timeout: 15_000 });
    // The campaign's e-mail channel acknowledges it with the folio, like any e-mail it receives.
    const ack = await smtp.waitFor((m) => m.to.includes('jorge.ramirez@correo.mx'), 15_000);
    const stored = await db()
      .selectFrom('messages as m')
      .innerJoin('channels as ch', 'ch.id', 'm.channel_id')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .select(['ch.kind', 'c.folio'])
      .where('m.text', 'like', 'Quiero saber el estado de mi dictamen%')
      .executeTakeFirstOrThrow();
    expect(stored.kind).toBe('email');
    expect(ack.parsed.subject ?? '').toContain(stored.folio);
    await context.close();
  }, 30_000);
});
