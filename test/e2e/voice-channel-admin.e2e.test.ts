import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { createCampaign, createUser } from '../support/factories.js';
import { createQueue } from '../support/router-factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { ensureInboxBuilt, launchChromium, screenshot, seriousViolations } from './e2e-support.js';

/**
 * Issue 8: an admin sets up a Twilio Voice channel in the console. A caller id that is not E.164 is
 * refused in the browser with the Spanish message (nothing stored); once created, the auth token
 * shows as stored (never read back) and the two URLs for Twilio's console appear; the queue can be
 * chosen from the campaign's and set back to the default. No serious axe violations.
 */
describe('voice channel in the admin console', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  let hub: HubProcess;
  let browser: Browser;
  let page: Page;
  let campaignId: string;
  let queueId: string;
  const password = 'Clave-Segura-2026';
  const accountSid = `AC${'0123456789abcdef'.repeat(2)}`;
  const db = () => hub.ctx.db.kysely;
  const stored = () => db().selectFrom('channels').select(['id', 'kind', 'settings', 'secrets']).where('campaign_id', '=', campaignId).where('name', '=', 'Línea 800').executeTakeFirst();

  beforeAll(async () => {
    ensureInboxBuilt();
    hub = await startHubProcess(config);
    campaignId = (await createCampaign(db(), { name: 'Pensiones', prefix: 'VOZ' })).id;
    await createQueue(db(), campaignId, { name: 'Orientación general', isDefault: true });
    queueId = await createQueue(db(), campaignId, { name: 'Pensiones por teléfono' });
    await createUser(db(), { roles: ['admin'], email: 'ana.voz@example.mx', password, name: 'Ana Administradora' });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'es-MX', reducedMotion: 'reduce' });
    page = await context.newPage();
    await page.goto(hub.url!);
    await page.getByLabel('Correo electrónico').fill('ana.voz@example.mx');
    await page.getByLabel('Contraseña').fill(password);
    await page.getByRole('button', { name: 'Entrar' }).click();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('refuses a bad caller id in Spanish, then creates the channel: secrets saved, the Twilio URLs shown', async () => {
    await page.getByRole('button', { name: 'Administración' }).click();
    const admin = page.getByRole('dialog');
    const campaign = admin.getByLabel('Campaña', { exact: true });
    if (await campaign.count()) await campaign.selectOption({ label: 'Pensiones' });
    await admin.getByRole('button', { name: 'Canales' }).first().click();
    await admin.getByRole('button', { name: /Nuevo canal/ }).click({ timeout: 5000 });
    await admin.getByLabel('Tipo', { exact: true }).selectOption({ label: 'Teléfono (Twilio Voice)' });
    await admin.getByLabel('Nombre', { exact: true }).fill('Línea 800');
    await admin.getByLabel('Account SID', { exact: true }).fill(accountSid);
    await admin.getByLabel('Auth token', { exact: true }).fill('twilio-auth-token-e2e');
    const callerId = admin.getByLabel('Número que se muestra al llamar', { exact: true });
    await callerId.fill('55 1234 5678');
    // The queue select lists the campaign's queues.
    const queue = admin.getByLabel('Fila de las llamadas', { exact: true });
    await expect.poll(() => queue.evaluate((el) => el.tagName), { timeout: 5000 }).toBe('SELECT');
    await queue.selectOption({ label: 'Pensiones por teléfono' });
    await admin.getByRole('button', { name: 'Crear', exact: true }).click();

    await admin.getByText('Número en formato internacional E.164, por ejemplo +525512345678.').first().waitFor({ timeout: 5000 });
    expect(await callerId.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await callerId.getAttribute('aria-describedby'))?.split(' ').find((id) => id.endsWith('-error'));
    expect(await admin.locator(`[id="${errorId}"]`).textContent()).toContain('E.164');
    expect(await stored()).toBeUndefined();
    await screenshot(page, 'voice-channel-invalid');

    await callerId.fill('+52 55 1234 5678');
    await admin.getByRole('button', { name: 'Crear', exact: true }).click();
    await expect.poll(async () => (await stored()) ?? null, { timeout: 10_000 }).not.toBeNull();
    const channel = (await stored())!;
    expect(channel.kind).toBe('voice');
    expect(channel.settings).toMatchObject({ accountSid, callerId: '+525512345678', queueId, recording: true, agentEndpoint: 'client', agentRingSeconds: 20, survey: true });
    expect(channel.secrets).toEqual({ authToken: 'twilio-auth-token-e2e' });

    // Write-only: the field is empty again and says a value is stored.
    const token = admin.getByLabel('Auth token', { exact: true });
    await expect.poll(() => token.getAttribute('placeholder'), { timeout: 5000 }).toBe('guardado — escriba para cambiarlo');
    expect(await token.inputValue()).toBe('');
    expect(await page.content()).not.toContain('twilio-auth-token-e2e');

    const origin = new URL(hub.url!).origin;
    await admin.getByText(`${origin}/webhooks/voice/${channel.id}/incoming`, { exact: true }).waitFor({ timeout: 5000 });
    await admin.getByText(`${origin}/webhooks/voice/${channel.id}/status`, { exact: true }).waitFor();
    await admin.getByText(/pegue la primera en «A call comes in»/).waitFor();
    // The softphone is the default way to answer, and it is not set up yet: said, not blocking.
    await admin.getByText(/el teléfono web no funciona/).waitFor();
    await screenshot(page, 'voice-channel-created');
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  }, 90_000);

  it('edits the channel: back to the campaign’s default queue, a public URL for Twilio, the stored token kept', async () => {
    const admin = page.getByRole('dialog');
    await admin.getByLabel('Fila de las llamadas', { exact: true }).selectOption({ label: 'La fila predeterminada de la campaña' });
    await admin.getByLabel('URL pública del hub', { exact: true }).fill('https://ventanilla.example.gob.mx');
    await admin.getByLabel('Segundos que suena el agente', { exact: true }).fill('61');
    await admin.getByRole('button', { name: 'Guardar', exact: true }).click();
    await admin.getByText('Debe estar entre 5 y 60.').first().waitFor({ timeout: 5000 });
    expect((await stored())?.settings['agentRingSeconds']).toBe(20);

    // A secret longer than the hub stores is refused before sending, in Spanish.
    await admin.getByLabel('Segundos que suena el agente', { exact: true }).fill('25');
    const keySecret = admin.getByLabel('API Key Secret', { exact: true });
    await keySecret.fill('x'.repeat(600));
    await admin.getByRole('button', { name: 'Guardar', exact: true }).click();
    await admin.getByText('Máximo 500 caracteres.').first().waitFor({ timeout: 5000 });
    expect(await keySecret.getAttribute('aria-invalid')).toBe('true');
    expect((await stored())?.settings['agentRingSeconds']).toBe(20);
    await keySecret.fill('');
    await admin.getByRole('button', { name: 'Guardar', exact: true }).click();
    await expect.poll(async () => (await stored())?.settings['agentRingSeconds'], { timeout: 10_000 }).toBe(25);
    const channel = (await stored())!;
    expect(channel.settings).not.toHaveProperty('queueId');
    expect(channel.settings['webhookBaseUrl']).toBe('https://ventanilla.example.gob.mx');
    expect(channel.secrets).toEqual({ authToken: 'twilio-auth-token-e2e' });
    // Twilio signs the URL it is given: the URLs now carry the public origin.
    await admin.getByText(`https://ventanilla.example.gob.mx/webhooks/voice/${channel.id}/incoming`, { exact: true }).waitFor({ timeout: 5000 });
    expect(await admin.getByLabel('Fila de las llamadas', { exact: true }).inputValue()).toBe('');
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  }, 60_000);

  it('a channel whose stored queue is not the campaign’s: the select says so and the hub’s refusal is shown next to it', async () => {
    const other = (await createCampaign(db(), { name: 'Otra dependencia', prefix: 'OTR' })).id;
    const foreignQueue = await createQueue(db(), other, { name: 'Fila ajena' });
    const row = await db()
      .insertInto('channels')
      .values({ campaign_id: campaignId, kind: 'voice', name: 'Línea vieja', settings: JSON.stringify({ accountSid, callerId: '+525598765432', queueId: foreignQueue }), secrets: JSON.stringify({ authToken: 'viejo' }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const admin = page.getByRole('dialog');
    // Leave the section and come back: the list is loaded again.
    await admin.getByRole('button', { name: 'Filas' }).first().click();
    await admin.getByRole('button', { name: 'Canales' }).first().click();
    await admin.getByRole('button', { name: /Línea vieja/ }).click({ timeout: 5000 });
    const queue = admin.getByLabel('Fila de las llamadas', { exact: true });
    await expect.poll(() => queue.inputValue(), { timeout: 5000 }).toBe(foreignQueue);
    expect(await queue.locator('option:checked').textContent()).toBe(`Fila ${foreignQueue} (no está en esta campaña)`);
    await admin.getByLabel('Nombre', { exact: true }).fill('Línea vieja (revisada)');
    await admin.getByRole('button', { name: 'Guardar', exact: true }).click();
    await expect.poll(() => queue.getAttribute('aria-invalid'), { timeout: 5000 }).toBe('true');
    const errorId = (await queue.getAttribute('aria-describedby'))?.split(' ').find((id) => id.endsWith('-error'));
    expect(await admin.locator(`[id="${errorId}"]`).textContent()).toContain('la fila no existe en la campaña del canal');
    expect((await db().selectFrom('channels').select('name').where('id', '=', row.id).executeTakeFirstOrThrow()).name).toBe('Línea vieja');
    await screenshot(page, 'voice-channel-hub-refusal');
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  }, 60_000);
});
