import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../../support/factories.js';
import { ensureInboxBuilt, launchChromium, openStaffPage, screenshot, seriousViolations } from '../../e2e/e2e-support.js';
import { phone, startBlasterHub, waitFor, type BlasterHub } from './blaster-hub.js';

/**
 * The admin console's voice blaster section in Chromium (issue 8 item 7): a supervisor creates a
 * voice campaign with a list file (a bad line is reported by its number), schedules it, watches the
 * recipient confirm through the Twilio Voice cloud, and sees no serious axe violations.
 */
describe('voice blaster in the admin console', () => {
  let h: BlasterHub;
  let browser: Browser;
  let page: Page;
  const password = 'Clave-Segura-2026';

  beforeAll(async () => {
    ensureInboxBuilt();
    h = await startBlasterHub();
    await createUser(h.db, { roles: ['supervisor'], campaignIds: [h.campaignId], email: 'vb.sup@example.mx', password, name: 'Sara Supervisora' });
    browser = await launchChromium();
    page = await openStaffPage(browser, h.url, { email: 'vb.sup@example.mx', password });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await h?.cleanup();
  });

  it('creates, schedules and follows a voice campaign; per-recipient status in Spanish', async () => {
    const number = phone();
    h.cloud.behave(number, { answer: true, digits: ['2'] });
    await page.getByRole('button', { name: 'Administración' }).click();
    const admin = page.getByRole('dialog');
    await admin.getByRole('button', { name: 'Mensajes de voz masivos' }).click();
    await admin.getByText('Aún no hay campañas de mensajes de voz en esta campaña.').waitFor({ timeout: 10_000 });
    await admin.getByRole('button', { name: '+ Nueva campaña de voz' }).click();

    await admin.getByLabel('Nombre', { exact: true }).fill('Confirmación de citas');
    await admin.getByLabel('Mensaje (texto a voz, es-MX)').fill('Hola {nombre}, su cita es el {fecha}.');
    await admin.getByLabel('Cualquier hora').check();
    await admin.getByLabel('Llamadas por minuto').fill('60');
    await admin.getByLabel('Lista (CSV o TXT: teléfono[,nombre][,datos…])').setInputFiles({ name: 'lista.csv', mimeType: 'text/csv', buffer: Buffer.from(`telefono,nombre,fecha\n${number},Ana,3 de enero\nxyz,Nadie,4 de enero\n`) });
    await admin.getByRole('button', { name: 'Crear borrador' }).click();
    await admin.getByRole('status').filter({ hasText: 'Líneas con problemas' }).getByText('línea 3: «xyz» no es un número telefónico válido').waitFor({ timeout: 10_000 });
    await admin.getByText('Campaña de voz «Confirmación de citas»').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await admin.getByRole('button', { name: 'Programar' }).click();
    // The section re-reads a live campaign every 3 s: the recipient's answer shows up.
    await admin.getByRole('cell', { name: 'Confirmó' }).waitFor({ timeout: 20_000 });
    await admin.getByRole('cell', { name: 'Número inválido' }).waitFor();
    await screenshot(page, 'voice-blaster-console');
    const blast = await h.db.selectFrom('voice_blasts').select(['id', 'window_start_minute', 'calls_per_minute']).where('campaign_id', '=', h.campaignId).executeTakeFirstOrThrow();
    expect(blast).toMatchObject({ window_start_minute: null, calls_per_minute: 60 });
    await waitFor('completed', async () => (await h.view(blast.id)).status === 'completed');
    expect(h.cloud.callsTo(number)[0]?.heard[0]).toBe('Hola Ana, su cita es el 3 de enero.');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
