import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { drawMonthlySample } from '../../hub/src/quality/draw-sample.usecase.js';
import { DEFAULT_SCORECARD_ITEMS, DEFAULT_SCORECARD_NAME } from '../../hub/src/quality/scorecard.schema.js';
import { monthOf, shiftMonth } from '../../inbox-ui/src/quality/quality-state.js';
import { createCampaign, createUser } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { attendedConversation, createChannel, deriveFactsNow } from '../quality/quality-fixtures.js';
import { ensureInboxBuilt, launchChromium, openStaffPage, screenshot, seriousViolations } from './e2e-support.js';

/**
 * «Calidad» in Chromium (issue 9 item 8): a user whose only role is quality analyst logs in, gets
 * the quality screen (no inbox, no live traffic), opens a sampled conversation, scores it beside
 * its transcript, and the month's KPI shows Σ / N.
 */
describe('quality analyst screen', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  let hub: HubProcess;
  let browser: Browser;
  let page: Page;
  let campaignId: string;
  let sampleId: string;
  // The previous local month: always complete, whatever day the suite runs.
  const month = shiftMonth(monthOf(new Date(), 'America/Mexico_City'), -1);
  const password = 'Clave-Segura-2026';
  const db = () => hub.ctx.db.kysely;

  beforeAll(async () => {
    ensureInboxBuilt();
    hub = await startHubProcess(config);
    campaignId = (await createCampaign(db(), { name: 'Derechohabientes', prefix: 'CAL' })).id;
    const channel = await createChannel(db(), campaignId, 'webchat');
    const agent = await createUser(db(), { roles: ['agent'], campaignIds: [campaignId], name: 'Beto Agente' });
    await createUser(db(), { roles: ['quality_analyst'], campaignIds: [campaignId], email: 'carla.calidad@example.mx', password, name: 'Carla Calidad' });
    await attendedConversation(db(), { campaignId, channelId: channel.id, channelKind: 'webchat', agentId: agent.id, answeredAt: new Date(`${month}-10T16:00:00Z`), citizenText: '¿Dónde tramito mi pensión?' });
    await deriveFactsNow(db());
    await db().insertInto('quality_scorecards').values({ campaign_id: campaignId, name: DEFAULT_SCORECARD_NAME, version: 1, status: 'active', items: JSON.stringify(DEFAULT_SCORECARD_ITEMS) }).execute();
    const drawn = await drawMonthlySample(db(), { campaignId, channelKind: 'webchat', month }, { userId: null, label: 'scheduler' });
    sampleId = drawn!.sampleId;
    browser = await launchChromium();
    page = await openStaffPage(browser, hub.url!, { email: 'carla.calidad@example.mx', password });
    page.setDefaultTimeout(10_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('opens a sampled conversation, scores it beside the transcript, and the KPI shows Σ / N', async () => {
    await page.getByRole('heading', { name: 'Calidad', level: 1 }).waitFor({ timeout: 15_000 });
    // No agent seat and no conversation list: the inbox is not rendered at all.
    expect(await page.locator('aside.rail').count()).toBe(0);
    await page.getByLabel('Mes', { exact: true }).selectOption(month);
    await page.getByText('webchat · 0 de 100 evaluadas · 1 sorteadas de 1 atendidas').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Abrir muestra (webchat)' }).click();
    await page.getByRole('button', { name: /^Evaluar CAL/ }).click();
    await page.getByText('¿Dónde tramito mi pensión?').waitFor({ timeout: 10_000 });
    await page.getByText(/Asignada a.*Beto Agente/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    for (const item of DEFAULT_SCORECARD_ITEMS) {
      const group = page.getByRole('group', { name: new RegExp(`^${item.label.slice(0, 20).replace(/[()]/g, '.')}`) });
      await group.getByLabel(item.id === 'cortesia' ? 'No cumple' : 'Cumple', { exact: true }).check();
    }
    await page.getByLabel('Comentario de «Cortesía y etiqueta (telefónica o escrita)»').fill('No se despidió');
    await page.getByText('Calificación: 90.00 de 100').waitFor();
    await screenshot(page, 'quality-evaluation');
    await page.getByRole('button', { name: 'Guardar evaluación' }).click();
    await page.getByText('Evaluación guardada: 90.00').waitFor({ timeout: 10_000 });

    const stored = await db().selectFrom('quality_evaluations').selectAll().where('sample_id', '=', sampleId).executeTakeFirstOrThrow();
    expect(Number(stored.score)).toBe(90);
    expect(stored.answers['cortesia']).toEqual({ met: false, comment: 'No se despidió' });

    await page.getByRole('button', { name: 'Volver' }).first().click();
    await page.getByRole('button', { name: 'Volver' }).first().click();
    // One monitoring of 90 over the contractual 100.
    await page.getByText('90 / 100 = 0.90 %').first().waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('quality-kpi-value').textContent()).toBe('0.90 %');
    await page.getByText('webchat · 1 de 100 evaluadas · 1 sorteadas de 1 atendidas').waitFor();
    await page.getByText('Beto Agente: 90.00 en 1 evaluaciones').waitFor();
    await screenshot(page, 'quality-kpi');
  }, 120_000);
});
