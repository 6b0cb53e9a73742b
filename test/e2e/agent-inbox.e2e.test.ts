import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { createQueue, createSkill, setAgentSkills, setCampaignRouting } from '../support/router-factories.js';
import { bearer, tokenFor } from '../support/auth.js';
import { messageBody, signedHeaders } from '../support/webhook.js';
import { ARTIFACTS, ensureInboxBuilt, launchChromium, makePng, ROOT, screenshot, seriousViolations, startCitizenSide, startDropProxy } from './e2e-support.js';

/**
 * Issue 4, end to end against a real hub, in Debian's Chromium: an agent logs in, goes
 * available, takes an offer, replies (the citizen's system receives it), writes a private note
 * (it never does), survives a network drop, transfers to a second-level agent in another
 * browser, who closes with tipification; an agent with 4 sessions gets no 5th offer.
 */
describe('agent inbox in the browser', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', ROUTER_SWEEP_INTERVAL_MS: '200' });
  let hub: HubProcess;
  let citizen: Awaited<ReturnType<typeof startCitizenSide>>;
  let proxy: Awaited<ReturnType<typeof startDropProxy>>;
  let browser: Browser;
  let ana: { context: BrowserContext; page: Page };
  let rosa: { context: BrowserContext; page: Page };
  let channel: { id: string; secret: string };
  let campaignId: string;
  const users = { ana: { email: '', password: '', id: '' }, rosa: { email: '', password: '', id: '' }, sofia: { email: '', password: '', id: '' } };
  let firstConversation: { id: string; folio: string };
  const db = () => hub.ctx.db.kysely;

  async function citizenWrites(id: string, phone: string, name: string, text: string): Promise<void> {
    const body = messageBody({ id, phone, name, text });
    const res = await fetch(`${hub.url}/webhooks/api/${channel.id}`, { method: 'POST', headers: signedHeaders(channel.secret, body), body });
    expect(res.status).toBe(200);
  }

  async function openPage(url: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1360, height: 850 }, locale: 'es-MX', reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(url);
    return { context, page };
  }

  async function logIn(page: Page, who: { email: string; password: string }): Promise<void> {
    await page.getByLabel('Correo electrónico').fill(who.email);
    await page.getByLabel('Contraseña').fill(who.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('combobox', { name: 'Mi estado' }).waitFor();
  }

  async function goAvailable(page: Page): Promise<void> {
    await page.getByRole('combobox', { name: 'Mi estado' }).selectOption('available');
    await expect.poll(() => page.getByRole('combobox', { name: 'Mi estado' }).inputValue(), { timeout: 10_000 }).toBe('available');
  }

  async function expectNoSeriousViolations(page: Page): Promise<void> {
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  }

  beforeAll(async () => {
    ensureInboxBuilt();
    citizen = await startCitizenSide();
    hub = await startHubProcess(config);
    proxy = await startDropProxy(new URL(hub.url!));

    const admin = await createUser(db(), { roles: ['admin'] });
    const adminToken = await tokenFor(db(), admin.id);
    const campaign = await createCampaign(db(), { name: 'Derechohabientes', prefix: 'DHE' });
    campaignId = campaign.id;
    await setCampaignRouting(db(), campaign.id, { offerTimeoutSeconds: 90, afterContactWorkMaxSeconds: 30 });
    const general = await createSkill(db(), campaign.id, 'orientacion');
    const second = await createSkill(db(), campaign.id, 'segundo_nivel');
    await createQueue(db(), campaign.id, { name: 'Orientación general', isDefault: true, skills: { [general]: 1 } });
    await createQueue(db(), campaign.id, { name: 'Segundo nivel (PS-P)', tier: 2, skills: { [second]: 1 } });
    const created = await createApiChannel(db(), campaign.id, { callbackUrl: citizen.url, name: 'Portal ciudadano' });
    channel = { id: created.channel.id, secret: created.secret };
    const anaUser = await createUser(db(), { roles: ['agent'], campaignIds: [campaign.id], email: `ana.${campaign.folio_prefix.toLowerCase()}@e2e.mx`, name: 'Ana Martínez' });
    const rosaUser = await createUser(db(), { roles: ['agent'], campaignIds: [campaign.id], email: `rosa.${campaign.folio_prefix.toLowerCase()}@e2e.mx`, name: 'Rosa Díaz' });
    await setAgentSkills(db(), anaUser.id, { [general]: 3 });
    await setAgentSkills(db(), rosaUser.id, { [second]: 4 });
    users.ana = { email: anaUser.email, password: anaUser.password, id: anaUser.id };
    users.rosa = { email: rosaUser.email, password: rosaUser.password, id: rosaUser.id };
    const sofiaUser = await createUser(db(), { roles: ['supervisor'], campaignIds: [campaign.id], email: `sofia.${campaign.folio_prefix.toLowerCase()}@e2e.mx`, name: 'Sofía Supervisora' });
    users.sofia = { email: sofiaUser.email, password: sofiaUser.password, id: sofiaUser.id };

    // What a supervisor set up for the campaign: canned responses, tipification tree, KB.
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${hub.url}/api/v1${path}`, { method: 'POST', headers: { ...bearer(adminToken), 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(201);
      return (await res.json()) as { id: string };
    };
    await post(`/campaigns/${campaign.id}/canned-responses`, { shortcut: 'saludo', title: 'Saludo inicial', body: 'Hola {{contact.firstName}}, le atiende {{agent.name}} de {{campaign.name}}. Su folio es {{folio}}.' });
    await post(`/campaigns/${campaign.id}/canned-responses`, { shortcut: 'despedida', title: 'Despedida', body: 'Gracias por comunicarse, {{contact.firstName}}. ¡Que tenga buen día!' });
    const vig = await post(`/campaigns/${campaign.id}/disposition-codes`, { code: 'VIG', label: 'Vigencia de derechos' });
    await post(`/campaigns/${campaign.id}/disposition-codes`, { parentId: vig.id, code: 'VIG.CONS', label: 'Consulta de vigencia' });
    await post(`/campaigns/${campaign.id}/disposition-codes`, { parentId: vig.id, code: 'VIG.ALTA', label: 'Alta de beneficiario' });
    const pen = await post(`/campaigns/${campaign.id}/disposition-codes`, { code: 'PEN', label: 'Pensiones' });
    await post(`/campaigns/${campaign.id}/disposition-codes`, { parentId: pen.id, code: 'PEN.DICT', label: 'Dictamen de pensión' });
    await post(`/campaigns/${campaign.id}/kb-articles`, {
      title: 'Constancia de vigencia de derechos',
      topic: 'Afiliación',
      tags: ['vigencia'],
      published: true,
      body: 'La constancia de vigencia de derechos se descarga en línea con CURP y NSS desde el portal del Instituto, sin acudir a la clínica.',
    });

    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await hub?.stop();
    await citizen?.close();
    await dropNamespaces(config);
    // The README's set (docs/screenshots): written when missing, refreshed with UPDATE_SCREENSHOTS=1,
    // so an ordinary test run leaves the working tree alone.
    const docs = join(ROOT, 'docs/screenshots');
    mkdirSync(docs, { recursive: true });
    if (existsSync(ARTIFACTS))
      for (const file of readdirSync(ARTIFACTS).filter((f) => f.endsWith('.png'))) {
        if (process.env['UPDATE_SCREENSHOTS'] === '1' || !existsSync(join(docs, file))) copyFileSync(join(ARTIFACTS, file), join(docs, file));
      }
  }, 60_000);

  it('serves the inbox on the hub origin, in Spanish, with an accessible login', async () => {
    ana = await openPage(proxy.url);
    await ana.page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    expect(await ana.page.getAttribute('html', 'lang')).toBe('es-MX');
    await expectNoSeriousViolations(ana.page);
    await screenshot(ana.page, '01-login');
    await logIn(ana.page, users.ana);
    await ana.page.getByRole('heading', { name: 'Ninguna conversación abierta' }).waitFor();
    // "Todas" is for supervisors and admins only.
    await ana.page.getByRole('button', { name: 'Mis filas' }).waitFor();
    expect(await ana.page.getByRole('button', { name: 'Todas' }).count()).toBe(0);
    // English is a switch away, and back.
    await ana.page.getByRole('button', { name: 'English' }).click();
    await ana.page.getByRole('heading', { name: 'My sessions' }).waitFor();
    expect(await ana.page.getAttribute('html', 'lang')).toBe('en');
    await ana.page.getByRole('button', { name: 'Español' }).click();
    await ana.page.getByRole('heading', { name: 'Mis sesiones' }).waitFor();
  }, 60_000);

  it('an agent who goes available gets the citizen as an offer with a countdown, and accepts it', async () => {
    const page = ana.page;
    await goAvailable(page);
    await citizenWrites('e2e-1', '+52 55 1234 5678', 'María Guadalupe Hernández', 'Buenas tardes, necesito mi constancia de vigencia de derechos');
    const offers = page.getByRole('region', { name: 'Oferta entrante' });
    await offers.getByRole('heading', { name: 'Nueva conversación' }).waitFor({ timeout: 15_000 });
    const countdown = await offers.getByRole('timer').textContent();
    expect(countdown).toMatch(/^Expira en \d+ s$/);
    await expectNoSeriousViolations(page);
    await screenshot(page, '02-workspace-offer');

    await offers.getByRole('button', { name: 'Aceptar' }).click();
    await offers.waitFor({ state: 'detached' });
    const thread = page.getByRole('log');
    await thread.getByText('Buenas tardes, necesito mi constancia de vigencia de derechos').waitFor();
    await page.getByRole('heading', { level: 1, name: 'María Guadalupe Hernández' }).waitFor();
    const row = await db().selectFrom('conversations').select(['id', 'folio', 'status', 'assignee_id']).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'assigned', assignee_id: users.ana.id });
    firstConversation = { id: row.id, folio: row.folio };
    await page.getByRole('navigation', { name: 'Mis sesiones' }).getByText(row.folio).waitFor();
  }, 60_000);

  it('replies with a canned response (variables filled in): the citizen’s system receives it, and the ticks follow delivery', async () => {
    const page = ana.page;
    const composer = page.getByRole('textbox', { name: 'Respuesta al ciudadano' });
    await composer.click();
    await composer.pressSequentially('/salu');
    await page.getByRole('listbox').getByText('Saludo inicial').waitFor();
    await composer.press('Enter');
    const expected = `Hola María, le atiende Ana Martínez de Derechohabientes. Su folio es ${firstConversation.folio}.`;
    expect(await composer.inputValue()).toBe(expected);
    await composer.press('Enter');

    await expect.poll(() => citizen.delivered.map((d) => d.content.text), { timeout: 10_000 }).toContain(expected);
    const sent = citizen.delivered.find((d) => d.content.text === expected)!;
    expect(sent).toMatchObject({ conversationId: firstConversation.id, folio: firstConversation.folio });
    const bubble = page.locator('.msg-out', { hasText: expected });
    await expect.poll(() => bubble.locator('[data-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('sent');

    // The citizen's system reports it delivered: the tick changes without a reload.
    const status = JSON.stringify({ type: 'status', id: `citizen-${sent.id}`, status: 'delivered' });
    const res = await fetch(`${hub.url}/webhooks/api/${channel.id}`, { method: 'POST', headers: signedHeaders(channel.secret, status), body: status });
    expect(res.status).toBe(200);
    await expect.poll(() => bubble.locator('[data-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('delivered');

    // An attachment: uploaded at once, sent with the reply, previewed, downloadable with its name.
    await page.locator('input[type=file]').setInputFiles({ name: 'comprobante-pago.png', mimeType: 'image/png', buffer: makePng(240, 150, [46, 125, 160]) });
    await page.getByRole('button', { name: 'Quitar comprobante-pago.png' }).waitFor();
    await composer.fill('Le comparto el comprobante.');
    await composer.press('Enter');
    await expect.poll(() => citizen.delivered.some((d) => d.content.text === 'Le comparto el comprobante.'), { timeout: 10_000 }).toBe(true);
    const withFile = citizen.delivered.find((d) => d.content.text === 'Le comparto el comprobante.')!;
    expect(JSON.stringify(withFile.content)).toContain('comprobante-pago.png');
    const preview = page.getByRole('img', { name: 'Imagen adjunta: comprobante-pago.png' });
    await preview.waitFor();
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 10_000 }).toBe(240);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Descargar comprobante-pago.png' }).or(page.getByRole('link', { name: 'Descargar comprobante-pago.png' })).click()]);
    expect(download.suggestedFilename()).toBe('comprobante-pago.png');
  }, 60_000);

  it('adds a private note that staff see and the citizen never receives; a KB snippet goes into the reply', async () => {
    const page = ana.page;
    await page.getByRole('checkbox', { name: 'Nota interna' }).check();
    const noteBox = page.getByRole('textbox', { name: 'Texto de la nota interna' });
    const noteText = 'Ciudadana con NSS en trámite; validar CURP antes de emitir constancia.';
    await noteBox.fill(noteText);
    await page.getByRole('button', { name: 'Guardar nota' }).click();
    const note = page.getByRole('note', { name: 'Nota interna — no la ve el ciudadano' }).filter({ hasText: noteText });
    await note.waitFor();
    await page.getByRole('checkbox', { name: 'Nota interna' }).uncheck();

    await page.getByRole('tab', { name: 'Base de conocimiento' }).click();
    await page.getByRole('searchbox', { name: 'Buscar artículos' }).fill('constancia');
    await page.getByRole('searchbox', { name: 'Buscar artículos' }).press('Enter');
    await page.getByRole('heading', { name: 'Constancia de vigencia de derechos' }).waitFor();
    await page.getByRole('button', { name: 'Insertar en la respuesta' }).first().click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Respuesta al ciudadano' }).inputValue(), { timeout: 10_000 }).toMatch(/constancia de vigencia/i);
    await page.getByRole('textbox', { name: 'Respuesta al ciudadano' }).fill('');
    await page.getByRole('tab', { name: 'Contacto' }).click();
    await page.getByRole('heading', { name: 'Historial en todos los canales' }).waitFor();

    await expectNoSeriousViolations(page);
    await screenshot(page, '03-thread-note');
    // Give the outbound worker every chance to (wrongly) send it.
    await new Promise((r) => setTimeout(r, 1500));
    expect(citizen.delivered.map((d) => d.content.text ?? '').filter((text) => text.includes('NSS en trámite'))).toEqual([]);
    const stored = await db().selectFrom('messages').select('text').where('conversation_id', '=', firstConversation.id).where('direction', '=', 'outbound').execute();
    expect(stored.map((m) => m.text)).not.toContain(noteText);
  }, 60_000);

  it('after a network drop the app reconnects and shows what it missed, once', async () => {
    const page = ana.page;
    proxy.drop();
    await page.getByText('Reconectando…').waitFor({ timeout: 15_000 });
    await citizenWrites('e2e-1b', '+52 55 1234 5678', 'María Guadalupe Hernández', 'Sigo aquí, ¿me puede ayudar?');
    await new Promise((r) => setTimeout(r, 1000));
    proxy.restore();
    await page.getByText('En línea').waitFor({ timeout: 20_000 });
    const missed = page.getByRole('log').getByText('Sigo aquí, ¿me puede ayudar?');
    await missed.waitFor({ timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await missed.count()).toBe(1);
    // Every stored message shows exactly once (nothing lost, nothing doubled).
    const stored = await db().selectFrom('messages').select('id').where('conversation_id', '=', firstConversation.id).execute();
    const shown = await page.getByRole('log').locator('.msg').evaluateAll((els) => els.map((e) => e.getAttribute('data-message-id')));
    expect([...shown].sort()).toEqual(stored.map((m) => m.id).sort());
  }, 60_000);

  it('transfers to second level with a reason; the second agent, in another browser, sees the offer and accepts', async () => {
    rosa = await openPage(hub.url!);
    await logIn(rosa.page, users.rosa);
    await goAvailable(rosa.page);

    const page = ana.page;
    await page.getByRole('button', { name: 'Transferir' }).click();
    const dialog = page.getByRole('dialog', { name: 'Transferir conversación' });
    await dialog.waitFor();
    await dialog.getByText('Segundo nivel', { exact: true }).click();
    await dialog.getByRole('combobox', { name: /^Fila/ }).selectOption({ label: 'Segundo nivel (PS-P)' });
    await dialog.getByLabel('Motivo').fill('Requiere dictamen de pensión');
    await expectNoSeriousViolations(page);
    await screenshot(page, '04-transfer-dialog');
    await dialog.getByRole('button', { name: 'Transferir' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('navigation', { name: 'Mis sesiones' }).getByText('Sin sesiones activas', { exact: false }).waitFor();

    const offers = rosa.page.getByRole('region', { name: 'Oferta entrante' });
    await offers.getByText(firstConversation.folio).waitFor({ timeout: 15_000 });
    await offers.getByRole('button', { name: 'Aceptar' }).click();
    const thread = rosa.page.getByRole('log');
    await thread.getByText('Sigo aquí, ¿me puede ayudar?').waitFor();
    await thread.getByText(/Transferida a segundo nivel.*Requiere dictamen de pensión/).waitFor();
    await thread.getByText('Ciudadana con NSS en trámite', { exact: false }).waitFor();
    const row = await db().selectFrom('conversations').select(['assignee_id', 'folio']).where('id', '=', firstConversation.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ assignee_id: users.rosa.id, folio: firstConversation.folio });
  }, 60_000);

  it('closes with tipification from the code tree and a summary; the agent then shows in after-contact work', async () => {
    const page = rosa.page;
    await page.getByRole('button', { name: 'Cerrar y tipificar' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cerrar y tipificar' });
    await dialog.getByRole('checkbox', { name: /Consulta de vigencia/ }).check();
    await dialog.getByRole('checkbox', { name: /Dictamen de pensión/ }).check();
    await dialog.getByLabel('Resumen de la atención').fill('Se orientó sobre la constancia y se turnó dictamen de pensión.');
    await dialog.getByText('2 de 5 seleccionados').waitFor();
    await expectNoSeriousViolations(page);
    await screenshot(page, '05-wrap-up-dialog');
    await dialog.getByRole('button', { name: 'Cerrar conversación' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByRole('combobox', { name: 'Mi estado' }).inputValue(), { timeout: 10_000 }).toBe('after_contact_work');
    await page.getByText(/en trabajo posterior|Termina en/).waitFor();
    await screenshot(page, '07-after-contact-work');

    const closed = await db().selectFrom('conversations').select(['status']).where('id', '=', firstConversation.id).executeTakeFirstOrThrow();
    expect(closed.status).toBe('resolved');
    const res = await fetch(`${hub.url}/api/v1/conversations/${firstConversation.id}/dispositions`, { headers: bearer(await tokenFor(db(), users.rosa.id)) });
    expect(res.status).toBe(200);
    const dispositions = (await res.json()) as { items: { code: string }[]; summary: string | null };
    expect(dispositions.items.map((i) => i.code).sort()).toEqual(['PEN.DICT', 'VIG.CONS']);
    expect(dispositions.summary).toBe('Se orientó sobre la constancia y se turnó dictamen de pensión.');
  }, 60_000);

  it('an agent holding 4 sessions gets no 5th offer; the 5th citizen waits in line', async () => {
    const page = ana.page;
    for (let n = 1; n <= 5; n += 1) await citizenWrites(`e2e-cap-${n}`, `+52 55 3000 000${n}`, ['Juan Pérez', 'Lucía Ramírez', 'Pedro Sánchez', 'Elena Flores', 'Carlos Díaz'][n - 1]!, `Consulta número ${n} sobre mi trámite`);
    const offers = page.getByRole('region', { name: 'Oferta entrante' });
    for (let accepted = 0; accepted < 4; accepted += 1) {
      const accept = offers.getByRole('button', { name: 'Aceptar' }).first();
      await accept.waitFor({ timeout: 15_000 });
      await accept.click();
      await expect.poll(() => page.getByRole('navigation', { name: 'Mis sesiones' }).locator('.session-tab').count(), { timeout: 10_000 }).toBe(accepted + 1);
    }
    await page.getByText('4 de 4', { exact: true }).waitFor();
    // Alert thresholds, from the settings popover: every waiting citizen turns amber after 1 s…
    await page.getByRole('button', { name: 'Alertas' }).click();
    const settings = page.getByRole('dialog', { name: 'Alertas de sesión' });
    await settings.getByLabel('Aviso (amarillo) después de, en segundos').fill('1');
    await settings.getByLabel('Alerta (rojo) después de, en segundos').fill('600');
    await settings.getByRole('button', { name: 'Guardar' }).click();
    await settings.waitFor({ state: 'detached' });
    const tabs = page.getByRole('navigation', { name: 'Mis sesiones' }).locator('.session-tab');
    await expect.poll(() => tabs.evaluateAll((els) => els.filter((e) => e.classList.contains('level-warn')).length), { timeout: 5000 }).toBe(4);
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem('ventanilla.alerts'))) ?? '{}')).toMatchObject({ warnAfterSeconds: 1, alertAfterSeconds: 600 });
    // …and one the agent answered is back to normal.
    await tabs.first().click();
    await page.getByRole('textbox', { name: 'Respuesta al ciudadano' }).fill('Con gusto le ayudo.');
    await page.getByRole('textbox', { name: 'Respuesta al ciudadano' }).press('Enter');
    await expect.poll(() => tabs.evaluateAll((els) => els.filter((e) => e.classList.contains('level-warn')).length), { timeout: 5000 }).toBe(3);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await offers.count()).toBe(0);
    const waiting = await db().selectFrom('conversations').select(['status']).where('status', '=', 'queued').execute();
    expect(waiting).toHaveLength(1);
    const offered = await db().selectFrom('offers').select('id').where('agent_id', '=', users.ana.id).execute();
    expect(offered).toHaveLength(5); // the first conversation's offer and these four
    // The newest message is shown (a session where the citizen waits for a reply keeps its timer).
    await tabs.last().click();
    await page.getByRole('log').getByText(/Consulta número \d sobre mi trámite/).waitFor();
    await expectNoSeriousViolations(page);
    await screenshot(page, '06-four-sessions');
  }, 90_000);

  it('a supervisor sees every conversation of the campaign ("Todas"), read-only unless it is theirs', async () => {
    const { page } = await openPage(hub.url!);
    await page.getByLabel('Correo electrónico').fill(users.sofia.email);
    await page.getByLabel('Contraseña').fill(users.sofia.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('button', { name: 'Todas' }).click();
    const list = page.getByRole('region', { name: 'Conversaciones' });
    const total = (await db().selectFrom('conversations').select('id').where('campaign_id', '=', campaignId).execute()).length;
    await expect.poll(() => list.locator('.conv-item').count(), { timeout: 10_000 }).toBe(total);
    await list.getByText('Carlos Díaz').click();
    await page.getByText('Solo quien atiende la conversación puede responder.').waitFor();
    expect(await page.getByRole('button', { name: 'Cerrar y tipificar' }).count()).toBe(0);
    await list.getByRole('searchbox').fill(firstConversation.folio);
    await list.getByRole('searchbox').press('Enter');
    await expect.poll(() => list.locator('.conv-item').count(), { timeout: 10_000 }).toBe(1);
    await expectNoSeriousViolations(page);

    // A reload keeps the session (sessionStorage, this tab only); logging out ends it.
    await page.reload();
    await page.getByRole('button', { name: 'Todas' }).waitFor();
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.getByText('Cerró su sesión.').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('ventanilla.session'))).toBeNull();
    // The tab forgets the session at once and tells the hub right after: the revocation lands a moment later.
    const open = () => db().selectFrom('refresh_tokens').select('id').where('user_id', '=', users.sofia.id).where('revoked_at', 'is', null).execute();
    await expect.poll(open, { timeout: 10_000 }).toEqual([]);
  }, 60_000);
});
