import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { createCampaign, createUser } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { insertFacts, times } from '../sla/sla-fixtures.js';
import { ensureInboxBuilt, launchChromium, openStaffPage, screenshot } from './e2e-support.js';

/**
 * «Niveles de servicio (SLA)» in Chromium (issue 9 items 3 and 7): the admin sees the hub's
 * Spanish problem next to a bad target, saves and activates the table, runs a month, adjusts a
 * row with a reason and validates it; the database holds what the screen said.
 */
describe('SLA section of the admin console', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  let hub: HubProcess;
  let browser: Browser;
  let page: Page;
  let campaignId: string;
  const password = 'Clave-Segura-2026';
  const db = () => hub.ctx.db.kysely;

  beforeAll(async () => {
    ensureInboxBuilt();
    hub = await startHubProcess(config);
    campaignId = (await createCampaign(db(), { name: 'Orientación SLA', prefix: 'SLA' })).id;
    await createUser(db(), { roles: ['admin'], email: 'ana.sla@example.mx', password, name: 'Ana Administradora' });
    await db().insertInto('sla_contracts').values({ campaign_id: campaignId, contract_start_month: '2026-01', max_contract_amount_cents: 500_000_000 }).execute();
    await db().insertInto('sla_invoices').values({ campaign_id: campaignId, month: '2026-03', amount_cents: 100_000_000 }).execute();
    // 10 % abandonment on one day of March.
    await insertFacts(db(), campaignId, [...times(9, { receivedAt: '2026-03-02T10:00:00-06:00', answerWaitS: 5, talkS: 60 }), ...times(1, { receivedAt: '2026-03-02T12:00:00-06:00', answerWaitS: null })]);
    browser = await launchChromium();
    page = await openStaffPage(browser, hub.url!, { email: 'ana.sla@example.mx', password });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('shows the table’s Spanish problems, activates it, runs March, adjusts a row with a reason and validates', async () => {
    await page.getByRole('button', { name: 'Administración' }).click();
    const admin = page.getByRole('dialog');
    await admin.getByRole('button', { name: 'Niveles de servicio (SLA)' }).click();
    await admin.getByLabel('Mes', { exact: true }).fill('2026-03');

    await admin.getByRole('tab', { name: 'Tabla de niveles de servicio' }).click();
    const target = admin.getByRole('group', { name: 'Fila 1', exact: true }).getByLabel('Meta', { exact: true });
    await target.fill('-1');
    await admin.getByRole('button', { name: 'Guardar borrador' }).click();
    await admin.getByText('debe ser ≥ 0').waitFor({ timeout: 10_000 });
    expect(await target.getAttribute('aria-invalid')).toBe('true');
    await target.fill('5');
    await admin.getByRole('button', { name: 'Guardar borrador' }).click();
    await admin.getByRole('button', { name: 'Activar borrador' }).click();
    await admin.getByText('Versión activa: 1').waitFor({ timeout: 10_000 });

    await admin.getByRole('tab', { name: 'Evaluación del mes' }).click();
    await admin.getByRole('button', { name: 'Calcular el mes' }).click();
    const row = admin.getByRole('region', { name: 'Porcentaje de abandono (mes 1 al 6)' });
    await row.waitFor({ timeout: 20_000 });
    // (10 − 5) × 0.5 × 5 % × $1,000,000 = $125,000.00
    await row.getByText('$125,000.00').first().waitFor();
    await row.getByRole('button', { name: 'Ajustar' }).click();
    await row.getByLabel('Importe ajustado').fill('100,000.00');
    await row.getByLabel('Motivo (obligatorio)').fill('Falla eléctrica regional: fuerza mayor');
    await row.getByRole('button', { name: 'Guardar ajuste' }).click();
    await row.getByText('Ajustada: Falla eléctrica regional: fuerza mayor').waitFor({ timeout: 10_000 });
    await admin.getByRole('button', { name: 'Validar el mes' }).click();
    await page.getByRole('dialog', { name: 'Validar el mes' }).getByRole('button', { name: 'Validar el mes' }).click();
    await admin.getByText('Validada por Ana Administradora', { exact: false }).waitFor({ timeout: 10_000 });
    await screenshot(page, 'sla-admin-validated');

    const stored = await db().selectFrom('sla_evaluations').select(['status', 'final_cents']).where('campaign_id', '=', campaignId).where('month', '=', '2026-03').executeTakeFirstOrThrow();
    expect(stored.status).toBe('validated');
    // The adjusted $100,000.00 plus survey transfer 0 % of 9 calls: (75 − 0) × 0.2 × 2 % × $1,000,000 = $300,000.00.
    expect(Number(stored.final_cents)).toBe(40_000_000);
    const decision = await db().selectFrom('sla_evaluation_decisions').select(['decision', 'reason']).where('row_id', '=', 'abandono-m1-6').executeTakeFirstOrThrow();
    expect(decision).toEqual({ decision: 'adjusted', reason: 'Falla eléctrica regional: fuerza mayor' });
  });
});
