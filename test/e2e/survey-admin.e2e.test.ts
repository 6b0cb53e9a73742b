import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createClosedConversation } from '../surveys/survey-fixtures.js';
import { ensureInboxBuilt, launchChromium, screenshot, seriousViolations } from './e2e-support.js';

/**
 * The admin console's "Encuesta de salida" section in Chromium (issue 5 item 4): a supervisor
 * edits a question (its id stays), adds and reorders one from the keyboard, is stopped by the
 * browser's own check, saves (audited), then sees a response written in SQL in the results —
 * with no serious axe violations.
 */
describe('exit survey in the admin console', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  let hub: HubProcess;
  let browser: Browser;
  let page: Page;
  let campaignId: string;
  let channelId: string;
  let supervisorId: string;
  let agentId: string;
  const password = 'Clave-Segura-2026';
  const db = () => hub.ctx.db.kysely;
  const storedQuestions = async () => {
    const row = await db().selectFrom('campaigns').select('settings').where('id', '=', campaignId).executeTakeFirstOrThrow();
    const survey: unknown = row.settings['survey'];
    return survey !== null && typeof survey === 'object' && 'questions' in survey ? survey.questions : null;
  };

  beforeAll(async () => {
    ensureInboxBuilt();
    hub = await startHubProcess(config);
    campaignId = (await createCampaign(db(), { name: 'Derechohabientes', prefix: 'ENC' })).id;
    channelId = (await createApiChannel(db(), campaignId)).channel.id;
    supervisorId = (await createUser(db(), { roles: ['supervisor'], campaignIds: [campaignId], email: 'sofia.enc@example.mx', password, name: 'Sofía Supervisora' })).id;
    agentId = (await createUser(db(), { roles: ['agent'], campaignIds: [campaignId], name: 'Ana Básica' })).id;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'es-MX', reducedMotion: 'reduce' });
    page = await context.newPage();
    await page.goto(hub.url!);
    await page.getByLabel('Correo electrónico').fill('sofia.enc@example.mx');
    await page.getByLabel('Contraseña').fill(password);
    await page.getByRole('button', { name: 'Entrar' }).click();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('edits, adds and reorders questions from the keyboard; a too-short text is refused before sending; the save is stored and audited', async () => {
    await page.getByRole('button', { name: 'Administración' }).click();
    const admin = page.getByRole('dialog');
    await admin.getByRole('button', { name: 'Encuesta de salida' }).click();
    const first = admin.getByLabel('Pregunta 1', { exact: true });
    await expect.poll(() => first.inputValue(), { timeout: 10_000 }).toBe('¿Le atendieron en un tiempo razonable?');
    await admin.getByText('Clave: atencion_oportuna').waitFor();

    await first.fill('¿Le atendieron a tiempo?');
    await admin.getByRole('button', { name: 'Agregar pregunta' }).click();
    const added = admin.getByLabel('Pregunta 13', { exact: true });
    // The new question's field has the focus; its id is shown as it will be saved.
    await expect.poll(() => added.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('¿Le resultó fácil usar el portal?');
    await admin.getByText('Clave nueva: le_resulto_facil_usar_el_portal (se asigna al guardar)').waitFor();

    // Keyboard reorder: the focus follows the question to its new place, and it is announced.
    await admin.getByRole('button', { name: 'Subir la pregunta 13' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Subir la pregunta 12');
    await admin.getByText('La pregunta quedó en la posición 12 de 13.').waitFor({ state: 'attached' });
    expect(await admin.getByLabel('Pregunta 12', { exact: true }).inputValue()).toBe('¿Le resultó fácil usar el portal?');

    const second = admin.getByLabel('Pregunta 2', { exact: true });
    await second.fill('ab');
    await admin.getByRole('button', { name: 'Guardar encuesta' }).click();
    await admin.getByText('Mínimo 3 caracteres.').waitFor({ timeout: 5000 });
    expect(await second.getAttribute('aria-invalid')).toBe('true');
    expect(await storedQuestions()).toBeNull();
    await screenshot(page, 'survey-admin-invalid');

    await second.fill('¿La persona que le atendió se identificó?');
    await admin.getByRole('button', { name: 'Guardar encuesta' }).click();
    await admin.getByText('Encuesta guardada.').waitFor({ timeout: 5000 });
    const questions = await storedQuestions();
    expect(Array.isArray(questions) ? questions.length : null).toBe(13);
    expect(Array.isArray(questions) ? [questions[0], questions[1], questions[11], questions[12]] : null).toEqual([
      // Edited texts keep their ids: answers given before keep their meaning.
      { id: 'atencion_oportuna', text: '¿Le atendieron a tiempo?' },
      { id: 'saludo_identificacion', text: '¿La persona que le atendió se identificó?' },
      { id: 'le_resulto_facil_usar_el_portal', text: '¿Le resultó fácil usar el portal?' },
      { id: 'usaria_de_nuevo', text: '¿Volvería a usar este medio de atención?' },
    ]);
    const audit = await db().selectFrom('audit_log').select(['actor_user_id', 'target_id']).where('action', '=', 'survey.settings_updated').execute();
    expect(audit).toEqual([{ actor_user_id: supervisorId, target_id: campaignId }]);
    await admin.getByText('Clave: le_resulto_facil_usar_el_portal').waitFor();
  }, 60_000);

  it('shows a response in the results: satisfaction with the contract formula, per question and per agent', async () => {
    const admin = page.getByRole('dialog');
    const conversation = await createClosedConversation(db(), campaignId, channelId);
    const response = await db()
      .insertInto('survey_responses')
      .values({
        conversation_id: conversation.id,
        campaign_id: campaignId,
        folio: conversation.folio,
        channel_id: channelId,
        rating: 4,
        comment: 'Muy amable',
        answers: JSON.stringify({ atencion_oportuna: true, le_resulto_facil_usar_el_portal: true, folio_recibido: false, trato_amable: true }),
        yes_count: 3,
        no_count: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db().insertInto('survey_agent_ratings').values({ response_id: response.id, agent_id: agentId, tier: 'PS-I', rating: 5 }).execute();

    await admin.getByRole('button', { name: 'Consultar' }).click();
    const satisfaction = admin.locator('.survey-kpi', { hasText: 'Satisfacción' });
    await expect.poll(() => satisfaction.innerText(), { timeout: 10_000 }).toMatch(/75\.00 %/);
    expect(await satisfaction.innerText()).toContain('Debajo de la meta');
    expect(await satisfaction.innerText()).toContain('sí ÷ (sí + no) × 100; meta 85 %');
    expect(await admin.locator('.survey-kpi', { hasText: 'Calificación promedio' }).innerText()).toContain('4.00 de 5');

    const byQuestion = admin.getByRole('table', { name: /Respuestas por pregunta/ });
    expect(await byQuestion.getByRole('row', { name: /¿Le atendieron a tiempo\?/ }).innerText()).toMatch(/1\s+0\s+100\.00/);
    expect(await byQuestion.getByRole('row', { name: /¿Recibió un número de folio/ }).innerText()).toMatch(/0\s+1\s+0\.00/);
    expect(await byQuestion.getByRole('rowheader', { name: '¿Le resultó fácil usar el portal?' }).count()).toBe(1);
    const byAgent = admin.getByRole('table', { name: /Calificación por agente/ });
    expect(await byAgent.getByRole('row', { name: /Ana Básica/ }).innerText()).toMatch(/Ana Básica\s+PS-I \(primer nivel\)\s+1\s+5\.00/);

    // A period with no responses says so; a reversed one is refused on its field.
    await admin.getByLabel('Desde').fill('2020-01-01');
    await admin.getByLabel('Hasta (incluido)').fill('2019-12-31');
    await admin.getByRole('button', { name: 'Consultar' }).click();
    await admin.getByText('«Hasta» no puede ser anterior a «Desde».').waitFor();
    await admin.getByLabel('Hasta (incluido)').fill('2020-01-31');
    await admin.getByRole('button', { name: 'Consultar' }).click();
    await admin.getByText('Nadie respondió la encuesta en este periodo.').waitFor({ timeout: 10_000 });
    await admin.getByLabel('Desde').fill('2000-01-01');
    await admin.getByLabel('Hasta (incluido)').fill('2099-12-31');
    await admin.getByRole('button', { name: 'Consultar' }).click();
    await expect.poll(() => satisfaction.innerText(), { timeout: 10_000 }).toMatch(/75\.00 %/);

    await screenshot(page, 'survey-admin-results');
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  }, 60_000);
});
