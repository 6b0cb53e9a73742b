import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { ensureInboxBuilt, launchChromium, screenshot, seriousViolations } from '../e2e/e2e-support.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createEmailChannel } from '../support/mail-servers.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { startFastSmtpCapture, type FastSmtpCapture } from './fast-smtp-capture.js';

/**
 * The admin console's "Correo masivo" section in Chromium (issue 5 item 11): a supervisor creates
 * a draft, uploads a CSV file, sends it now, watches the summary and downloads the bad-address
 * list — keyboard-reachable and with no serious axe violations.
 */
describe('mass mail in the admin console', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', MASS_MAIL_INTERVAL_MS: '100' });
  let hub: HubProcess;
  let smtp: FastSmtpCapture;
  let browser: Browser;
  let page: Page;
  let campaignId: string;
  const password = 'Clave-Segura-2026';
  const db = () => hub.ctx.db.kysely;

  beforeAll(async () => {
    ensureInboxBuilt();
    smtp = await startFastSmtpCapture();
    hub = await startHubProcess(config);
    campaignId = (await createCampaign(db(), { name: 'Derechohabientes', prefix: 'MMA' })).id;
    // The mailbox is never read here: the channel is only the sender of the mailing.
    await createEmailChannel(db(), campaignId, { address: 'no-reply@imss.example.mx', name: 'Avisos IMSS', imap: { port: 1, user: 'x', password: 'x' }, smtp: { port: smtp.port }, enabled: true });
    await createUser(db(), { roles: ['supervisor'], campaignIds: [campaignId], email: 'sofia.mm@example.mx', password, name: 'Sofía Supervisora' });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'es-MX', reducedMotion: 'reduce', acceptDownloads: true });
    page = await context.newPage();
    await page.goto(hub.url!);
    await page.getByLabel('Correo electrónico').fill('sofia.mm@example.mx');
    await page.getByLabel('Contraseña').fill(password);
    await page.getByRole('button', { name: 'Entrar' }).click();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await smtp?.stop();
    await dropNamespaces(config);
  });

  it('creates a draft, uploads a list, sends it and shows the summary; the bad addresses download as CSV', async () => {
    await page.getByRole('button', { name: 'Administración' }).click();
    const admin = page.getByRole('dialog');
    await admin.getByRole('button', { name: 'Correo masivo' }).click();
    await admin.getByText('Aún no hay envíos masivos en esta campaña.').waitFor();

    await admin.getByLabel('Nombre interno').fill('Recordatorio de citas');
    await admin.getByLabel('Asunto').fill('Su cita {{folio}}');
    await admin.getByLabel('Texto del correo').fill('Hola {{name}}: su folio es {{folio}}.');
    await admin.getByLabel('Correos por minuto').fill('6000');
    await admin.getByRole('button', { name: 'Crear borrador' }).click();
    await admin.getByRole('heading', { name: 'Envío «Recordatorio de citas»' }).waitFor();

    await admin.getByLabel('Archivo CSV o TXT').setInputFiles({
      name: 'lista.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('email,name,folio\nana@destino.example.mx,Ana,F-1\nbeto@destino.example.mx,Beto,F-2\nno-es-correo,Carla,F-3\n'),
    });
    await admin.getByRole('button', { name: 'Cargar lista' }).click();
    await admin.getByText('Lista cargada: 2 aceptados, 1 inválidos, 0 repetidos, 0 dados de baja.').first().waitFor();
    await screenshot(page, 'mass-mail-draft');
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);

    await admin.getByRole('button', { name: 'Programar envío' }).click();
    // The section re-reads a mailing being sent every 3 s until it is done.
    await admin.getByText('Terminado').first().waitFor({ timeout: 15_000 });
    expect(smtp.mails.map((m) => m.to).sort()).toEqual(['ana@destino.example.mx', 'beto@destino.example.mx']);
    const summary = admin.getByRole('region', { name: 'Resumen' });
    await expect.poll(async () => summary.getByRole('row', { name: /Enviados/ }).first().innerText()).toMatch(/Enviados\s+2\s+66\.67/);
    await screenshot(page, 'mass-mail-completed');

    const download = page.waitForEvent('download');
    await admin.getByRole('button', { name: 'Descargar direcciones erróneas (CSV)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^direcciones-erroneas-[0-9a-f]{8}\.csv$/);
    const csv = await readFile((await file.path()) ?? '', 'utf8');
    expect(csv).toContain('no-es-correo,Carla,inválido / invalid');
    const mailing = await db().selectFrom('mass_mailings').select(['status', 'campaign_id']).where('name', '=', 'Recordatorio de citas').executeTakeFirstOrThrow();
    expect(mailing).toEqual({ status: 'completed', campaign_id: campaignId });
  }, 60_000);
});
