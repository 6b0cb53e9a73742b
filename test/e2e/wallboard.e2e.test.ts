import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { createQueue } from '../support/router-factories.js';
import { bearer, tokenFor } from '../support/auth.js';
import { messageBody, signedHeaders } from '../support/webhook.js';
import { ensureInboxBuilt, launchChromium, openStaffPage, screenshot } from './e2e-support.js';

/**
 * Issue 9 item 4 in Chromium: a supervisor opens the live wallboard; a citizen writes and an
 * agent changes state in the hub, and the board shows it without a reload; a threshold set on
 * the board turns into a visible alert (icon and text) when the line passes it.
 */
describe('live wallboard in the browser', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', ROUTER_SWEEP_INTERVAL_MS: '200' });
  let hub: HubProcess;
  let browser: Browser;
  let page: Page;
  let channel: { id: string; secret: string };
  let agentToken: string;
  const db = () => hub.ctx.db.kysely;
  const trail: string[] = [];

  async function citizenWrites(n: number): Promise<void> {
    const body = messageBody({ id: `wb-e2e-${n}-${Date.now()}`, phone: `55 3000 ${String(1000 + n)}`, name: `Ciudadano ${n}`, text: 'Buenas tardes' });
    const res = await fetch(`${hub.url}/webhooks/api/${channel.id}`, { method: 'POST', headers: signedHeaders(channel.secret, body), body });
    expect(res.status).toBe(200);
  }

  const card = (key: string) => page.getByTestId(`wb-total-${key}`).locator('dd');

  beforeAll(async () => {
    ensureInboxBuilt();
    hub = await startHubProcess(config);
    const campaign = await createCampaign(db(), { name: 'Pensiones', prefix: 'WBE' });
    // The campaign's measuring rules, as the admin saves them under «Niveles de servicio (SLA)».
    await db()
      .insertInto('sla_contracts')
      .values({ campaign_id: campaign.id, contract_start_month: '2026-01', max_contract_amount_cents: 100_000_000, service_level_denominator: 'received', service_level_threshold_seconds: 30, short_abandon_threshold_seconds: 5 })
      .execute();
    await createQueue(db(), campaign.id, { name: 'Orientación', isDefault: true });
    const created = await createApiChannel(db(), campaign.id);
    channel = { id: created.channel.id, secret: created.secret };
    const agent = await createUser(db(), { roles: ['agent'], campaignIds: [campaign.id], name: 'Luis Agente' });
    agentToken = await tokenFor(db(), agent.id);
    const state = await fetch(`${hub.url}/api/v1/agents/me/state`, { method: 'PUT', headers: { ...bearer(agentToken), 'content-type': 'application/json' }, body: JSON.stringify({ state: 'lunch' }) });
    expect(state.status).toBe(200);
    const supervisor = await createUser(db(), { roles: ['supervisor'], campaignIds: [campaign.id], name: 'Sofía Supervisora' });
    browser = await launchChromium();
    page = await openStaffPage(browser, hub.url!, { email: supervisor.email, password: supervisor.password });
    // What the page did, printed if a test fails (a stall here in CI could not be reproduced alone).
    page.on('console', (m) => trail.push(`console.${m.type()}: ${m.text().slice(0, 300)}`));
    page.on('pageerror', (e) => trail.push(`pageerror: ${e.message.slice(0, 300)}`));
    page.on('requestfailed', (r) => trail.push(`requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('response', (r) => {
      if (r.status() >= 400) trail.push(`response ${r.status()}: ${r.request().method()} ${r.url()}`);
    });
  }, 240_000);

  afterEach((context) => {
    if (context.task.result?.state === 'fail') console.error(`wallboard page trail (${trail.length}):\n${trail.slice(-80).join('\n')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('opens the board from the top bar with the campaign’s line and agents', async () => {
    await page.getByRole('button', { name: 'Tablero en vivo' }).click();
    await page.getByRole('heading', { name: 'Tablero en vivo · Pensiones' }).waitFor();
    await expect.poll(() => card('waiting').textContent(), { timeout: 10_000 }).toBe('0');
    await page.getByRole('row', { name: /Luis Agente/ }).getByText('Comida').waitFor();
    await page.getByText('Sin alertas').waitFor();
    // The rules it applies, and where they are edited (the board edits none).
    const rules = (await page.getByTestId('wb-rules').textContent()) ?? '';
    expect(rules).toContain('nivel de servicio sobre recibidas en 30 s');
    expect(rules).toContain('los abandonos de menos de 5 s no cuentan');
    expect(rules).toContain('«Niveles de servicio (SLA)»');
  });

  it('a citizen writing and an agent coming back change the figures without a reload', async () => {
    await citizenWrites(1);
    await expect.poll(() => card('waiting').textContent(), { timeout: 5_000 }).toBe('1');
    // The longest wait ticks in the browser from the snapshot's instant.
    await expect.poll(async () => (await card('longest').textContent()) !== '0:00', { timeout: 5_000 }).toBe(true);
    const res = await fetch(`${hub.url}/api/v1/agents/me/state`, { method: 'PUT', headers: { ...bearer(agentToken), 'content-type': 'application/json' }, body: JSON.stringify({ state: 'available' }) });
    expect(res.status).toBe(200);
    await expect.poll(() => card('waiting').textContent(), { timeout: 5_000 }).toBe('0');
    await page.getByRole('row', { name: /Luis Agente/ }).getByText('Disponible').waitFor();
  });

  it('a threshold set on the board becomes a visible alert when the line passes it', async () => {
    await page.getByText('Umbrales de alerta').click();
    await page.getByLabel('Métrica').selectOption('waiting');
    await page.getByLabel('Valor').fill('0');
    await page.getByRole('button', { name: 'Agregar umbral' }).click();
    await page.getByText('Campaña · En espera > 0').waitFor();
    // The agent goes to lunch; the next citizen waits and the alert starts.
    const res = await fetch(`${hub.url}/api/v1/agents/me/state`, { method: 'PUT', headers: { ...bearer(agentToken), 'content-type': 'application/json' }, body: JSON.stringify({ state: 'lunch' }) });
    expect(res.status).toBe(200);
    await citizenWrites(2);
    const alert = page.locator('.wb-alert');
    await alert.waitFor({ timeout: 5_000 });
    const text = (await alert.textContent()) ?? '';
    expect(text).toMatch(/Campaña: En espera \d+ \(más de 0\) desde/);
    // The alert's figure is the board's own.
    expect(/En espera (\d+)/.exec(text)?.[1]).toBe(await card('waiting').textContent());
    expect(await alert.locator('svg').count()).toBe(1);
    await screenshot(page, 'wallboard-alert');
  });
});
