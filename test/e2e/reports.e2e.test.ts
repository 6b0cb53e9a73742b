import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { createCampaign, createUser } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { DAY1, seedReportFixture } from '../reports/report-fixture.js';
import { ensureInboxBuilt, launchChromium, openStaffPage, screenshot, seriousViolations } from './e2e-support.js';

/**
 * «Reportes» in Chromium (issue 9 item 7): a supervisor previews the daily service level with each
 * figure's arithmetic, downloads the CSV, creates a BI token (shown once) that then pulls the
 * report over HTTP, and revokes it — with no serious axe violations.
 */
describe('reports section in the admin console', () => {
  const config = testConfig({ HUB_ROLE: 'api', PORT: '0' });
  let hub: HubProcess;
  let browser: Browser;
  let page: Page;
  let campaignId: string;
  const password = 'Clave-Segura-2026';

  beforeAll(async () => {
    ensureInboxBuilt();
    hub = await startHubProcess(config);
    const db = hub.ctx.db.kysely;
    campaignId = (await createCampaign(db, { name: 'Orientación IMSS', prefix: 'REP' })).id;
    await seedReportFixture(db, campaignId);
    await createUser(db, { roles: ['supervisor'], campaignIds: [campaignId], email: 'sofia.rep@example.mx', password, name: 'Sofía Supervisora' });
    browser = await launchChromium();
    page = await openStaffPage(browser, hub.url!, { email: 'sofia.rep@example.mx', password }, { width: 1440, height: 960 }, { acceptDownloads: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('previews the daily report with the formula behind each figure and downloads the CSV', async () => {
    await page.getByRole('button', { name: 'Administración' }).click();
    const admin = page.getByRole('dialog');
    await admin.getByRole('button', { name: 'Reportes' }).click();
    await admin.getByLabel('Reporte', { exact: true }).selectOption('daily-service-level');
    await admin.getByLabel('Desde').fill(DAY1);
    await admin.getByLabel('Hasta').fill(DAY1);
    await admin.getByRole('button', { name: 'Ver en pantalla' }).click();
    const table = admin.getByRole('table', { name: /Nivel de servicio diario/ });
    await table.waitFor({ timeout: 15_000 });
    const total = table.getByRole('row').filter({ hasText: 'Total' });
    // SL by received 2 / 5 = 40 %: the value, and on expand the numerator and denominator.
    const sl = total.locator('details.report-kpi').first();
    expect(await sl.locator('summary').innerText()).toContain('40.00 %');
    await sl.locator('summary').click();
    expect(await sl.innerText()).toContain('2 / 5');
    expect(await sl.getAttribute('title')).toBe('2 / 5 × 100 = 40.00 % — atendidas en ≤ 20 s / recibidas × 100 (S003 DyC L7881)');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'reports-preview');

    const [download] = await Promise.all([page.waitForEvent('download'), admin.getByRole('button', { name: 'Descargar CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`daily-service-level-${DAY1}.csv`);
    const rows: string[][] = parse(await readFile((await download.path())!), { bom: true });
    const header = rows[0]!;
    const totalRow = rows.find((r) => r[header.indexOf('Ámbito')] === 'Total');
    expect(totalRow?.[header.indexOf('Nivel de servicio / recibidas — numerador')]).toBe('2');
    expect(totalRow?.[header.indexOf('Nivel de servicio / recibidas — denominador')]).toBe('5');
  });

  it('creates a BI token shown once, which pulls the report, and revokes it', async () => {
    const admin = page.getByRole('dialog');
    await admin.getByLabel('Nombre del token').fill('Power BI dirección');
    await admin.getByRole('button', { name: 'Crear token' }).click();
    const value = admin.getByTestId('report-token-value');
    await value.waitFor({ timeout: 10_000 });
    const token = await value.innerText();
    expect(token).toMatch(/^vrt_/);
    const pull = () => fetch(`${hub.url}/api/v1/reports/daily-service-level?campaignId=${campaignId}&date=${DAY1}&format=csv`, { headers: { authorization: `Bearer ${token}` } });
    expect((await pull()).status).toBe(200);
    await admin.getByRole('button', { name: 'Listo, ya lo guardé' }).click();
    expect(await admin.getByTestId('report-token-value').count()).toBe(0);

    const row = admin.getByRole('row').filter({ hasText: 'Power BI dirección' });
    await row.getByRole('button', { name: 'Revocar' }).click();
    await page.getByRole('dialog', { name: 'Revocar token' }).getByRole('button', { name: 'Revocar' }).click();
    await row.getByText('revocado').waitFor({ timeout: 10_000 });
    expect((await pull()).status).toBe(401);
  });
});
