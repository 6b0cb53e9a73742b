import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { createCampaign, createUser } from '../../support/factories.js';
import { dropNamespaces, testConfig } from '../../support/test-context.js';
import { ensureInboxBuilt, launchChromium, openStaffPage, seriousViolations } from '../../e2e/e2e-support.js';

/**
 * The admin console's «Menú telefónico (IVR)» section in Chromium (issue 8 item 2): an admin types
 * a tree, reads the hub's Spanish problems, fixes it, saves the draft and promotes it — with no
 * serious axe violations.
 */
describe('IVR section of the admin console', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  let hub: HubProcess;
  let browser: Browser;
  let page: Page;
  let campaignId: string;
  const password = 'Clave-Segura-2026';

  beforeAll(async () => {
    ensureInboxBuilt();
    hub = await startHubProcess(config);
    campaignId = (await createCampaign(hub.ctx.db.kysely, { name: 'Derechohabientes', prefix: 'IVR' })).id;
    await createUser(hub.ctx.db.kysely, { roles: ['admin'], email: 'ana.ivr@example.mx', password, name: 'Ana Administradora' });
    browser = await launchChromium();
    page = await openStaffPage(browser, hub.url!, { email: 'ana.ivr@example.mx', password });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('shows the problems of a broken tree, saves a valid draft and promotes it', async () => {
    await page.getByRole('button', { name: 'Administración' }).click();
    const admin = page.getByRole('dialog');
    await admin.getByRole('button', { name: 'Menú telefónico (IVR)' }).click();
    await admin.getByText('Esta campaña aún no tiene IVR').waitFor({ timeout: 10_000 });

    const editor = admin.getByLabel('Árbol del IVR (JSON)');
    const broken = { name: 'Línea', start: 'inicio', nodes: { inicio: { type: 'menu', prompt: { text: 'Marque 1.' }, options: [{ digit: '12', next: 'fila' }] }, fila: { type: 'queue' } } };
    await editor.fill(JSON.stringify(broken, null, 2));
    await admin.getByRole('button', { name: 'Guardar borrador' }).click();
    const alert = admin.getByRole('alert').filter({ hasText: 'problema' });
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toContain('La tecla debe ser un solo carácter');
    expect(await editor.getAttribute('aria-invalid')).toBe('true');

    const fixed = { ...broken, nodes: { ...broken.nodes, inicio: { ...broken.nodes.inicio, options: [{ digit: '1', next: 'fila' }] } } };
    await editor.fill(JSON.stringify(fixed, null, 2));
    await admin.getByRole('button', { name: 'Guardar borrador' }).click();
    await admin.getByRole('cell', { name: 'Borrador' }).waitFor({ timeout: 10_000 });
    await admin.getByRole('button', { name: 'Publicar borrador' }).click();
    await admin.getByRole('cell', { name: 'En producción' }).waitFor({ timeout: 10_000 });

    const stored = await hub.ctx.db.kysely.selectFrom('ivr_models').select(['status', 'version']).where('campaign_id', '=', campaignId).execute();
    expect(stored).toEqual([{ status: 'production', version: 1 }]);
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  }, 90_000);
});
