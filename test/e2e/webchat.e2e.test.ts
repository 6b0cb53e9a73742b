import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createEmailChannel, startDovecot, startSmtpCapture, type DovecotServer, type SmtpCapture } from '../support/mail-servers.js';
import { createQueue, createSkill, setAgentSkills, setCampaignRouting } from '../support/router-factories.js';
import {
  ARTIFACTS,
  createWebchatChannel,
  ensureInboxBuilt,
  ensureWidgetBuilt,
  hasFocus,
  launchChromium,
  makePng,
  ROOT,
  screenshot,
  startEmbeddingSite,
  widgetViolations,
} from './e2e-support.js';

/**
 * Issue 5 items 1–6, end to end in Debian's Chromium against a real hub (PG, Redis, workers): a
 * ministry's page on another origin embeds the widget with one tag; a citizen uses it with the
 * keyboard only, an agent answers from the inbox in a second browser, the conversation survives a
 * reload and a second tab, the citizen ends it, answers the survey, downloads the transcript and
 * has it e-mailed (the campaign's e-mail channel sends through a real SMTP server on loopback, its
 * mailbox on a real Dovecot). axe-core checks every view. Closed hours: webchat-closed.e2e.test.ts.
 */
describe('web chat widget in the browser', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', ROUTER_SWEEP_INTERVAL_MS: '200' });
  let hub: HubProcess;
  let site: { origin: string; close(): Promise<void> };
  let dovecot: DovecotServer;
  let smtp: SmtpCapture;
  let browser: Browser;
  let visitor: { context: BrowserContext; page: Page };
  let agent: { context: BrowserContext; page: Page };
  let channelId = '';
  const ana = { id: '', email: '', password: '' };
  let conversation: { id: string; folio: string };
  const db = () => hub.ctx.db.kysely;
  const shots = join(ARTIFACTS, 'webchat');

  async function newPage(viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, locale: 'es-MX', reducedMotion: 'reduce', acceptDownloads: true });
    return { context, page: await context.newPage() };
  }

  async function expectNoWidgetViolations(page: Page): Promise<void> {
    const { violations, shadowNodesChecked } = await widgetViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    expect(shadowNodesChecked).toBeGreaterThan(5);
  }

  async function shot(page: Page, name: string): Promise<void> {
    mkdirSync(shots, { recursive: true });
    await screenshot(page, `webchat/${name}`);
  }

  beforeAll(async () => {
    ensureInboxBuilt();
    ensureWidgetBuilt();
    hub = await startHubProcess(config);
    site = await startEmbeddingSite(hub.url!, (path) => ({ channelId, locale: path.startsWith('/en') ? 'en' : 'es-MX' }));
    [dovecot, smtp] = await Promise.all([startDovecot(), startSmtpCapture()]);

    const campaign = await createCampaign(db(), { name: 'Derechohabientes', prefix: 'WEB' });
    await setCampaignRouting(db(), campaign.id, { offerTimeoutSeconds: 90, afterContactWorkMaxSeconds: 30 });
    const skill = await createSkill(db(), campaign.id, 'orientacion');
    await createQueue(db(), campaign.id, { name: 'Orientación general', isDefault: true, skills: { [skill]: 1 } });
    channelId = await createWebchatChannel(db(), campaign.id, site.origin, {
      title: 'Atención IMSS en línea',
      prechat: {
        fields: [
          { name: 'name', required: true },
          { name: 'email', required: true },
          { name: 'phone', required: false },
          { name: 'topic', required: true },
        ],
        topics: [
          { id: 'vigencia', label: 'Vigencia de derechos' },
          { id: 'pensiones', label: 'Pensiones' },
        ],
      },
      // Low so the test is quick; the proof of work still runs in the browser.
      captcha: { kind: 'pow', difficulty: 10 },
      attachments: { enabled: true, maxBytes: 1024 * 1024, accept: ['image/png', 'image/jpeg', 'application/pdf'] },
    });
    // The campaign's mailbox: what makes "send me the transcript by e-mail" available.
    await dovecot.addUser('atencion@imss.test', 'buzon-secreto');
    await createEmailChannel(db(), campaign.id, { imap: { port: dovecot.port, user: 'atencion@imss.test', password: 'buzon-secreto' }, smtp: { port: smtp.port }, address: 'atencion@imss.test' });
    const user = await createUser(db(), { roles: ['agent'], campaignIds: [campaign.id], email: 'ana.web@e2e.mx', name: 'Ana Martínez' });
    await setAgentSkills(db(), user.id, { [skill]: 3 });
    Object.assign(ana, { id: user.id, email: user.email, password: user.password });
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

  it('the hub serves the one-tag bundle and the demo page', async () => {
    const bundle = await fetch(`${hub.url}/widget.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(bundle.headers.get('cache-control')).toBe('public, max-age=300');
    expect((await bundle.text()).length).toBeGreaterThan(1000);
    const demo = await fetch(`${hub.url}/widget-demo.html`);
    expect(demo.status).toBe(200);
    const html = await demo.text();
    expect(html).toContain(`<script src="/widget.js" data-channel="${channelId}" async></script>`);
    expect(html).toContain('Portal ciudadano — demostración');
  });

  it('(a) keyboard only: Tab to the launcher, Enter, the pre-chat form with its errors, then a message with Enter', async () => {
    visitor = await newPage();
    const { page } = visitor;
    await page.goto(`${site.origin}/`);
    const launcher = page.getByRole('button', { name: 'Chat en línea' });
    await launcher.waitFor();
    // The page's `button { background: pink }` does not reach into the shadow root.
    expect(await launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(11, 92, 76)');
    for (let i = 0; i < 12 && !(await hasFocus(launcher)); i += 1) await page.keyboard.press('Tab');
    expect(await hasFocus(launcher)).toBe(true);

    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Atención IMSS en línea' });
    await dialog.waitFor();
    const name = dialog.getByRole('textbox', { name: 'Nombre' });
    expect(await hasFocus(name)).toBe(true);
    // Escape closes the panel and gives the focus back to the launcher.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await hasFocus(launcher)).toBe(true);
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Enter');
    await dialog.waitFor();

    await page.keyboard.type('María Guadalupe Hernández');
    await page.keyboard.press('Tab');
    await page.keyboard.type('maria@correo');
    await page.keyboard.press('Tab');
    await page.keyboard.type('55 1234 5678');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    expect(await dialog.getByRole('combobox', { name: 'Tema' }).inputValue()).toBe('vigencia');
    await page.keyboard.press('Tab');
    expect(await hasFocus(dialog.getByRole('button', { name: 'Iniciar chat' }))).toBe(true);
    await page.keyboard.press('Enter');

    // The mistyped e-mail: an error under the field, tied to it, focus on it, a summary announced.
    const email = dialog.getByRole('textbox', { name: 'Correo electrónico' });
    await dialog.getByRole('alert').filter({ hasText: 'Revise los datos marcados.' }).waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    const description = await email.evaluate((el) => {
      const root = el.getRootNode();
      const texts = (el.getAttribute('aria-describedby') ?? '').split(' ').map((id) => (root instanceof ShadowRoot ? root.getElementById(id)?.textContent : null));
      return texts.join(' ');
    });
    expect(description).toContain('Escriba un correo válido');
    expect(await hasFocus(email)).toBe(true);
    await expectNoWidgetViolations(page);
    await shot(page, '01-prechat-errors');

    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('maria.hernandez@correo.mx');
    await page.keyboard.press('Enter');

    const composer = dialog.getByRole('textbox', { name: 'Su mensaje' });
    await composer.waitFor({ timeout: 15_000 });
    expect(await hasFocus(composer)).toBe(true);
    await page.keyboard.type('Buenas tardes, necesito mi constancia de vigencia de derechos');
    await page.keyboard.press('Enter');
    const log = dialog.getByRole('log', { name: 'Mensajes de la conversación' });
    const first = log.locator('.vw-msg').filter({ hasText: 'Buenas tardes, necesito mi constancia' });
    await first.waitFor();
    await expect.poll(() => first.getAttribute('data-state'), { timeout: 10_000 }).toBe('sent');
    expect(await first.locator('.vw-who').textContent()).toBe('Usted');
    // Shift+Enter is a new line, not a send.
    await page.keyboard.type('Línea uno');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('Línea dos');
    await page.keyboard.press('Enter');
    await log.locator('.vw-msg[data-state="sent"]').filter({ hasText: 'Línea dos' }).waitFor({ timeout: 10_000 });

    const row = await db().selectFrom('conversations').select(['id', 'folio']).where('channel_id', '=', channelId).executeTakeFirstOrThrow();
    conversation = row;
    const texts = (await db().selectFrom('messages').select('text').where('conversation_id', '=', row.id).where('direction', '=', 'inbound').orderBy('created_at').execute()).map((m) => m.text);
    expect(texts).toEqual(['Buenas tardes, necesito mi constancia de vigencia de derechos', 'Línea uno\nLínea dos']);
    const session = await db().selectFrom('webchat_sessions').select(['name', 'email', 'phone', 'topic', 'origin']).where('channel_id', '=', channelId).executeTakeFirstOrThrow();
    expect(session).toEqual({ name: 'María Guadalupe Hernández', email: 'maria.hernandez@correo.mx', phone: '55 1234 5678', topic: 'vigencia', origin: site.origin });

    // Waiting in line: the status line says so while no agent is available.
    await expect.poll(() => dialog.locator('.vw-status').textContent(), { timeout: 10_000 }).toMatch(/Lugar en la fila|En espera de un agente/);
  }, 60_000);

  it('(b) the agent takes it in the inbox: the widget names the agent, shows typing and the reply; attachments are checked and downloadable', async () => {
    agent = await newPage({ width: 1360, height: 850 });
    const inbox = agent.page;
    await inbox.goto(hub.url!);
    await inbox.getByLabel('Correo electrónico').fill(ana.email);
    await inbox.getByLabel('Contraseña').fill(ana.password);
    await inbox.getByRole('button', { name: 'Entrar' }).click();
    await inbox.getByRole('combobox', { name: 'Mi estado' }).selectOption('available');
    const offers = inbox.getByRole('region', { name: 'Oferta entrante' });
    await offers.getByRole('button', { name: 'Aceptar' }).click({ timeout: 15_000 });
    await inbox.getByRole('log').getByText('Buenas tardes, necesito mi constancia de vigencia de derechos').waitFor();

    const page = visitor.page;
    const dialog = page.getByRole('dialog', { name: 'Atención IMSS en línea' });
    await expect.poll(() => dialog.locator('.vw-status').textContent(), { timeout: 10_000 }).toBe('Le atiende Ana Martínez.');

    const reply = inbox.getByRole('textbox', { name: 'Respuesta al ciudadano' });
    await reply.pressSequentially('Hola María, con gusto le ayudo');
    await expect.poll(() => dialog.locator('.vw-typing').textContent(), { timeout: 10_000 }).toBe('Ana Martínez está escribiendo…');
    await reply.press('Enter');
    const answer = dialog.getByRole('log').locator('.vw-msg-agent').filter({ hasText: 'Hola María, con gusto le ayudo' });
    await answer.waitFor({ timeout: 10_000 });
    expect(await answer.locator('.vw-who').textContent()).toBe('Ana Martínez');
    await expect.poll(() => dialog.locator('.vw-typing').textContent()).toBe('');
    // Shown with the panel open: the agent's message becomes `read`.
    await expect
      .poll(async () => (await db().selectFrom('messages').select('status').where('conversation_id', '=', conversation.id).where('text', '=', 'Hola María, con gusto le ayudo').executeTakeFirst())?.status, { timeout: 10_000 })
      .toBe('read');
    await expectNoWidgetViolations(page);
    await shot(page, '02-chat');
    // The README's picture: written when missing, refreshed with UPDATE_SCREENSHOTS=1 (as agent-inbox does).
    const readme = join(ROOT, 'docs/screenshots/webchat-widget.png');
    mkdirSync(join(ROOT, 'docs/screenshots'), { recursive: true });
    if (process.env['UPDATE_SCREENSHOTS'] === '1' || !existsSync(readme)) copyFileSync(join(shots, '02-chat.png'), readme);

    // A file the channel does not take is refused before upload, with a message.
    const fileInput = dialog.locator('input[type=file]');
    await fileInput.setInputFiles({ name: 'programa.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
    await dialog.getByRole('alert').filter({ hasText: 'ese tipo de archivo no está permitido' }).waitFor();
    await fileInput.setInputFiles({ name: 'comprobante.png', mimeType: 'image/png', buffer: makePng(120, 80, [46, 125, 160]) });
    const download = dialog.getByRole('button', { name: /^Descargar comprobante\.png/ });
    await download.waitFor({ timeout: 15_000 });
    const [saved] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(saved.suggestedFilename()).toBe('comprobante.png');
    expect(readFileSync(await saved.path()).subarray(1, 4).toString()).toBe('PNG');
    await inbox.getByRole('log').getByText('comprobante.png').first().waitFor({ timeout: 10_000 });

    // Panel minimised: the launcher counts the new message, which is not `read` until the panel opens.
    await dialog.getByRole('button', { name: 'Minimizar el chat' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await reply.fill('¿Sigue ahí?');
    await reply.press('Enter');
    const launcher = page.getByRole('button', { name: /^Chat en línea/ });
    await expect.poll(() => launcher.evaluate((el) => el.textContent), { timeout: 10_000 }).toContain('1 mensaje nuevo');
    const statusOf = async (text: string) => (await db().selectFrom('messages').select('status').where('conversation_id', '=', conversation.id).where('text', '=', text).executeTakeFirst())?.status;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await statusOf('¿Sigue ahí?')).not.toBe('read');
    await launcher.click();
    await dialog.getByRole('log').getByText('¿Sigue ahí?').waitFor();
    await expect.poll(() => statusOf('¿Sigue ahí?'), { timeout: 10_000 }).toBe('read');
    expect(await launcher.evaluate((el) => el.textContent)).not.toContain('mensaje nuevo');
  }, 60_000);

  it('(c) a reload, a second tab and a 320 px screen show the same conversation, each message once', async () => {
    const page = visitor.page;
    await page.reload();
    const dialog = page.getByRole('dialog', { name: 'Atención IMSS en línea' });
    // The panel was open: it reopens, with the history.
    await dialog.getByRole('log').getByText('Hola María, con gusto le ayudo').waitFor({ timeout: 15_000 });
    const stored = await db().selectFrom('messages').select('id').where('conversation_id', '=', conversation.id).execute();
    await expect
      .poll(() => dialog.locator('.vw-msg').evaluateAll((els) => els.map((e) => e.getAttribute('data-message-id')).sort()), { timeout: 10_000 })
      .toEqual(stored.map((m) => m.id).sort());

    const second = await visitor.context.newPage();
    await second.setViewportSize({ width: 320, height: 640 });
    await second.goto(`${site.origin}/`);
    await second.getByRole('button', { name: 'Chat en línea' }).click();
    const small = second.getByRole('dialog', { name: 'Atención IMSS en línea' });
    await small.getByRole('log').getByText('Hola María, con gusto le ayudo').waitFor({ timeout: 15_000 });
    // Full screen on a small screen: nothing cut off, the composer reachable.
    const box = await small.boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 320, height: 640 });
    const composer = small.getByRole('textbox', { name: 'Su mensaje' });
    const composerBox = await composer.boundingBox();
    expect(composerBox).not.toBeNull();
    expect((composerBox?.x ?? 0) + (composerBox?.width ?? Infinity)).toBeLessThanOrEqual(320);
    expect((composerBox?.y ?? 0) + (composerBox?.height ?? Infinity)).toBeLessThanOrEqual(640);
    // Written in the second tab, shown in the first.
    await composer.fill('Escribo desde otra pestaña');
    await composer.press('Enter');
    await dialog.getByRole('log').getByText('Escribo desde otra pestaña').waitFor({ timeout: 10_000 });
    await shot(second, '03-small-screen');
    await second.close();
  }, 60_000);

  it('a visitor in English: the agent ends the conversation and the widget offers the survey by itself', async () => {
    const { page, context } = await newPage();
    await page.goto(`${site.origin}/en`);
    await page.getByRole('button', { name: 'Live chat' }).click();
    const dialog = page.getByRole('dialog', { name: 'Atención IMSS en línea' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('John Smith');
    await dialog.getByRole('textbox', { name: 'Email' }).fill('john.smith@example.com');
    await dialog.getByRole('combobox', { name: 'Topic' }).selectOption('pensiones');
    await dialog.getByRole('button', { name: 'Start chat' }).click();
    const composer = dialog.getByRole('textbox', { name: 'Your message' });
    await composer.fill('Hello, I need help with my pension');
    await composer.press('Enter');
    await dialog.getByRole('log', { name: 'Conversation messages' }).locator('.vw-msg[data-state="sent"]').getByText('You', { exact: true }).waitFor({ timeout: 10_000 });

    const offers = agent.page.getByRole('region', { name: 'Oferta entrante' });
    await offers.getByRole('button', { name: 'Aceptar' }).click({ timeout: 15_000 });
    await expect.poll(() => dialog.locator('.vw-status').textContent(), { timeout: 10_000 }).toBe('You are talking with Ana Martínez.');
    const row = await db().selectFrom('conversations').select('id').where('channel_id', '=', channelId).where('id', '!=', conversation.id).executeTakeFirstOrThrow();
    const res = await fetch(`${hub.url}/api/v1/conversations/${row.id}/resolve`, { method: 'POST', headers: { ...bearer(await tokenFor(db(), ana.id)), 'content-type': 'application/json' }, body: JSON.stringify({ summary: 'Orientación sobre pensión' }) });
    expect(res.status, await res.text()).toBe(200);

    await dialog.getByRole('heading', { name: 'Satisfaction survey' }).waitFor({ timeout: 15_000 });
    await dialog.getByRole('group', { name: 'Rate Ana Martínez (first level)' }).waitFor();
    await dialog.getByRole('button', { name: 'Skip the survey' }).click();
    await dialog.getByRole('heading', { name: 'Thank you for contacting us' }).waitFor();
    expect(await db().selectFrom('survey_responses').select('id').where('conversation_id', '=', row.id).execute()).toEqual([]);
    await context.close();
  }, 60_000);

  it('(d) the citizen ends the chat, answers the survey (stored against the folio and the agent) and downloads the transcript', async () => {
    const page = visitor.page;
    const dialog = page.getByRole('dialog', { name: 'Atención IMSS en línea' });
    await dialog.getByRole('button', { name: 'Terminar chat' }).focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: '¿Terminar el chat?' });
    await confirm.waitFor();
    expect(await hasFocus(confirm.getByRole('button', { name: 'Seguir en el chat' }))).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    await dialog.getByRole('heading', { name: 'Encuesta de satisfacción' }).waitFor({ timeout: 15_000 });
    await dialog.getByText(`Folio ${conversation.folio}`, { exact: false }).waitFor();
    await expectNoWidgetViolations(page);
    await shot(page, '04-survey');
    await dialog.getByRole('group', { name: '¿Cómo califica la atención recibida?' }).getByRole('radio', { name: '5, excelente' }).check();
    await dialog.getByRole('group', { name: 'Califique a Ana Martínez (primer nivel)' }).getByRole('radio', { name: '4, buena' }).check();
    await dialog.getByRole('group', { name: '¿Le trataron con amabilidad y respeto?' }).getByRole('radio', { name: 'Sí' }).check();
    await dialog.getByRole('group', { name: '¿Se resolvió su solicitud en este contacto?' }).getByRole('radio', { name: 'No' }).check();
    await dialog.getByLabel('Comentarios (opcional)').fill('Muy amable, gracias.');
    await dialog.getByRole('button', { name: 'Enviar encuesta' }).click();
    await dialog.getByText('Gracias por responder la encuesta.').waitFor({ timeout: 10_000 });

    const response = await db()
      .selectFrom('survey_responses')
      .select(['id', 'folio', 'rating', 'comment', 'answers', 'yes_count', 'no_count'])
      .where('conversation_id', '=', conversation.id)
      .executeTakeFirstOrThrow();
    expect(response).toMatchObject({ folio: conversation.folio, rating: 5, comment: 'Muy amable, gracias.', answers: { trato_amable: true, solicitud_resuelta: false }, yes_count: 1, no_count: 1 });
    const ratings = await db().selectFrom('survey_agent_ratings').select(['agent_id', 'tier', 'rating']).where('response_id', '=', response.id).execute();
    expect(ratings).toEqual([{ agent_id: ana.id, tier: 'PS-I', rating: 4 }]);

    await dialog.getByText(`Su folio es ${conversation.folio}`, { exact: false }).waitFor();
    const [transcript] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Descargar la conversación' }).click()]);
    const text = readFileSync(await transcript.path(), 'utf8');
    expect(text).toContain(conversation.folio);
    expect(text).toContain('Buenas tardes, necesito mi constancia de vigencia de derechos');
    expect(text).toContain('Ana Martínez');

    // By e-mail too: to the address given in the pre-chat form unless the citizen types another.
    const address = dialog.getByRole('textbox', { name: 'Correo para recibir la conversación' });
    await address.fill('maria.copia@correo.mx');
    await dialog.getByRole('button', { name: 'Enviármela por correo' }).click();
    await dialog.getByText('Le enviaremos la conversación por correo electrónico.').waitFor({ timeout: 10_000 });
    const mail = await smtp.waitFor((m) => m.to.includes('maria.copia@correo.mx'), 15_000);
    expect(`${mail.parsed.subject ?? ''} ${mail.parsed.text ?? ''}`).toContain(conversation.folio);
    expect(mail.parsed.text ?? '').toContain('Hola María, con gusto le ayudo');
    await expectNoWidgetViolations(page);
    await shot(page, '05-ended');

    // Starting again: the same visitor (a second visit); the ended conversation is not shown again.
    await dialog.getByRole('button', { name: 'Iniciar una nueva conversación' }).click();
    await dialog.getByRole('textbox', { name: 'Nombre' }).fill('María Guadalupe Hernández');
    await dialog.getByRole('textbox', { name: 'Correo electrónico' }).fill('maria.hernandez@correo.mx');
    await dialog.getByRole('combobox', { name: 'Tema' }).selectOption('pensiones');
    await dialog.getByRole('button', { name: 'Iniciar chat' }).click();
    const composer = dialog.getByRole('textbox', { name: 'Su mensaje' });
    await dialog.getByText('Escriba su mensaje para comenzar.', { exact: false }).waitFor();
    expect(await dialog.locator('.vw-msg').count()).toBe(0);
    await composer.fill('Otra consulta: mi pensión');
    await composer.press('Enter');
    await dialog.locator('.vw-msg[data-state="sent"]').filter({ hasText: 'Otra consulta: mi pensión' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => dialog.locator('.vw-status').textContent(), { timeout: 10_000 }).toMatch(/Lugar en la fila|En espera de un agente|Le atiende/);
    expect(await dialog.locator('.vw-msg').filter({ hasText: 'Otra consulta: mi pensión' }).count()).toBe(1);
    const visitors = await db().selectFrom('webchat_sessions').select(['visitor_id', 'visit_count']).where('email', '=', 'maria.hernandez@correo.mx').execute();
    expect(visitors).toEqual([{ visitor_id: expect.any(String), visit_count: 2 }]);
  }, 60_000);
});
