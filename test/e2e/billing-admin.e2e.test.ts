import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { createCampaign, createUser } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { ensureInboxBuilt, launchChromium, openStaffPage, screenshot, seriousViolations } from './e2e-support.js';

/**
 * «Facturación» in Chromium (issue 10 item 9): the campaign admin opens October's statement built
 * from its usage facts, sees the IVR minutes floored with the remainder not billed, follows the
 * line to its folios (two pages), downloads the CSV, adds a penalty and sees the total drop, is
 * told in Spanish why November cannot be closed, closes October (CERRADO, frozen in the
 * database); a supervisor reads the same statement with no way to close it.
 *
 * Figures (default rate card, seed-digest §5.7): IVR $0.42/min, outbound email $17.74/message,
 * help desk $20,285.78 a month (fixed), IVA 16 %.
 */
describe('billing section of the admin console', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  let hub: HubProcess;
  let browser: Browser;
  let page: Page;
  let campaignId: string;
  let prefix: string;
  const password = 'Clave-Segura-2026';
  const MONTH = '2026-10';
  const db = () => hub.ctx.db.kysely;

  /** A resolved conversation with a readable folio (`FAC-…-0007`) on the given channel. */
  const conversation = async (channelId: string, n: number): Promise<{ id: string; folio: string }> => {
    const contact = await db().insertInto('contacts').values({ display_name: `Ciudadana ${n}` }).returning('id').executeTakeFirstOrThrow();
    const folio = `${prefix}-${String(n).padStart(4, '0')}`;
    const row = await db()
      .insertInto('conversations')
      .values({ folio, campaign_id: campaignId, channel_id: channelId, contact_id: contact.id, status: 'resolved', closed_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, folio };
  };
  const channel = async (kind: 'voice' | 'email'): Promise<string> =>
    (await db().insertInto('channels').values({ campaign_id: campaignId, kind, name: `Canal ${kind}`, settings: '{}' }).returning('id').executeTakeFirstOrThrow()).id;
  /** October 2026, Mexico City wall time (UTC−06:00). */
  const october = (day: number, minute: number): Date => new Date(`2026-10-${String(day).padStart(2, '0')}T10:${String(minute).padStart(2, '0')}:00-06:00`);

  /** A metered inbound call: its voice_usage_facts as the voice metering writes them (issue 8). */
  const call = async (voiceId: string, n: number, spans: { concept: 'ivr_seconds' | 'talk_seconds'; ms: number }[]) => {
    const conv = await conversation(voiceId, n);
    const sid = `CA${campaignId.replace(/-/g, '').slice(0, 28)}${String(n).padStart(4, '0')}`;
    await db()
      .insertInto('voice_calls')
      .values({ call_sid: sid, channel_id: voiceId, campaign_id: campaignId, conversation_id: conv.id, kind: 'inbound', direction: 'inbound', from_number: '+525511112222', to_number: '+528001234567', status: 'completed' })
      .execute();
    let at = october(5 + (n % 20), n % 60).getTime();
    await db()
      .insertInto('voice_usage_facts')
      .values(
        spans.map((s, i) => {
          const row = {
            call_sid: sid,
            seq: i + 1,
            campaign_id: campaignId,
            conversation_id: conv.id,
            folio: conv.folio,
            call_kind: 'inbound',
            concept: s.concept,
            unit: 'second' as const,
            quantity: Math.floor(s.ms / 1000),
            duration_ms: s.ms,
            agent_id: null,
            seat_type: s.concept === 'talk_seconds' ? ('PS-I' as const) : null,
            started_at: new Date(at),
            ended_at: new Date(at + s.ms),
            detail: '{}',
          };
          at += s.ms;
          return row;
        }),
      )
      .execute();
  };

  /**
   * An email an agent wrote to the citizen (queued by the agent, then sent); `tier2` when the case
   * went to the second level (billed at 50 %).
   */
  const email = async (emailId: string, agentId: string, n: number, tier2: boolean) => {
    const conv = await conversation(emailId, n);
    const messageId = randomUUID();
    const event = (type: string, at: Date, payload: Record<string, unknown>, actor: { type: 'agent' | 'system'; id: string | null }, withMessage: boolean) =>
      db()
        .insertInto('interaction_events')
        .values({ type, occurred_at: at, campaign_id: campaignId, conversation_id: conv.id, message_id: withMessage ? messageId : null, actor_type: actor.type, actor_id: actor.id, payload: JSON.stringify(payload) })
        .execute();
    if (tier2) await event('conversation.transferred', october(6, n % 60), { kind: 'tier2' }, { type: 'system', id: null }, false);
    await event('message.queued', october(7, n % 60), {}, { type: 'agent', id: agentId }, true);
    await event('message.sent', october(7, n % 60), {}, { type: 'system', id: null }, true);
  };

  beforeAll(async () => {
    ensureInboxBuilt();
    hub = await startHubProcess(config);
    const campaign = await createCampaign(db(), { name: 'Orientación IMSS', prefix: 'FAC' });
    campaignId = campaign.id;
    prefix = campaign.folio_prefix;
    await createUser(db(), { roles: ['admin'], email: 'ana.fac@example.mx', password, name: 'Ana Administradora' });
    await createUser(db(), { roles: ['supervisor'], campaignIds: [campaignId], email: 'sofia.fac@example.mx', password, name: 'Sofía Supervisora' });
    await createUser(db(), { roles: ['auditor'], campaignIds: [campaignId], email: 'aurelio.fac@example.mx', password, name: 'Aurelio Auditor' });
    // The contract starts in October; its maximum sets the penalties' global cap (10 % of $5,000,000).
    await db().insertInto('sla_contracts').values({ campaign_id: campaignId, contract_start_month: MONTH, max_contract_amount_cents: 500_000_000 }).execute();
    const voiceId = await channel('voice');
    const emailId = await channel('email');
    // IVR: 20 calls of 25 s and one of 5.5 s = 505.5 s = 8 × 60 + 25.5 → 8 minutes billed, 25.5 s not.
    for (let n = 1; n <= 20; n += 1) await call(voiceId, n, [{ concept: 'ivr_seconds', ms: 25_000 }]);
    await call(voiceId, 21, [{ concept: 'ivr_seconds', ms: 5_500 }]);
    // A call an agent talked on with no recording: excluded across its trace (IVR too), never billed.
    await call(voiceId, 22, [
      { concept: 'ivr_seconds', ms: 100_000 },
      { concept: 'talk_seconds', ms: 60_000 },
    ]);
    // Email: two resolved (100 %) and one sent to tier 2 (50 %) = 2.5 messages.
    const agentId = (await createUser(db(), { roles: ['agent'], campaignIds: [campaignId], name: 'Andrés Agente' })).id;
    await email(emailId, agentId, 23, false);
    await email(emailId, agentId, 24, false);
    await email(emailId, agentId, 25, true);
    browser = await launchChromium();
    page = await openStaffPage(browser, hub.url!, { email: 'ana.fac@example.mx', password }, { width: 1440, height: 960 }, { acceptDownloads: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await dropNamespaces(config);
  });

  const openBilling = async (p: Page): Promise<Locator> => {
    await p.getByRole('button', { name: 'Administración' }).click();
    const admin = p.getByRole('dialog');
    await admin.getByRole('button', { name: 'Facturación', exact: true }).click();
    await admin.getByLabel('Mes', { exact: true }).fill(MONTH);
    return admin;
  };
  const total = (admin: Locator) => admin.getByRole('region', { name: 'Totales' });

  it('shows October’s statement, its folios page by page, the CSV, a penalty lowering the total, and closes the month', async () => {
    const admin = await openBilling(page);
    const table = admin.getByRole('table', { name: 'Estado de cuenta' });
    await admin.getByText('Estado: ABIERTO').waitFor({ timeout: 20_000 });
    // Reading a statement does not derive usage: only the fixed help desk is there until the admin recomputes.
    await table.getByRole('row').filter({ hasText: 'Mesa de ayuda' }).first().waitFor();
    expect(await table.getByRole('row').filter({ hasText: 'Minutos de IVR' }).count()).toBe(0);
    await admin.getByRole('button', { name: 'Recalcular el consumo' }).click();
    // 21 IVR facts + 2 excluded (IVR and talk of call 22) + 3 emails = 26 new facts.
    await page.getByText('Consumo recalculado: 26 hechos nuevos, 0 cambiados, 0 eliminados, 0 sin cambio.').waitFor({ timeout: 20_000 });
    await table.getByRole('row').filter({ hasText: 'Minutos de IVR' }).first().waitFor({ timeout: 20_000 });

    const ivr = table.getByRole('row').filter({ hasText: 'Minutos de IVR' }).first();
    // 505.5 s → 8 min × $0.42 = $3.36; 8:25.500 exact, 0:25.500 not billed.
    expect(await ivr.innerText()).toContain('8 min');
    expect(await ivr.innerText()).toContain('8:25.500 exactos; remanente 0:25.500 no facturado');
    expect(await ivr.innerText()).toContain('$3.36');
    const email = table.getByRole('row').filter({ hasText: 'Correo electrónico de salida' }).first();
    // 2.5 × $17.74 = $44.35.
    expect(await email.innerText()).toContain('2.5');
    expect(await email.innerText()).toContain('$44.35');
    // Subtotal 336 + 4,435 + 2,028,578 (help desk) = 2,033,349 ¢; IVA 16 % = 325,335.84 → 325,336 ¢;
    // total 2,033,349 + 325,336 = 2,358,685 ¢.
    expect(await total(admin).innerText()).toContain('$20,333.49');
    expect(await total(admin).innerText()).toContain('$3,253.36');
    expect(await total(admin).innerText()).toContain('$23,586.85');
    expect(await seriousViolations(page)).toEqual([]);

    // The IVR line's 21 folios: 20 on the first page (pages follow the fact id), the last after «Más folios».
    await table.getByRole('button', { name: 'Ver folios: Minutos de IVR' }).click();
    const folios = admin.getByRole('table', { name: 'Folios de Minutos de IVR' });
    await folios.waitFor({ timeout: 10_000 });
    // Header + 20 facts.
    expect(await folios.getByRole('row').count()).toBe(21);
    await admin.getByRole('button', { name: 'Más folios' }).click();
    await folios.getByRole('row').nth(21).waitFor({ timeout: 10_000 });
    expect(await folios.getByRole('row').count()).toBe(22);
    expect(await admin.getByRole('button', { name: 'Más folios' }).count()).toBe(0);
    const shown = (await folios.locator('tbody tr td:first-child').allInnerTexts()).sort();
    expect(shown).toEqual(Array.from({ length: 21 }, (_, i) => `${prefix}-${String(i + 1).padStart(4, '0')}`));
    // Call 21: 5.5 s; call 22 (no recording) is on no line.
    expect(await folios.getByRole('row').filter({ hasText: `${prefix}-0021` }).innerText()).toContain('0:05.500');
    await screenshot(page, 'billing-admin-statement');

    const [download] = await Promise.all([page.waitForEvent('download'), admin.getByRole('button', { name: 'Descargar CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^estado-de-cuenta-.+-2026-10\.csv$/);
    const rows: string[][] = parse(await readFile((await download.path())!), { bom: true, relax_column_count: true });
    expect(rows.find((r) => r[0] === 'Total')?.[1]).toBe('$23,586.85');
    expect(rows.find((r) => r[1] === 'ivr')?.[5]).toBe('8');

    // Consumption: the excluded call is listed with its problem.
    await admin.getByRole('tab', { name: 'Consumo del contrato' }).click();
    const excluded = admin.getByRole('table', { name: 'Interacciones excluidas por falta de evidencia' });
    expect(await excluded.getByRole('row').filter({ hasText: `${prefix}-0022` }).innerText()).toContain('Falta la grabación');
    // 8 IVR minutes in the contract's first month against a minimum of 389,495: flagged, with its burn-down.
    const ivrUse = admin.getByRole('table', { name: 'Consumo contra el mínimo y el máximo del contrato' }).getByRole('row').filter({ hasText: 'Minutos de IVR' });
    expect(await ivrUse.innerText()).toContain('Por debajo del mínimo');
    expect(await ivrUse.getByRole('img', { name: /^Burn-down de Minutos de IVR, de 2026-10 a \d{4}-\d{2}$/ }).count()).toBe(1);
    await screenshot(page, 'billing-admin-consumption');

    // A fixed penalty of $1,000.00: taxable 2,033,349 − 100,000 = 1,933,349 ¢; IVA 309,335.84 → 309,336 ¢;
    // total 1,933,349 + 309,336 = 2,242,685 ¢.
    await admin.getByRole('tab', { name: 'Penas convencionales' }).click();
    await admin.getByLabel('Tipo', { exact: true }).selectOption('fixed');
    await admin.getByLabel('Unidades (días, horas o 1)').fill('1');
    await admin.getByLabel('Importe por unidad').fill('1,000.00');
    await admin.getByLabel('Descripción', { exact: true }).fill('Entrega tardía del reporte mensual');
    await admin.getByRole('button', { name: 'Agregar pena' }).click();
    await admin.getByText('Entrega tardía del reporte mensual').first().waitFor({ timeout: 10_000 });
    // A penalty typed by mistake (2 days × $50.00) is deleted again: it never reaches the total.
    await admin.getByLabel('Tipo', { exact: true }).selectOption('per_day');
    await admin.getByLabel('Unidades (días, horas o 1)').fill('2');
    await admin.getByLabel('Importe por unidad').fill('50');
    await admin.getByLabel('Descripción', { exact: true }).fill('Penalización capturada por error');
    await admin.getByRole('button', { name: 'Agregar pena' }).click();
    const mistaken = 'Eliminar la pena «Penalización capturada por error»';
    await admin.getByRole('button', { name: mistaken }).click();
    await page.getByRole('dialog', { name: mistaken }).getByRole('button', { name: mistaken }).click();
    await page.getByRole('dialog', { name: mistaken }).waitFor({ state: 'detached', timeout: 10_000 });
    // The list, read again from the hub, keeps only the real one.
    await admin.getByText('Entrega tardía del reporte mensual', { exact: true }).waitFor({ timeout: 10_000 });
    expect(await admin.getByText('Penalización capturada por error', { exact: true }).count()).toBe(0);
    await admin.getByRole('tab', { name: 'Estado de cuenta' }).click();
    await total(admin).getByText('$22,426.85').waitFor({ timeout: 10_000 });
    expect(await total(admin).innerText()).toContain('-$1,000.00');

    // November has not ended: the hub refuses and the dialog says why, in Spanish.
    await admin.getByLabel('Mes', { exact: true }).fill('2026-11');
    await admin.getByText('Estado: ABIERTO').waitFor({ timeout: 20_000 });
    await admin.getByRole('button', { name: 'Cerrar mes' }).click();
    const confirmNov = page.getByRole('dialog', { name: 'Cerrar mes' });
    await confirmNov.getByRole('button', { name: 'Cerrar mes' }).click();
    await confirmNov.getByText('El mes 2026-11 aún no termina en la zona horaria de la campaña', { exact: false }).waitFor({ timeout: 10_000 });
    await confirmNov.getByRole('button', { name: 'Cancelar' }).click();

    await admin.getByLabel('Mes', { exact: true }).fill(MONTH);
    await admin.getByText('Estado: ABIERTO').waitFor({ timeout: 20_000 });
    await admin.getByRole('button', { name: 'Cerrar mes' }).click();
    const confirm = page.getByRole('dialog', { name: 'Cerrar mes' });
    expect(await confirm.innerText()).toContain('$22,426.85');
    await confirm.getByRole('button', { name: 'Cerrar mes' }).click();
    await admin.getByText('Estado: CERRADO').waitFor({ timeout: 20_000 });
    expect(await admin.getByRole('button', { name: 'Cerrar mes' }).count()).toBe(0);
    await screenshot(page, 'billing-admin-closed');

    const closed = await db().selectFrom('billing_months').select(['status', 'total_cents']).where('campaign_id', '=', campaignId).where('month', '=', MONTH).executeTakeFirstOrThrow();
    expect(closed.status).toBe('closed');
    expect(Number(closed.total_cents)).toBe(2_242_685);
  });

  it('shows a supervisor the closed statement with no close button and no penalty form; an auditor only Facturación', async () => {
    const supervisor = await openStaffPage(browser, hub.url!, { email: 'sofia.fac@example.mx', password });
    const admin = await openBilling(supervisor);
    await admin.getByText('Estado: CERRADO').waitFor({ timeout: 20_000 });
    await total(admin).getByText('$22,426.85').waitFor();
    await admin.getByText('Solo lectura: el tarifario, las penas y el cierre del mes los maneja el administrador de la campaña.').waitFor();
    expect(await admin.getByRole('button', { name: 'Cerrar mes' }).count()).toBe(0);
    await admin.getByRole('tab', { name: 'Penas convencionales' }).click();
    await admin.getByText('Entrega tardía del reporte mensual').first().waitFor({ timeout: 10_000 });
    expect(await admin.getByRole('button', { name: 'Agregar pena' }).count()).toBe(0);
    await supervisor.context().close();

    // An auditor opens the console to read statements: Facturación is the only section, read-only.
    const auditor = await openStaffPage(browser, hub.url!, { email: 'aurelio.fac@example.mx', password });
    await auditor.getByRole('button', { name: 'Administración' }).click();
    const console = auditor.getByRole('dialog');
    await console.getByLabel('Mes', { exact: true }).fill(MONTH);
    await console.getByText('Estado: CERRADO').waitFor({ timeout: 20_000 });
    await total(console).getByText('$22,426.85').waitFor();
    expect(await console.getByRole('button', { name: 'Campañas', exact: true }).count()).toBe(0);
    expect(await console.getByRole('button', { name: 'Cerrar mes' }).count()).toBe(0);
    await auditor.context().close();
  });

  it('shows the hub’s Spanish problem on a bad rate-card draft, activates the fixed one, and leaves the closed month as it was', async () => {
    await page.getByRole('button', { name: 'Volver a la bandeja' }).click();
    const admin = await openBilling(page);
    await admin.getByRole('tab', { name: 'Tarifario' }).click();
    // Closing October stored the contract's card as the campaign's version 1.
    await admin.getByText('Tarifario activo: versión 1').waitFor({ timeout: 10_000 });
    const json = admin.getByLabel('Borrador del tarifario (JSON)');
    const card: { concepts: { code: string; unitPriceCents: number }[] } = JSON.parse(await json.inputValue());
    const ivr = card.concepts.findIndex((c) => c.code === 'ivr');
    card.concepts[ivr]!.unitPriceCents = 0;
    await json.fill(JSON.stringify(card, null, 2));
    await admin.getByRole('button', { name: 'Guardar borrador' }).click();
    await admin.getByText(`Concepto ${ivr + 1} «ivr» · unitPriceCents: el precio unitario debe ser mayor que 0`).waitFor({ timeout: 10_000 });

    card.concepts[ivr]!.unitPriceCents = 45;
    await json.fill(JSON.stringify(card, null, 2));
    await admin.getByRole('button', { name: 'Guardar borrador' }).click();
    await admin.getByText('Borrador en edición: versión 2').waitFor({ timeout: 10_000 });
    await admin.getByRole('button', { name: 'Activar borrador' }).click();
    await admin.getByText('Tarifario activo: versión 2').waitFor({ timeout: 10_000 });
    const concepts = admin.getByRole('table', { name: 'Tarifario' });
    expect(await concepts.getByRole('row').filter({ hasText: 'Minutos de IVR' }).innerText()).toContain('$0.45');
    await screenshot(page, 'billing-admin-rate-card');

    // October was closed with version 1: its 8 IVR minutes stay at $0.42 and its total does not move.
    await admin.getByRole('tab', { name: 'Estado de cuenta' }).click();
    await total(admin).getByText('$22,426.85').waitFor({ timeout: 10_000 });
    const versions = await db().selectFrom('billing_rate_cards').select(['version', 'status']).where('campaign_id', '=', campaignId).orderBy('version').execute();
    expect(versions).toEqual([
      { version: 1, status: 'archived' },
      { version: 2, status: 'active' },
    ]);
  });
});
