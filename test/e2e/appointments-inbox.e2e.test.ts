import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { saveCalendar } from '../../hub/src/appointments/booking/calendar.store.js';
import { shortDate } from '../../inbox-ui/src/appointments/appointments-state.js';
import { D1, HOLIDAY, nss, staffCalendar } from '../appointments/http/staff-fixtures.js';
import { grantSkill, multipartFile, PDF_BYTES } from '../appointments/procedures/procedure-fixtures.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { ensureInboxBuilt, launchChromium, openStaffPage, screenshot, seriousViolations } from './e2e-support.js';

/**
 * «Citas» in Chromium (issue 11 item 2, the agent's way in): an agent opens the 30-day calendar,
 * books a slot with an NSS and gets the folio; the day list shows it and it is confirmed; a second
 * agent who had the same slot on screen is told it was just taken and books one of the slots
 * offered instead. Then a reviewer (an agent holding `revision_documental`) works the document
 * review queue: downloads a document, approves one and rejects another with its reason.
 *
 * The hub runs on the real clock, so the calendar (staff-fixtures) is relative to today in Mexico
 * City: D1 is 3 days ahead, the holiday 6 days ahead.
 */
describe('appointments in the inbox', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  let hub: HubProcess;
  let browser: Browser;
  let ana: Page;
  let beto: Page;
  let campaignId: string;
  let betoId: string;
  let adminId: string;
  const password = 'Clave-Segura-2026';
  const db = () => hub.ctx.db.kysely;

  async function openCitas(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Citas', exact: true }).click({ timeout: 20_000 });
    await page.getByRole('heading', { name: 'Citas', level: 1 }).waitFor();
  }
  // A day cell's name is its visible text: «vie 27 nov 18 libres».
  const dayButton = (page: Page, date: string) => page.getByRole('button', { name: new RegExp(`^\\S+ ${shortDate(date, 'es-MX')} (\\d+ libres|Sin lugares)$`) });
  const freeOn = async (page: Page, date: string) => Number(/(\d+) libres/.exec((await dayButton(page, date).textContent()) ?? '')?.[1] ?? 0);

  beforeAll(async () => {
    ensureInboxBuilt();
    hub = await startHubProcess(config);
    campaignId = (await createCampaign(db(), { name: 'Citas IMSS', prefix: 'CIT' })).id;
    await saveCalendar(db(), { campaignId, definition: staffCalendar() }, null);
    await createUser(db(), { roles: ['agent'], campaignIds: [campaignId], email: 'ana.agente@example.mx', password, name: 'Ana Agente' });
    betoId = (await createUser(db(), { roles: ['agent'], campaignIds: [campaignId], email: 'beto.agente@example.mx', password, name: 'Beto Agente' })).id;
    await grantSkill(db(), campaignId, betoId);
    adminId = (await createUser(db(), { roles: ['admin'] })).id;
    browser = await launchChromium();
    ana = await openStaffPage(browser, hub.url!, { email: 'ana.agente@example.mx', password });
    beto = await openStaffPage(browser, hub.url!, { email: 'beto.agente@example.mx', password }, undefined, { acceptDownloads: true });
    ana.setDefaultTimeout(10_000);
    beto.setDefaultTimeout(10_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('books from the 30-day calendar, lists, confirms and cancels it; the loser of a race is offered the next slots', async () => {
    await openCitas(ana);
    const calendar = ana.getByTestId('appointments-calendar');
    await calendar.waitFor();
    expect(await calendar.getByRole('listitem').count()).toBe(30);
    const holiday = ana.getByRole('button', { name: new RegExp(`^\\S+ ${shortDate(HOLIDAY, 'es-MX')} Inhábil: Día del servidor público$`) });
    expect(await holiday.isDisabled()).toBe(true);
    await ana.getByText('Inhábil: Día del servidor público').waitFor();
    expect(await seriousViolations(ana)).toEqual([]);
    await screenshot(ana, 'appointments-calendar');

    // Only UMF 20: two rooms × a 08:00–10:00 shift.
    await ana.getByLabel('Oficina', { exact: true }).selectOption({ label: 'UMF 20' });
    await dayButton(ana, D1).waitFor();
    const freeBefore = await freeOn(ana, D1);
    expect(freeBefore).toBeGreaterThan(0);
    await dayButton(ana, D1).click();
    await ana.getByRole('button', { name: '08:00, Consultorio 1 (UMF 20)' }).click();

    // Beto has the very same slot on screen.
    await openCitas(beto);
    await beto.getByLabel('Oficina', { exact: true }).selectOption({ label: 'UMF 20' });
    await dayButton(beto, D1).click();
    await beto.getByRole('button', { name: '08:00, Consultorio 1 (UMF 20)' }).click();
    await beto.getByLabel('Número de identificación').fill(nss(2));
    await beto.getByLabel('Fecha de nacimiento').fill('1975-03-02');

    // Client-side checks first: a short NSS never reaches the hub.
    await ana.getByLabel('Número de identificación').fill('12345');
    await ana.getByRole('button', { name: 'Agendar', exact: true }).click();
    await ana.getByText('El NSS debe tener exactamente 11 dígitos.').waitFor();
    await ana.getByText('Indique una fecha de nacimiento válida, anterior a hoy.').waitFor();
    expect(await db().selectFrom('appointments').select('id').where('campaign_id', '=', campaignId).execute()).toEqual([]);

    await ana.getByLabel('Número de identificación').fill(nss(1));
    await ana.getByLabel('Fecha de nacimiento').fill('1980-05-04');
    await ana.getByRole('button', { name: 'Agendar', exact: true }).click();
    const booked = ana.getByText(/^Cita agendada\. Folio: CITA-\d{8}-\d{6}$/);
    await booked.waitFor();
    const folio = /CITA-\d{8}-\d{6}/.exec((await booked.textContent()) ?? '')?.[0] ?? '';
    expect(folio.startsWith(`CITA-${D1.replaceAll('-', '')}-`)).toBe(true);
    const row = await db().selectFrom('appointments').selectAll().where('folio', '=', folio).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ campaign_id: campaignId, room_id: 'c1', status: 'booked', official_id_kind: 'nss', official_id: nss(1), family_group_id: nss(1), channel: 'agent' });
    await expect.poll(() => freeOn(ana, D1)).toBeLessThan(freeBefore);

    // Beto books the slot Ana just took: refused in Spanish, with the nearest free slots to pick.
    await beto.getByRole('button', { name: 'Agendar', exact: true }).click();
    const refusal = beto.getByRole('alert').filter({ hasText: 'Ese horario acaba de ocuparse' });
    await refusal.waitFor();
    await refusal.getByText('Ese horario acaba de ser reservado. Elija uno de los siguientes:').waitFor();
    const alternatives = refusal.getByRole('button', { name: /^Elegir / });
    expect(await alternatives.count()).toBeGreaterThan(0);
    const offered = (await alternatives.first().textContent()) ?? '';
    expect(offered).not.toBe(`Elegir ${shortDate(D1, 'es-MX')} 08:00 · Consultorio 1`);
    await refusal.scrollIntoViewIfNeeded();
    await screenshot(beto, 'appointments-slot-taken');
    await alternatives.first().click();
    await beto.getByRole('button', { name: 'Agendar', exact: true }).click();
    await beto.getByText(/^Cita agendada\. Folio: CITA-\d{8}-\d{6}$/).waitFor();
    const rows = await db().selectFrom('appointments').select(['folio', 'room_id', 'starts_at', 'official_id', 'status']).where('campaign_id', '=', campaignId).orderBy('created_at').execute();
    expect(rows.map((r) => r.official_id)).toEqual([nss(1), nss(2)]);
    expect(rows[1]?.starts_at.getTime() === rows[0]?.starts_at.getTime() && rows[1]?.room_id === rows[0]?.room_id).toBe(false);

    // The day list: Ana's appointment on D1, confirmed from its detail.
    await ana.getByRole('tab', { name: /Citas del día/ }).click();
    await ana.getByLabel('Fecha', { exact: true }).fill(D1);
    const line = ana.getByRole('row').filter({ hasText: folio });
    await line.waitFor();
    await line.getByText('Agendada').waitFor();
    await line.getByText('Agente').waitFor();
    await line.getByRole('button', { name: `Ver ${folio}` }).click();
    await ana.getByRole('heading', { name: `Cita ${folio}` }).waitFor();
    await ana.getByRole('button', { name: 'Confirmar', exact: true }).click();
    await ana.getByText(`Cita ${folio}: Confirmada.`).waitFor();
    await line.getByText('Confirmada').waitFor();
    expect((await db().selectFrom('appointments').select('status').where('folio', '=', folio).executeTakeFirstOrThrow()).status).toBe('confirmed');
    const history = ana.locator('.appt-detail .appt-events li');
    await expect.poll(() => history.count()).toBe(2);
    expect(await history.nth(1).textContent()).toMatch(/Confirmada · Agente$/);

    // Search by NSS: only Ana's appointment, whatever the date.
    await ana.getByLabel('Buscar por folio, NSS o CURP').fill(nss(2));
    await ana.getByRole('button', { name: 'Buscar', exact: true }).click();
    await ana.getByRole('row').filter({ hasText: rows[1]?.folio ?? '?' }).waitFor();
    expect(await ana.getByRole('row').filter({ hasText: folio }).count()).toBe(0);
    await screenshot(ana, 'appointments-day');

    // Cancelling asks for the reason first; D1 is 3 days ahead, well past the 12-hour limit.
    await ana.getByRole('button', { name: 'Cancelar cita' }).click();
    await ana.getByRole('button', { name: 'Confirmar cancelación' }).click();
    await ana.getByText('Escriba el motivo.').waitFor();
    await ana.getByLabel('Motivo de la cancelación').fill('El derechohabiente pidió otra fecha');
    await ana.getByRole('button', { name: 'Confirmar cancelación' }).click();
    await ana.getByText(`Cita ${folio}: Cancelada.`).waitFor();
    await ana.getByText('Motivo de cancelación: El derechohabiente pidió otra fecha').waitFor();
    const cancelled = await db().selectFrom('appointments').select(['status', 'cancel_reason']).where('folio', '=', folio).executeTakeFirstOrThrow();
    expect(cancelled).toEqual({ status: 'cancelled', cancel_reason: 'El derechohabiente pidió otra fecha' });
    expect(await ana.getByRole('button', { name: 'Asistió', exact: true }).count()).toBe(0);

    // English is a switch away, every label included; back to Spanish for the next test.
    await ana.getByRole('button', { name: 'English' }).click();
    await ana.getByRole('heading', { name: 'Appointments', level: 1 }).waitFor();
    await ana.getByRole('tab', { name: /Appointments of the day/ }).waitFor();
    await ana.getByText('Cancellation reason: El derechohabiente pidió otra fecha').waitFor();
    await ana.getByRole('button', { name: 'Español' }).click();
    await ana.getByRole('heading', { name: 'Citas', level: 1 }).waitFor();
  }, 120_000);

  it('lets the assigned reviewer download, approve and reject (with a reason) a citizen’s documents', async () => {
    const app = hub.app!;
    const admin = bearer(await tokenFor(db(), adminId));
    const procedure = await app.inject({
      method: 'PUT',
      url: `/api/v1/appointments/campaigns/${campaignId}/procedures/alta-imss`,
      headers: admin,
      payload: {
        name: 'Alta de beneficiario',
        description: 'Registro de un beneficiario',
        serviceId: 'mf',
        active: true,
        requirements: [
          { id: 'ine', name: 'Identificación oficial', description: 'INE por ambos lados', required: true, accept: ['application/pdf'] },
          { id: 'acta', name: 'Acta de nacimiento', description: 'Copia certificada', required: true, accept: ['application/pdf'] },
        ],
      },
    });
    expect(procedure.statusCode, procedure.body).toBe(200);
    const curp = 'GOMA800115HGTRRN01';
    const opened = await app.inject({
      method: 'POST',
      url: '/portal/v1/cases',
      headers: { 'x-forwarded-for': '10.9.0.1' },
      payload: { procedureId: 'alta-imss', officialId: { kind: 'curp', value: curp }, birthDate: '1980-01-15', fullName: 'Ana Gómez Trejo', email: 'ana.gomez@example.mx' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const caseFolio = String(opened.json().case.folio);
    for (const [requirement, filename] of [
      ['ine', 'ine.pdf'],
      ['acta', 'acta.pdf'],
    ]) {
      const { payload, headers } = multipartFile({ filename: filename ?? '', type: 'application/pdf', bytes: PDF_BYTES });
      const res = await app.inject({ method: 'POST', url: `/portal/v1/cases/${caseFolio}/documents/${requirement}`, headers: { ...headers, 'x-official-id': curp, 'x-forwarded-for': '10.9.0.2' }, payload });
      expect(res.statusCode, res.body).toBe(201);
    }

    await beto.getByRole('tab', { name: /Revisión documental/ }).click();
    const queue = beto.getByRole('row').filter({ hasText: caseFolio });
    await expect.poll(() => queue.count()).toBe(2);
    await queue.filter({ hasText: 'Identificación oficial' }).getByRole('button', { name: `Abrir ${caseFolio}` }).click();
    await beto.getByRole('heading', { name: new RegExp(`^Trámite ${caseFolio}`) }).waitFor();
    await beto.getByText('Nombre: Ana Gómez Trejo').waitFor();
    await beto.getByText(`CURP: ${curp} · Nacimiento: 1980-01-15`).waitFor();
    expect(await seriousViolations(beto)).toEqual([]);

    const [download] = await Promise.all([beto.waitForEvent('download'), beto.getByRole('button', { name: 'Descargar ine.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('ine.pdf');
    expect(await readFile((await download.path())!)).toEqual(PDF_BYTES);

    const ine = beto.getByRole('listitem', { name: 'Identificación oficial' });
    await ine.getByRole('button', { name: 'Aprobar', exact: true }).click();
    await ine.getByText('Documento «Identificación oficial»: Aprobado.').waitFor();

    const acta = beto.getByRole('listitem', { name: 'Acta de nacimiento' });
    await acta.getByRole('button', { name: 'Rechazar', exact: true }).click();
    await acta.getByRole('button', { name: 'Confirmar rechazo' }).click();
    await acta.getByText('El motivo es obligatorio al rechazar.').waitFor();
    await acta.getByLabel('Motivo del rechazo de «Acta de nacimiento»').fill('La copia es ilegible; suba una copia certificada.');
    await acta.getByRole('button', { name: 'Confirmar rechazo' }).click();
    await acta.getByText('Documento «Acta de nacimiento»: Rechazado.').waitFor();
    await acta.getByText('Motivo: La copia es ilegible; suba una copia certificada.').waitFor();
    await screenshot(beto, 'appointments-review');

    const docs = await db()
      .selectFrom('appointment_case_documents as d')
      .innerJoin('appointment_cases as c', 'c.id', 'd.case_id')
      .select(['d.requirement_id', 'd.status', 'd.reviewer_id'])
      .where('c.folio', '=', caseFolio)
      .orderBy('d.requirement_id')
      .execute();
    expect(docs).toEqual([
      { requirement_id: 'acta', status: 'rejected', reviewer_id: betoId },
      { requirement_id: 'ine', status: 'approved', reviewer_id: betoId },
    ]);
    const rejected = await db().selectFrom('appointment_case_documents').select('reason').where('requirement_id', '=', 'acta').where('status', '=', 'rejected').executeTakeFirstOrThrow();
    expect(rejected.reason).toBe('La copia es ilegible; suba una copia certificada.');

    await beto.getByRole('button', { name: 'Volver a la cola' }).click();
    await beto.getByText('No hay documentos por revisar.').waitFor();
  }, 120_000);
});
