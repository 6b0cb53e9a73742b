import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { botModelSchema } from '@ventanilla/bots';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { promoteModel } from '../../hub/src/bots/console/model-promotion.usecase.js';
import { trainDraft } from '../../hub/src/bots/console/model-training.usecase.js';
import { botConversation } from '../bots-console/console-fixtures.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { ensureInboxBuilt, launchChromium, openStaffPage, screenshot, seriousViolations } from './e2e-support.js';

/** A small Spanish model: three intents with ten phrases each, in production as version 1. */
const seededModel = botModelSchema.parse({
  name: 'Asistente de derechohabientes',
  threshold: 0.6,
  intents: [
    {
      name: 'consulta_folio',
      description: 'Estado de un trámite por folio',
      phrases: {
        es: [
          '¿cómo va mi trámite?',
          'quiero saber el estado de mi folio',
          'consultar mi folio',
          '¿ya quedó mi trámite?',
          'estado de mi solicitud',
          'tengo un folio y quiero saber cómo va',
          'seguimiento de mi trámite',
          '¿en qué va mi solicitud?',
          'revisar el avance de mi folio',
          'quiero dar seguimiento a mi folio',
        ],
      },
      answers: [{ es: 'Con gusto reviso su folio.' }],
    },
    {
      name: 'horario_atencion',
      phrases: {
        es: [
          '¿cuál es el horario?',
          '¿a qué hora abren?',
          '¿a qué hora cierran?',
          'horario de atención',
          '¿abren los sábados?',
          '¿qué días atienden?',
          'horarios de las oficinas',
          '¿hasta qué hora atienden?',
          '¿están abiertos hoy?',
          'quiero saber el horario de la clínica',
        ],
      },
      answers: [{ es: 'Atendemos de lunes a viernes de 8:00 a 20:00.' }],
    },
    {
      name: 'hablar_agente',
      phrases: {
        es: [
          'quiero hablar con un agente',
          'comuníqueme con una persona',
          'necesito un asesor',
          'pásame con alguien',
          'quiero hablar con un humano',
          'atención personal por favor',
          'no quiero hablar con un robot',
          'con un ejecutivo por favor',
          'me puede atender una persona',
          'transferir con un asesor',
        ],
      },
      handoff: true,
    },
  ],
});

/**
 * The intent console in Chromium (issue 7 item 5): the campaign's trainer creates a draft from
 * production, adds a phrase, saves, trains (duration and cross-validated accuracy shown), tests
 * an utterance, promotes the draft (the production badge moves) and rolls back (version 1 is
 * production again) — with no serious axe violations.
 */
describe('intent console', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  let hub: HubProcess;
  let browser: Browser;
  let page: Page;
  let campaignId: string;
  let channelId: string;
  let productionId: string;
  const password = 'Clave-Segura-2026';
  const db = () => hub.ctx.db.kysely;
  const statuses = async () => (await db().selectFrom('bot_models').select(['version', 'status']).where('campaign_id', '=', campaignId).orderBy('version').execute()).map((r) => `${r.version}:${r.status}`);
  const row = (admin: Locator, version: number) => admin.locator(`tr[data-version="${version}"]`);

  beforeAll(async () => {
    ensureInboxBuilt();
    hub = await startHubProcess(config);
    campaignId = (await createCampaign(db(), { name: 'Derechohabientes', prefix: 'BOT' })).id;
    channelId = (await createApiChannel(db(), campaignId)).channel.id;
    const trainer = await createUser(db(), { roles: ['trainer'], campaignIds: [campaignId], email: 'tere.bot@example.mx', password, name: 'Teresa Entrenadora' });
    await createUser(db(), { roles: ['supervisor'], campaignIds: [campaignId], email: 'sofia.bot@example.mx', password, name: 'Sofía Supervisora' });
    // Version 1 goes to production the way the console puts it there: stored as a draft, trained, promoted.
    const seeded = await db()
      .insertInto('bot_models')
      .values({ campaign_id: campaignId, version: 1, status: 'draft', model: JSON.stringify(seededModel), note: 'semilla' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const actor = { userId: trainer.id, ip: null, userAgent: null };
    await trainDraft(db(), campaignId, seeded.id, actor);
    await promoteModel(db(), campaignId, seeded.id, actor);
    productionId = seeded.id;
    browser = await launchChromium();
    page = await openStaffPage(browser, hub.url!, { email: 'tere.bot@example.mx', password }, { width: 1440, height: 960 }, { acceptDownloads: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('creates a draft, adds a phrase, saves and trains it: duration and accuracy are shown', async () => {
    await page.getByRole('button', { name: 'Administración' }).click();
    const admin = page.getByRole('dialog');
    // A trainer lands on the console; sections of admins and supervisors are not offered.
    await admin.getByRole('heading', { name: 'Consola de intenciones del asistente virtual' }).waitFor({ timeout: 10_000 });
    expect((await admin.getByRole('navigation').getByRole('button').allInnerTexts()).map((s) => s.trim())).toEqual(['Base de conocimiento', 'Consola de intenciones']);
    await row(admin, 1).getByText('producción').waitFor();

    await admin.getByRole('button', { name: 'Nuevo borrador' }).click();
    await row(admin, 2).getByText('borrador').waitFor({ timeout: 10_000 });
    expect(await statuses()).toEqual(['1:production', '2:draft']);

    await admin.getByRole('button', { name: 'Abrir la versión 2 en el editor' }).click();
    await admin.getByRole('heading', { name: 'Versión 2 · borrador' }).waitFor({ timeout: 10_000 });
    await admin.getByRole('button', { name: /^consulta_folio/ }).click();
    await admin.getByLabel('Agregar frases en Español (una por línea)').fill('necesito el estatus de mi expediente\n¿cómo va mi trámite?');
    await admin.getByRole('button', { name: 'Agregar frases' }).click();
    await admin.getByText('Se agregaron 1; repetidas: 1; demasiado largas: 0.').waitFor();
    await admin.getByText('Cambios sin guardar').waitFor();
    await admin.getByRole('button', { name: 'Guardar', exact: true }).click();
    await admin.getByText('Borrador guardado. Entrénelo de nuevo antes de promoverlo.').waitFor({ timeout: 10_000 });
    // The editor itself (intent list, phrase tabs, answers, entities, flows) passes axe too.
    const editorViolations = await seriousViolations(page);
    expect(editorViolations, JSON.stringify(editorViolations, null, 2)).toEqual([]);
    await screenshot(page, 'intent-console-editor');

    // A flow with a dangling step: the hub's problem is shown with the step's path, nothing is stored.
    const flows = admin.getByRole('textbox', { name: 'Flujos (JSON)' });
    await flows.fill('[{"id":"citas","start":"inicio","steps":{"inicio":{"type":"message","text":{"es":"Hola"},"next":"no-existe"}}}]');
    await admin.getByRole('button', { name: 'Guardar', exact: true }).click();
    const banner = admin.getByRole('alert').filter({ hasText: 'El borrador no se guardó' });
    await expect.poll(() => banner.innerText(), { timeout: 10_000 }).toContain('Flujos (JSON) · citas.steps.inicio.next: El paso «inicio» apunta a «no-existe»');
    const unchanged = await db().selectFrom('bot_models').select('model').where('campaign_id', '=', campaignId).where('version', '=', 2).executeTakeFirstOrThrow();
    expect(botModelSchema.parse(unchanged.model).flows).toEqual([]);
    await admin.getByRole('button', { name: 'Descartar cambios' }).click();
    expect(await admin.getByText('Cambios sin guardar').count()).toBe(0);
    expect(await banner.count()).toBe(0);
    expect(await admin.getByText('Cambios sin guardar').count()).toBe(0);
    const stored = await db().selectFrom('bot_models').select('model').where('campaign_id', '=', campaignId).where('version', '=', 2).executeTakeFirstOrThrow();
    const phrases = botModelSchema.parse(stored.model).intents.find((i) => i.name === 'consulta_folio')?.phrases.es ?? [];
    expect(phrases).toContain('necesito el estatus de mi expediente');
    expect(phrases).toHaveLength(11);

    await admin.getByRole('tab', { name: 'Versiones' }).click();
    await admin.getByRole('button', { name: 'Entrenar la versión 2' }).click();
    const summary = admin.getByText(/^Versión 2: Entrenado en \d+\.\d s · precisión validada \d+\.\d %$/);
    await summary.first().waitFor({ timeout: 60_000 });
    await admin.getByRole('table', { name: /Precisión por intención/ }).getByRole('rowheader', { name: 'hablar_agente' }).waitFor();
    const training = await db().selectFrom('bot_models').select('training').where('campaign_id', '=', campaignId).where('version', '=', 2).executeTakeFirstOrThrow();
    expect(training.training?.accuracy).toBeGreaterThan(0);
    const shown = /precisión validada (\d+\.\d) %/.exec(await summary.first().innerText())?.[1];
    expect(Number(shown)).toBeCloseTo((training.training?.accuracy ?? 0) * 100, 1);
    await screenshot(page, 'intent-console-trained');
  }, 120_000);

  it('tests an utterance on the trained draft', async () => {
    const admin = page.getByRole('dialog');
    await admin.getByRole('tab', { name: 'Probar' }).click();
    expect(await admin.getByLabel('Versión a probar').inputValue()).toBe((await db().selectFrom('bot_models').select('id').where('campaign_id', '=', campaignId).where('version', '=', 2).executeTakeFirstOrThrow()).id);
    await admin.getByLabel('Frase del ciudadano').fill('quiero saber el estado de mi folio por favor');
    await admin.getByRole('button', { name: 'Probar', exact: true }).click();
    await expect.poll(() => admin.locator('.ic-test-intent').innerText(), { timeout: 15_000 }).toContain('consulta_folio');
    expect(await admin.locator('.ic-test-score').innerText()).toMatch(/^\d+\.\d %$/);
    expect((await admin.locator('.ic-reply').allInnerTexts()).map((text) => text.trim())).toContain('Con gusto reviso su folio.');

    // An empty phrase is stopped before it is sent.
    await admin.getByLabel('Frase del ciudadano').fill('   ');
    await admin.getByRole('button', { name: 'Probar', exact: true }).click();
    await admin.getByText('Escriba una frase para probar.').waitFor();
    const testViolations = await seriousViolations(page);
    expect(testViolations, JSON.stringify(testViolations, null, 2)).toEqual([]);
  }, 60_000);

  it('promotes the draft (the production badge moves) and rolls back to version 1', async () => {
    const admin = page.getByRole('dialog');
    await admin.getByRole('tab', { name: 'Versiones' }).click();
    await admin.getByRole('button', { name: 'Promover a producción la versión 2' }).click();
    const confirm = page.getByRole('dialog', { name: 'Promover a producción' });
    await confirm.getByText(/La versión 2 atenderá desde ahora/).waitFor();
    await confirm.getByRole('button', { name: 'Promover a producción' }).click();
    await row(admin, 2).getByText('producción').waitFor({ timeout: 10_000 });
    await row(admin, 1).getByText('archivado').waitFor();
    expect(await statuses()).toEqual(['1:archived', '2:production']);

    await admin.getByRole('button', { name: 'Revertir', exact: true }).click();
    const rollback = page.getByRole('dialog', { name: 'Revertir a la versión anterior' });
    await rollback.getByRole('button', { name: 'Revertir' }).click();
    await row(admin, 1).getByText('producción').waitFor({ timeout: 10_000 });
    await row(admin, 2).getByText('archivado').waitFor();
    expect(await statuses()).toEqual(['1:production', '2:archived']);
    await admin.getByText('Se revirtió: la versión 1 está en producción.').waitFor({ state: 'attached' });

    await screenshot(page, 'intent-console-rolled-back');
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  }, 60_000);

  it('adds an unmatched utterance to an intent of a new draft, and shows a repeated wrong answer in the metrics', async () => {
    const admin = page.getByRole('dialog');
    const world = { db: db(), campaignId, channelId };
    const pending = await botConversation(world, productionId, { utterance: '¿a qué hora puedo ir a la clínica?', intent: 'horario_atencion', score: 0.41, answeredBy: 'fallback', review: 'pending' });
    // Three interactions: two wrong answers on consulta_folio (repeated), one resolved.
    for (const [intent, outcome, weight] of [
      ['consulta_folio', 'wrong', 0],
      ['consulta_folio', 'wrong', 0],
      ['horario_atencion', 'resolved', 100],
    ] as const) {
      const turn = await botConversation(world, productionId, { utterance: 'consulta', intent });
      await db()
        .insertInto('bot_outcomes')
        .values({ session_id: turn.sessionId, conversation_id: turn.conversationId, campaign_id: campaignId, channel_id: channelId, model_id: productionId, intent, outcome, weight_pct: weight })
        .execute();
    }

    await admin.getByRole('tab', { name: 'No reconocidas' }).click();
    const row = admin.getByRole('row', { name: /¿a qué hora puedo ir a la clínica\?/ });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toContain(pending.folio);
    const picker = admin.getByLabel('Intención para «¿a qué hora puedo ir a la clínica?»');
    await expect.poll(() => picker.inputValue()).toBe('horario_atencion');
    await row.getByRole('button', { name: 'Agregar a intención' }).click();
    await admin.getByText('Se agregó «¿a qué hora puedo ir a la clínica?» a «horario_atencion» en el borrador. El borrador cambió: entrénelo y promuévalo para que el asistente la use.').waitFor({ timeout: 10_000 });
    await admin.getByText('No hay frases pendientes de revisar.').waitFor();
    expect(await statuses()).toEqual(['1:production', '2:archived', '3:draft']);
    const draft = await db().selectFrom('bot_models').select('model').where('campaign_id', '=', campaignId).where('version', '=', 3).executeTakeFirstOrThrow();
    expect(botModelSchema.parse(draft.model).intents.find((i) => i.name === 'horario_atencion')?.phrases.es).toContain('¿a qué hora puedo ir a la clínica?');

    await admin.getByRole('tab', { name: 'Métricas' }).click();
    const table = admin.getByRole('region', { name: 'Métricas por intención' });
    const folio = table.getByRole('row', { name: /consulta_folio/ });
    await folio.waitFor({ timeout: 10_000 });
    expect(await folio.innerText()).toMatch(/consulta_folio\s+2\s+0\.0 %\s+0\.0 %\s+0\.0 %\s+2\s+Respuesta incorrecta repetida/);
    expect(await table.getByRole('row', { name: /horario_atencion/ }).innerText()).not.toContain('Respuesta incorrecta repetida');
    expect(await admin.locator('.ic-kpi', { hasText: 'Interacciones facturables ponderadas' }).innerText()).toMatch(/\n1$/);
    expect(await admin.locator('.ic-kpi', { hasText: 'Contención' }).innerText()).toContain('33.3 %');

    await screenshot(page, 'intent-console-metrics');
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  }, 60_000);

  it('exports a version as JSON and imports it back as a new draft; a model with a dangling step is refused with its path', async () => {
    const admin = page.getByRole('dialog');
    await admin.getByRole('tab', { name: 'Versiones' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), admin.getByRole('button', { name: 'Exportar JSON de la versión 1' }).click()]);
    expect(download.suggestedFilename()).toBe('bot-model-v1.json');
    const path = await download.path();
    const exported: unknown = JSON.parse(await readFile(path, 'utf8'));
    expect(botModelSchema.parse(exported).intents.map((i) => i.name)).toEqual(['consulta_folio', 'horario_atencion', 'hablar_agente']);

    const input = admin.locator('input[type="file"]');
    const broken = { ...botModelSchema.parse(exported), flows: [{ id: 'citas', start: 'inicio', steps: { inicio: { type: 'message', text: { es: 'Hola' }, next: 'no-existe' } } }] };
    await input.setInputFiles({ name: 'modelo-roto.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
    const refused = admin.getByRole('alert').filter({ hasText: 'No se pudo importar «modelo-roto.json»' });
    await expect.poll(() => refused.innerText(), { timeout: 10_000 }).toContain('flows.citas.steps.inicio.next: El paso «inicio» apunta a «no-existe»');
    await input.setInputFiles({ name: 'no-es-json.json', mimeType: 'application/json', buffer: Buffer.from('{"name": ') });
    await admin.getByRole('alert').filter({ hasText: 'No se pudo importar «no-es-json.json»' }).getByText(/El archivo no es JSON válido/).waitFor();
    expect(await statuses()).toEqual(['1:production', '2:archived', '3:draft']);

    await input.setInputFiles({ name: 'bot-model-v1.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) });
    await admin.getByText('Se importó el modelo como borrador v4.').waitFor({ timeout: 10_000 });
    await row(admin, 4).getByText('borrador').waitFor();
    expect(await statuses()).toEqual(['1:production', '2:archived', '3:draft', '4:draft']);
  }, 60_000);

  it('shows the console read-only to a supervisor of the campaign', async () => {
    const supervisor = await openStaffPage(browser, hub.url!, { email: 'sofia.bot@example.mx', password }, { width: 1440, height: 960 });
    try {
      await supervisor.getByRole('button', { name: 'Administración' }).click();
      const admin = supervisor.getByRole('dialog');
      await admin.getByRole('button', { name: 'Consola de intenciones' }).click();
      await admin.getByText('Solo lectura: el modelo lo cambian los entrenadores de bots de la campaña y los administradores.').first().waitFor({ timeout: 10_000 });
      await row(admin, 1).getByText('producción').waitFor();
      expect(await admin.getByRole('button', { name: 'Nuevo borrador' }).count()).toBe(0);
      expect(await admin.getByRole('button', { name: /^Promover a producción/ }).count()).toBe(0);
      expect(await admin.getByRole('button', { name: 'Exportar JSON de la versión 1' }).count()).toBe(1);
      await admin.getByRole('button', { name: 'Abrir la versión 4 en el editor' }).click();
      await admin.getByRole('heading', { name: 'Versión 4 · borrador' }).waitFor({ timeout: 10_000 });
      expect(await admin.getByRole('button', { name: 'Guardar', exact: true }).count()).toBe(0);
      expect(await admin.getByLabel('Umbral de confianza (0.1 a 0.99)').getAttribute('readonly')).not.toBeNull();
      await admin.getByRole('tab', { name: 'Probar' }).click();
      await admin.getByText('Las pruebas las hacen los entrenadores de bots de la campaña y los administradores.').waitFor();
    } finally {
      await supervisor.context().close();
    }
  }, 60_000);
});
