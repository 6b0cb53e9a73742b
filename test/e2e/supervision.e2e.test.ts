import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createQueue, createSkill, setAgentSkills, setCampaignRouting } from '../support/router-factories.js';
import { createWebchatChannel, ensureInboxBuilt, ensureWidgetBuilt, launchChromium, screenshot, startEmbeddingSite } from './e2e-support.js';

const WHISPER = 'Susurro: ofrécele la cita del jueves 10:30';

/**
 * Issue 9 item 5 in three browsers against a real hub: the citizen's web chat widget, the agent's
 * inbox and the supervisor's inbox. The supervisor monitors, whispers (the agent sees it; the
 * citizen's widget never receives it, checked on its socket traffic and DOM after a later real
 * message arrived), barges (the citizen sees the supervisor's name) and takes over (the session
 * leaves the agent's tabs with the reason, the citizen's next message reaches the supervisor).
 */
describe('supervision in the browser', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', ROUTER_SWEEP_INTERVAL_MS: '200' });
  let hub: HubProcess;
  let site: { origin: string; close(): Promise<void> };
  let browser: Browser;
  let channelId = '';
  let citizen: { context: BrowserContext; page: Page };
  let agent: { context: BrowserContext; page: Page };
  let supervisor: { context: BrowserContext; page: Page };
  const ana = { email: 'ana.sup@e2e.mx', password: '' };
  const laura = { email: 'laura.sup@e2e.mx', password: '' };
  /** Everything the widget's page received from the hub's socket.io (websocket frames and polling bodies). */
  const widgetTraffic: string[] = [];
  const db = () => hub.ctx.db.kysely;

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1360, height: 850 }, locale: 'es-MX', reducedMotion: 'reduce' });
    return { context, page: await context.newPage() };
  }
  async function login(page: Page, who: { email: string; password: string }): Promise<void> {
    await page.goto(hub.url!);
    await page.getByLabel('Correo electrónico').fill(who.email);
    await page.getByLabel('Contraseña').fill(who.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
  }
  const widgetLog = () => citizen.page.getByRole('dialog', { name: 'Atención en línea' }).getByRole('log', { name: 'Mensajes de la conversación' });

  beforeAll(async () => {
    ensureInboxBuilt();
    ensureWidgetBuilt();
    hub = await startHubProcess(config);
    site = await startEmbeddingSite(hub.url!, () => ({ channelId, locale: 'es-MX' }));
    const campaign = await createCampaign(db(), { name: 'Orientación', prefix: 'SUPV' });
    await setCampaignRouting(db(), campaign.id, { offerTimeoutSeconds: 90, afterContactWorkMaxSeconds: 0 });
    const skill = await createSkill(db(), campaign.id, 'orientacion');
    await createQueue(db(), campaign.id, { name: 'General', isDefault: true, skills: { [skill]: 1 } });
    channelId = await createWebchatChannel(db(), campaign.id, site.origin, {
      title: 'Atención en línea',
      prechat: { fields: [{ name: 'name', required: true }, { name: 'email', required: true }], topics: [] },
      captcha: { kind: 'pow', difficulty: 10 },
    });
    const a = await createUser(db(), { roles: ['agent'], campaignIds: [campaign.id], email: ana.email, name: 'Ana Martínez' });
    await setAgentSkills(db(), a.id, { [skill]: 3 });
    ana.password = a.password;
    const s = await createUser(db(), { roles: ['supervisor'], campaignIds: [campaign.id], email: laura.email, name: 'Laura Supervisora' });
    laura.password = s.password;
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await hub?.stop();
    await dropNamespaces(config);
  }, 60_000);

  it('the citizen opens a chat and the agent takes it; the supervisor finds the live session and monitors it', async () => {
    citizen = await newPage();
    const page = citizen.page;
    page.on('websocket', (ws) => ws.on('framereceived', (f) => widgetTraffic.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8'))));
    page.on('response', (r) => {
      if (r.url().includes('/socket.io/') || r.url().includes('/widget/v1/')) void r.text().then((b) => widgetTraffic.push(b), () => undefined);
    });
    await page.goto(`${site.origin}/`);
    await page.getByRole('button', { name: 'Chat en línea' }).click();
    const dialog = page.getByRole('dialog', { name: 'Atención en línea' });
    await dialog.getByRole('textbox', { name: 'Nombre' }).fill('María Hernández');
    await dialog.getByRole('textbox', { name: 'Correo electrónico' }).fill('maria@correo.mx');
    await dialog.getByRole('button', { name: 'Iniciar chat' }).click();
    const composer = dialog.getByRole('textbox', { name: 'Su mensaje' });
    await composer.waitFor({ timeout: 20_000 });
    await composer.fill('Necesito una cita para mi trámite');
    await composer.press('Enter');

    agent = await newPage();
    await login(agent.page, ana);
    await agent.page.getByRole('combobox', { name: 'Mi estado' }).selectOption('available');
    await agent.page.getByRole('region', { name: 'Oferta entrante' }).getByRole('button', { name: 'Aceptar' }).click({ timeout: 20_000 });
    await agent.page.getByRole('log').getByText('Necesito una cita para mi trámite').waitFor();

    supervisor = await newPage();
    await login(supervisor.page, laura);
    const live = supervisor.page.getByRole('region', { name: 'Sesiones en curso' });
    await live.getByRole('button', { name: /Ana Martínez/ }).click({ timeout: 15_000 });
    const bar = supervisor.page.getByRole('region', { name: 'Supervisión' });
    await bar.getByText('Sesión de Ana Martínez').waitFor();
    await bar.getByRole('button', { name: 'Monitorear' }).click();
    await bar.getByText('Monitoreando a Ana Martínez').waitFor();
    // The agent sees a discreet indicator (campaign default); the citizen sees nothing.
    await agent.page.getByText('Supervisado', { exact: true }).waitFor({ timeout: 10_000 });
    await supervisor.page.getByRole('log').getByText('Necesito una cita para mi trámite').waitFor();
    await screenshot(supervisor.page, 'supervision/01-monitor');
  }, 120_000);

  it('whisper: the agent sees it in the timeline; the widget never receives it, even after a later real message arrived', async () => {
    const bar = supervisor.page.getByRole('region', { name: 'Supervisión' });
    await bar.getByRole('button', { name: 'Susurrar' }).click();
    const box = bar.getByRole('textbox', { name: /Susurro para Ana Martínez/ });
    await box.fill(WHISPER);
    await box.press('Enter');
    const whisper = agent.page.getByRole('article', { name: 'Susurro del supervisor · Laura Supervisora' });
    await whisper.getByText(WHISPER).waitFor({ timeout: 10_000 });
    await screenshot(agent.page, 'supervision/02-whisper-agent');

    // A real message after the whisper: once it is in the widget, anything sent before it has arrived too.
    const reply = agent.page.getByRole('textbox', { name: 'Respuesta al ciudadano' });
    await reply.fill('Con gusto, reviso la agenda');
    await reply.press('Enter');
    await widgetLog().locator('.vw-msg-agent').filter({ hasText: 'Con gusto, reviso la agenda' }).waitFor({ timeout: 10_000 });
    expect(widgetTraffic.some((t) => t.includes('Con gusto, reviso la agenda'))).toBe(true);
    expect(widgetTraffic.filter((t) => t.includes('ofrécele la cita') || t.includes('supervision'))).toEqual([]);
    expect(await citizen.page.content()).not.toContain('ofrécele la cita');
    expect(await widgetLog().textContent()).not.toContain('ofrécele la cita');
  }, 60_000);

  it('barge: the citizen sees the supervisor’s message under her name; the agent sees it labelled too', async () => {
    const bar = supervisor.page.getByRole('region', { name: 'Supervisión' });
    await bar.getByRole('button', { name: 'Intervenir' }).click();
    const box = bar.getByRole('textbox', { name: 'Mensaje al ciudadano con su nombre' });
    await box.fill('Buenas tardes, soy la supervisora; le confirmamos la cita');
    await box.press('Enter');
    const barge = widgetLog().locator('.vw-msg-agent').filter({ hasText: 'soy la supervisora' });
    await barge.waitFor({ timeout: 10_000 });
    expect(await barge.locator('.vw-who').textContent()).toBe('Laura Supervisora');
    const inAgent = agent.page.getByRole('log').locator('.msg-out').filter({ hasText: 'soy la supervisora' });
    await inAgent.waitFor();
    await expect.poll(() => inAgent.locator('.msg-author').textContent(), { timeout: 10_000 }).toBe('Laura Supervisora');
    await screenshot(citizen.page, 'supervision/03-barge-citizen');
  }, 60_000);

  it('takeover: the session leaves the agent’s tabs with the reason, becomes the supervisor’s, and the citizen’s next message reaches her', async () => {
    const conversation = await db().selectFrom('conversations').select(['id', 'folio']).where('channel_id', '=', channelId).executeTakeFirstOrThrow();
    const agentTabs = agent.page.getByRole('navigation', { name: 'Mis sesiones' });
    await agentTabs.getByText(conversation.folio).or(agentTabs.getByText('María Hernández')).first().waitFor();
    const bar = supervisor.page.getByRole('region', { name: 'Supervisión' });
    await bar.getByRole('button', { name: 'Tomar control' }).click();
    const dialog = supervisor.page.getByRole('dialog', { name: `Tomar control de ${conversation.folio}` });
    await dialog.getByRole('combobox', { name: 'Motivo' }).selectOption('complaint');
    await dialog.getByRole('textbox', { name: 'Detalle del motivo' }).fill('Queja por demora');
    await dialog.getByRole('button', { name: 'Tomar control' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await agent.page.getByRole('alert').getByText(`Laura Supervisora tomó el control de ${conversation.folio}. Motivo: Queja del ciudadano: Queja por demora`).waitFor({ timeout: 10_000 });
    await expect.poll(() => agentTabs.getByText('María Hernández').count(), { timeout: 10_000 }).toBe(0);
    const supTabs = supervisor.page.getByRole('navigation', { name: 'Mis sesiones' });
    await supTabs.getByText('María Hernández').waitFor({ timeout: 10_000 });
    await screenshot(agent.page, 'supervision/04-takeover-agent');

    const composer = citizen.page.getByRole('dialog', { name: 'Atención en línea' }).getByRole('textbox', { name: 'Su mensaje' });
    await composer.fill('¿Sigue ahí alguien?');
    await composer.press('Enter');
    await supervisor.page.getByRole('log').getByText('¿Sigue ahí alguien?').waitFor({ timeout: 10_000 });
    const reply = supervisor.page.getByRole('textbox', { name: 'Respuesta al ciudadano' });
    await reply.fill('Sí, le atiende la supervisora');
    await reply.press('Enter');
    await widgetLog().locator('.vw-msg-agent').filter({ hasText: 'le atiende la supervisora' }).waitFor({ timeout: 10_000 });
    const row = await db().selectFrom('conversations').select(['assignee_id', 'folio']).where('id', '=', conversation.id).executeTakeFirstOrThrow();
    expect(row.folio).toBe(conversation.folio);
    const audit = (await db().selectFrom('audit_log').select('action').where('target_id', '=', conversation.id).where('action', 'like', 'supervision.%').orderBy('id').execute()).map((a) => a.action);
    expect(audit).toEqual(['supervision.monitor_started', 'supervision.whispered', 'supervision.barged', 'supervision.taken_over']);
    await screenshot(supervisor.page, 'supervision/05-takeover-supervisor');
  }, 60_000);
});
