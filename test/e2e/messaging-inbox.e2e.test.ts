import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { startWhatsAppHarness, type WhatsAppHarness } from '../harness/whatsapp/index.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createQueue, createSkill, setAgentSkills, setCampaignRouting } from '../support/router-factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { ensureInboxBuilt, launchChromium, seriousViolations } from './e2e-support.js';

const APP_SECRET = 'meta-app-secret-e2e-inbox-0123456789';
const CITIZEN = '5215512349876';
/** 24 hours from the citizen's message, counted down in whole minutes (rounded down). */
const WINDOW_JUST_OPENED = /^La ventana cierra en (24 h|23 h 5\d min)\.$/;

/**
 * Issue 6 in the agent's browser: a WhatsApp conversation through the provider harness shows the
 * 24-hour window counting down, reply buttons go out and the citizen's tap comes back as
 * "Eligió: …"; once the window has closed free text is disabled and an approved template with
 * its values is the way out; the citizen's next message reopens the window.
 */
describe('WhatsApp conversation in the agent inbox', () => {
  let dataDir: string;
  let config: ReturnType<typeof testConfig>;
  let hub: HubProcess;
  let meta: WhatsAppHarness;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let channelId: string;
  let conversationId: string;
  let agent: { id: string; email: string; password: string };
  let admin: { id: string; email: string; password: string };
  let campaignId: string;
  const db = () => hub.ctx.db.kysely;

  async function citizenSends(message: Parameters<WhatsAppHarness['postMessage']>[3]): Promise<string> {
    const sent = await meta.postMessage(hub.url!, channelId, APP_SECRET, message);
    expect(sent.status).toBe(200);
    return sent.wamid;
  }

  async function expectNoSeriousViolations(): Promise<void> {
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  }

  beforeAll(async () => {
    ensureInboxBuilt();
    dataDir = await mkdtemp(join(tmpdir(), 'ventanilla-wa-inbox-'));
    config = testConfig({ HUB_ROLE: 'all', PORT: '0', DATA_DIR: dataDir, ROUTER_SWEEP_INTERVAL_MS: '200', OUTBOUND_BACKOFF_MS: '20' });
    meta = await startWhatsAppHarness();
    hub = await startHubProcess(config);
    const campaign = await createCampaign(db(), { name: 'Pasaportes', prefix: 'WAI' });
    await setCampaignRouting(db(), campaign.id, { offerTimeoutSeconds: 90, afterContactWorkMaxSeconds: 30 });
    const skill = await createSkill(db(), campaign.id, 'pasaportes');
    await createQueue(db(), campaign.id, { name: 'Pasaportes', isDefault: true, skills: { [skill]: 1 } });
    campaignId = campaign.id;
    const adminUser = await createUser(db(), { roles: ['admin'], email: 'admin.wai@e2e.mx', name: 'Ana Administradora' });
    admin = { id: adminUser.id, email: adminUser.email, password: adminUser.password };
    const adminToken = await tokenFor(db(), adminUser.id);
    const created = await fetch(`${hub.url}/api/v1/campaigns/${campaign.id}/channels`, {
      method: 'POST',
      headers: { ...bearer(adminToken), 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'whatsapp',
        name: 'WhatsApp Pasaportes',
        settings: {
          phoneNumberId: meta.phoneNumberId,
          graphBaseUrl: meta.baseUrl,
          templates: [{ name: 'seguimiento_tramite', language: 'es_MX', category: 'utility', body: 'Hola {{1}}, su trámite {{2}} sigue en proceso.', variables: 2 }],
        },
        secrets: { accessToken: meta.accessToken, appSecret: APP_SECRET, verifyToken: 'verifica-e2e' },
      }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    channelId = ((await created.json()) as { id: string }).id;
    const user = await createUser(db(), { roles: ['agent'], campaignIds: [campaign.id], email: 'laura.wai@e2e.mx', name: 'Laura Méndez' });
    await setAgentSkills(db(), user.id, { [skill]: 3 });
    agent = { id: user.id, email: user.email, password: user.password };
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1360, height: 850 }, locale: 'es-MX', reducedMotion: 'reduce' });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await meta?.stop();
    if (config) await dropNamespaces(config);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('shows the open window counting down, with "Plantilla" and "Opciones" next to the reply box', async () => {
    await page.goto(hub.url!);
    await page.getByLabel('Correo electrónico').fill(agent.email);
    await page.getByLabel('Contraseña').fill(agent.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    const state = page.getByRole('combobox', { name: 'Mi estado' });
    await state.selectOption('available');
    await expect.poll(() => state.inputValue(), { timeout: 10_000 }).toBe('available');

    await citizenSends({ from: CITIZEN, name: 'Ana López', type: 'text', text: 'Hola, ¿ya está mi pasaporte?' });
    const offers = page.getByRole('region', { name: 'Oferta entrante' });
    await offers.getByRole('button', { name: 'Aceptar' }).click({ timeout: 15_000 });
    await page.getByRole('log').getByText('Hola, ¿ya está mi pasaporte?').waitFor();
    conversationId = (await db().selectFrom('conversations').select('id').where('channel_id', '=', channelId).executeTakeFirstOrThrow()).id;

    await page.getByText(WINDOW_JUST_OPENED).waitFor({ timeout: 10_000 });
    expect(await page.getByRole('textbox', { name: 'Respuesta al ciudadano' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Plantilla' }).waitFor();
    await page.getByRole('button', { name: 'Opciones' }).waitFor();
    await expectNoSeriousViolations();
  }, 60_000);

  it('sends reply buttons with the drafted text; the citizen’s tap and reaction show in the timeline', async () => {
    await page.getByRole('textbox', { name: 'Respuesta al ciudadano' }).fill('¿Desea agendar su cita de entrega?');
    await page.getByRole('button', { name: 'Opciones' }).click();
    const dialog = page.getByRole('dialog', { name: 'Enviar opciones de respuesta' });
    expect(await dialog.getByRole('textbox', { name: 'Texto del mensaje' }).inputValue()).toBe('¿Desea agendar su cita de entrega?');
    // Two equal buttons: the dialog says so before any request.
    await dialog.getByRole('textbox', { name: 'Botón 1' }).fill('Sí, agendar');
    await dialog.getByRole('textbox', { name: 'Botón 2' }).fill('Sí, agendar');
    await dialog.getByRole('button', { name: 'Enviar opciones' }).click();
    await dialog.getByText('Cada opción debe ser distinta.').waitFor();
    await dialog.getByRole('textbox', { name: 'Botón 2' }).fill('Más tarde');
    await expectNoSeriousViolations();
    await dialog.getByRole('button', { name: 'Enviar opciones' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByRole('textbox', { name: 'Respuesta al ciudadano' }).inputValue()).toBe('');

    await expect.poll(() => meta.calls.filter((c) => c.body['type'] === 'interactive').length, { timeout: 10_000 }).toBe(1);
    const call = meta.calls.find((c) => c.body['type'] === 'interactive')!;
    expect(JSON.stringify(call.body)).toContain('Más tarde');
    await page.locator('.msg-out', { hasText: '¿Desea agendar su cita de entrega?' }).waitFor();

    await citizenSends({ from: CITIZEN, type: 'button_reply', replyId: 'opcion-1', title: 'Sí, agendar', contextId: call.wamid! });
    await page.getByRole('log').getByText('Eligió: Sí, agendar').waitFor({ timeout: 10_000 });
    await citizenSends({ from: CITIZEN, type: 'reaction', messageId: call.wamid!, emoji: '👍' });
    await page.getByRole('log').getByText('Reaccionó 👍 a un mensaje').waitFor({ timeout: 10_000 });
  }, 60_000);

  it('after 24 hours only a template may go: free text is disabled, the template goes out with its values', async () => {
    await db()
      .updateTable('conversations')
      .set({ last_inbound_at: sql<Date>`now() - interval '25 hours'` })
      .where('id', '=', conversationId)
      .execute();
    await page.reload();
    const { folio } = await db().selectFrom('conversations').select('folio').where('id', '=', conversationId).executeTakeFirstOrThrow();
    await page.getByRole('navigation', { name: 'Mis sesiones' }).getByText(folio).click({ timeout: 15_000 });
    await page.getByRole('log').getByText('Hola, ¿ya está mi pasaporte?').waitFor({ timeout: 15_000 });
    const notice = page.getByRole('status').filter({ hasText: 'La ventana de 24 horas se cerró el' });
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.textContent()).toContain('Solo puede enviar una plantilla aprobada.');
    expect(await page.getByRole('textbox', { name: 'Respuesta al ciudadano' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Opciones' }).count()).toBe(0);

    // The hub refuses free text too (the browser is not the only client).
    const token = await tokenFor(db(), agent.id);
    const refused = await fetch(`${hub.url}/api/v1/conversations/${conversationId}/messages`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Hola' }) });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('HUB_ERR_WINDOW_CLOSED');

    await page.getByRole('button', { name: 'Plantilla' }).click();
    const dialog = page.getByRole('dialog', { name: 'Enviar una plantilla aprobada' });
    expect(await dialog.getByRole('radio', { name: /seguimiento_tramite/ }).isChecked()).toBe(true);
    expect(await dialog.locator('.template-body').textContent()).toBe('Hola {{1}}, su trámite {{2}} sigue en proceso.');
    await dialog.getByRole('button', { name: 'Enviar plantilla' }).click();
    await dialog.getByText('Complete todos los valores antes de enviar.').waitFor();
    await dialog.getByRole('textbox', { name: 'Valor 1' }).fill('Ana');
    await dialog.getByRole('textbox', { name: 'Valor 2' }).fill('PAS-2026-0042');
    expect(await dialog.locator('.template-preview').textContent()).toBe('Hola Ana, su trámite PAS-2026-0042 sigue en proceso.');
    await expectNoSeriousViolations();
    await dialog.getByRole('button', { name: 'Enviar plantilla' }).click();
    await dialog.waitFor({ state: 'detached' });

    await expect.poll(() => meta.calls.filter((c) => c.body['type'] === 'template').length, { timeout: 10_000 }).toBe(1);
    const call = meta.calls.find((c) => c.body['type'] === 'template')!;
    expect(JSON.stringify(call.body)).toContain('PAS-2026-0042');
    await page.locator('.msg-out', { hasText: 'Hola Ana, su trámite PAS-2026-0042 sigue en proceso.' }).waitFor({ timeout: 10_000 });
  }, 60_000);

  it('the citizen’s next message reopens the window and free text with it', async () => {
    await citizenSends({ from: CITIZEN, type: 'text', text: 'Gracias, ahí estaré.' });
    await page.getByRole('log').getByText('Gracias, ahí estaré.').waitFor({ timeout: 10_000 });
    await page.getByText(WINDOW_JUST_OPENED).waitFor({ timeout: 10_000 });
    expect(await page.getByRole('textbox', { name: 'Respuesta al ciudadano' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Opciones' }).waitFor();
  }, 60_000);

  it('an admin sets up a WhatsApp channel in the console: ids checked, secrets write-only, templates with derived values, the webhook URL', async () => {
    const adminPage = await context.newPage();
    try {
      await adminPage.goto(hub.url!);
      await adminPage.getByLabel('Correo electrónico').fill(admin.email);
      await adminPage.getByLabel('Contraseña').fill(admin.password);
      await adminPage.getByRole('button', { name: 'Entrar' }).click();
      await adminPage.getByRole('button', { name: 'Administración' }).click();
      const adminConsole = adminPage.getByRole('dialog');
      await adminConsole.getByRole('button', { name: 'Canales' }).first().click();
      await adminConsole.getByRole('button', { name: /Nuevo canal/ }).click({ timeout: 5000 });
      await adminConsole.getByLabel('Tipo', { exact: true }).selectOption({ label: 'WhatsApp Business (Cloud API)' });
      await adminConsole.getByLabel('Nombre', { exact: true }).fill('WhatsApp Citas');
      const phoneId = adminConsole.getByLabel('Identificador del número de teléfono');
      await phoneId.fill('+52 55 1234 5678');
      await adminConsole.getByRole('button', { name: 'Agregar plantilla' }).click();
      await adminConsole.getByLabel('Nombre de la plantilla').fill('aviso_cita');
      await adminConsole.getByLabel('Texto aprobado').fill('Hola {{1}}, su cita es el {{2}}.');
      await adminConsole.getByText('Valores que pide: 2 (uno por cada {{n}} del texto).').waitFor();
      await adminConsole.getByRole('button', { name: 'Crear', exact: true }).click();
      await adminConsole.getByText('Solo dígitos: el identificador numérico que muestra Meta.').first().waitFor({ timeout: 5000 });
      expect(await phoneId.getAttribute('aria-invalid')).toBe('true');
      expect(await adminConsole.getByLabel('Token de acceso').getAttribute('aria-invalid')).toBe('true');
      expect(await db().selectFrom('channels').select('id').where('name', '=', 'WhatsApp Citas').executeTakeFirst()).toBeUndefined();

      await phoneId.fill('106540352242922');
      await adminConsole.getByLabel('Token de acceso').fill('EAAG-token-de-prueba');
      await adminConsole.getByLabel('App secret (clave secreta de la app)').fill('secreto-de-la-app');
      await adminConsole.getByLabel('Token de verificación').fill('frase-para-meta');
      await adminConsole.getByRole('button', { name: 'Crear', exact: true }).click();
      await expect.poll(async () => (await db().selectFrom('channels').select('id').where('name', '=', 'WhatsApp Citas').executeTakeFirst()) ?? null, { timeout: 10_000 }).not.toBeNull();
      const channel = await db().selectFrom('channels').select(['id', 'kind', 'settings']).where('name', '=', 'WhatsApp Citas').executeTakeFirstOrThrow();
      expect(channel.kind).toBe('whatsapp');
      expect(channel.settings).toMatchObject({ phoneNumberId: '106540352242922', templates: [{ name: 'aviso_cita', language: 'es_MX', category: 'utility', body: 'Hola {{1}}, su cita es el {{2}}.', variables: 2 }] });
      const listed = await fetch(`${hub.url}/api/v1/campaigns/${campaignId}/channels`, { headers: bearer(await tokenFor(db(), admin.id)) });
      const items = ((await listed.json()) as { items: { id: string; secretsSet: string[] }[] }).items;
      expect(items.find((c) => c.id === channel.id)?.secretsSet.sort()).toEqual(['accessToken', 'appSecret', 'verifyToken']);

      // Saved: the secrets are not shown back, and the URL to give Meta carries the channel id.
      expect(await adminConsole.getByLabel('Token de acceso').inputValue()).toBe('');
      await adminConsole.getByText(`${new URL(hub.url!).origin}/webhooks/whatsapp/${channel.id}`).waitFor({ timeout: 5000 });
      const violations = await seriousViolations(adminPage);
      expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    } finally {
      await adminPage.close();
    }
  }, 60_000);
});
