import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createQueue, createSkill } from '../support/router-factories.js';
import { ensureInboxBuilt, launchChromium, screenshot, seriousViolations } from './e2e-support.js';

/** Issue 4 item 11: a supervisor opens the admin console from the inbox, creates a queue, and gets a clear error for bad input. */
describe('admin console in the browser', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  let hub: HubProcess;
  let browser: Browser;
  let page: Page;
  let campaignId: string;
  const password = 'Clave-Segura-2026';
  const db = () => hub.ctx.db.kysely;

  beforeAll(async () => {
    ensureInboxBuilt();
    hub = await startHubProcess(config);
    campaignId = (await createCampaign(db(), { name: 'Derechohabientes', prefix: 'ADM' })).id;
    const skill = await createSkill(db(), campaignId, 'afiliacion_vigencia');
    await createQueue(db(), campaignId, { name: 'Orientación general', isDefault: true, skills: { [skill]: 1 } });
    await createUser(db(), { roles: ['supervisor'], campaignIds: [campaignId], email: 'sofia@example.mx', password, name: 'Sofía Supervisora' });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1360, height: 850 }, locale: 'es-MX', reducedMotion: 'reduce' });
    page = await context.newPage();
    await page.goto(hub.url!);
    await page.getByLabel('Correo electrónico').fill('sofia@example.mx');
    await page.getByLabel('Contraseña').fill(password);
    await page.getByRole('button', { name: 'Entrar' }).click();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('opens from the top bar for a supervisor and lists the campaign’s queues', async () => {
    await page.getByRole('button', { name: 'Administración' }).click();
    const admin = page.getByRole('dialog');
    await admin.getByRole('button', { name: 'Filas' }).first().click();
    await admin.getByText('Orientación general').first().waitFor();
    await screenshot(page, 'admin-queues');
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  });

  it('creates a queue through the form; the hub stores it', async () => {
    const admin = page.getByRole('dialog');
    await admin.getByRole('button', { name: /Nueva fila/ }).click({ timeout: 5000 });
    await screenshot(page, 'admin-queue-new');
    await admin.getByLabel('Nombre', { exact: true }).first().fill('Pensiones E2E', { timeout: 5000 });
    await admin.getByLabel('Prioridad', { exact: true }).first().fill('30');
    await admin.getByRole('button', { name: 'Crear', exact: true }).click({ timeout: 5000 });
    await expect.poll(async () => (await db().selectFrom('queues').select('priority').where('name', '=', 'Pensiones E2E').executeTakeFirst())?.priority ?? null, { timeout: 10_000 }).toBe(30);
    await screenshot(page, 'admin-queue-saved');
  });

  it('marks a field out of range before sending and stores nothing', async () => {
    const admin = page.getByRole('dialog');
    await admin.getByRole('button', { name: /Nueva fila/ }).click({ timeout: 5000 });
    await admin.getByLabel('Nombre', { exact: true }).first().fill('Fila inválida');
    await admin.getByLabel('Prioridad', { exact: true }).first().fill('150');
    await admin.getByRole('button', { name: 'Crear', exact: true }).click({ timeout: 5000 });
    await admin.getByText('Debe estar entre 1 y 99.').waitFor({ timeout: 5000 });
    await admin.getByText('No se pudo guardar').waitFor();
    await screenshot(page, 'admin-queue-error');
    expect(await db().selectFrom('queues').select('id').where('name', '=', 'Fila inválida').executeTakeFirst()).toBeUndefined();
    await screenshot(page, 'admin-queue-error');
  });

  it('shows the hub’s own message when the server refuses (a queue name already taken)', async () => {
    const admin = page.getByRole('dialog');
    await admin.getByRole('button', { name: /Nueva fila/ }).click({ timeout: 5000 });
    await admin.getByLabel('Nombre', { exact: true }).first().fill('Orientación general', { timeout: 5000 });
    await admin.getByLabel('Prioridad', { exact: true }).first().fill('40');
    await admin.getByRole('button', { name: 'Crear', exact: true }).click({ timeout: 5000 });
    // The hub's 409 text, in Spanish (the English half is dropped).
    await admin.getByText(/Ya existe una fila «Orientación general» en la campaña/).first().waitFor({ timeout: 5000 });
    expect(await admin.getByText(/already exists/).count()).toBe(0);
    await screenshot(page, 'admin-queue-conflict');
    const queues = await db().selectFrom('queues').select('id').where('campaign_id', '=', campaignId).where('name', '=', 'Orientación general').execute();
    expect(queues).toHaveLength(1);
  });

  it('lets an admin set up a web chat channel: a bad origin is marked on its field, then the embed code is shown', async () => {
    await createUser(db(), { roles: ['admin'], email: 'ana.admin@example.mx', password, name: 'Ana Administradora' });
    const adminPage = await browser.newPage({ viewport: { width: 1360, height: 850 }, locale: 'es-MX', reducedMotion: 'reduce' });
    try {
      await adminPage.goto(hub.url!);
      await adminPage.getByLabel('Correo electrónico').fill('ana.admin@example.mx');
      await adminPage.getByLabel('Contraseña').fill(password);
      await adminPage.getByRole('button', { name: 'Entrar' }).click();
      await adminPage.getByRole('button', { name: 'Administración' }).click();
      const admin = adminPage.getByRole('dialog');
      await admin.getByRole('button', { name: 'Canales' }).first().click();
      await admin.getByRole('button', { name: /Nuevo canal/ }).click({ timeout: 5000 });
      await admin.getByLabel('Tipo', { exact: true }).selectOption({ label: 'Chat web' });
      await admin.getByLabel('Nombre', { exact: true }).fill('Chat del portal');
      const origins = admin.getByLabel('Orígenes permitidos (uno por línea)');
      await origins.fill('https://www.gob.mx/tramites');
      await admin.getByRole('button', { name: 'Crear', exact: true }).click();
      await admin.getByText(/«https:\/\/www\.gob\.mx\/tramites»: Use un origen como https:\/\/www\.gob\.mx/).waitFor({ timeout: 5000 });
      expect(await origins.getAttribute('aria-invalid')).toBe('true');
      expect(await db().selectFrom('channels').select('id').where('name', '=', 'Chat del portal').executeTakeFirst()).toBeUndefined();

      const hubOrigin = new URL(hub.url!).origin;
      await origins.fill(`https://www.gob.mx\n${hubOrigin}`);
      await admin.getByRole('button', { name: 'Crear', exact: true }).click();
      await expect.poll(async () => (await db().selectFrom('channels').select('id').where('name', '=', 'Chat del portal').executeTakeFirst()) ?? null, { timeout: 10_000 }).not.toBeNull();
      const channel = await db().selectFrom('channels').select(['id', 'kind', 'settings']).where('name', '=', 'Chat del portal').executeTakeFirstOrThrow();
      expect(channel.kind).toBe('webchat');
      expect(channel.settings['allowedOrigins']).toEqual(['https://www.gob.mx', hubOrigin]);
      await admin.getByText(`<script src="${hubOrigin}/widget.js" data-channel="${channel.id}" async></script>`).waitFor({ timeout: 5000 });
      expect(await admin.getByRole('link', { name: 'Probar el widget' }).getAttribute('href')).toBe(`/widget-demo.html?channel=${channel.id}`);
      await screenshot(adminPage, 'admin-webchat-channel');
      const violations = await seriousViolations(adminPage);
      expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    } finally {
      await adminPage.close();
    }
  });
});
