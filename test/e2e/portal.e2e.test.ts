import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startHubProcess, type Config, type HubProcess } from '@ventanilla/hub';
import { saveCalendar } from '../../hub/src/appointments/booking/calendar.store.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createSkill, setAgentSkills } from '../support/router-factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { ARTIFACTS, ROOT, ensurePortalBuilt, hasFocus, launchChromium, makePng, seriousViolations } from './e2e-support.js';

/**
 * The citizens' portal in Chromium (issue 11 item 2, seed-digest §9.1 — the SATEG «Portal de
 * Citas»): on a 375 px phone a citizen reads the procedure's requirements, starts a case (folio
 * TRAM-…), uploads a PDF and a PNG — a forged PDF (HTML bytes) is refused in Spanish — and sees
 * «en revisión». The reviewer the hub drew at random (read from the database) approves one and
 * rejects the other with a reason through the staff API; the citizen reloads, reads the reason,
 * uploads again; another reviewer (the hub avoids the one who rejected) approves; the citizen
 * picks one of the nearest free slots and gets a CITA folio — in the database with the case and
 * channel `portal`. A direct link /portal/tramite/<folio> asks only for the NSS, and cancels.
 */
describe('the citizens portal (procedures, documents, review, booking)', () => {
  let config: Config;
  let dataDir: string;
  let filesDir: string;
  let hub: HubProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let campaignId: string;
  let adminToken: string;
  const reviewerIds: string[] = [];
  const NSS = '12345678903';
  const PROCEDURE = 'cambio-propietario';
  const INSTITUTION = 'Secretaría de Finanzas de Guanajuato';
  let caseFolio = '';
  const db = () => hub.ctx.db.kysely;
  const url = (path: string) => `${hub.url ?? ''}${path}`;

  /** The staff API (bearer session), as the inbox calls it. */
  const staff = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(url(`/api/v1${path}`), {
      method,
      headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
  };

  /** The newest version of a case's document for one requirement, as the hub stored and assigned it. */
  const latestDocument = async (requirementId: string) =>
    db()
      .selectFrom('appointment_case_documents as d')
      .innerJoin('appointment_cases as c', 'c.id', 'd.case_id')
      .select(['d.id', 'd.case_id', 'd.status', 'd.reviewer_id', 'd.version', 'd.mime_type'])
      .where('c.folio', '=', caseFolio)
      .where('d.requirement_id', '=', requirementId)
      .orderBy('d.version', 'desc')
      .executeTakeFirstOrThrow();

  /** The assigned reviewer decides through POST …/review (only they may). */
  const review = async (requirementId: string, decision: 'approved' | 'rejected', reason = '') => {
    const doc = await latestDocument(requirementId);
    expect(doc.status).toBe('pending_review');
    expect(doc.reviewer_id).not.toBeNull();
    const reviewerId = doc.reviewer_id ?? '';
    expect(reviewerIds).toContain(reviewerId);
    const answer = await staff(await tokenFor(db(), reviewerId), 'POST', `/appointments/campaigns/${campaignId}/cases/${doc.case_id}/documents/${doc.id}/review`, { decision, reason });
    expect(answer.status).toBe(200);
    return reviewerId;
  };

  /** The whole page (a phone screen is short), under test/e2e/artifacts; afterAll copies them to docs/screenshots. */
  const screenshot = async (shown: Page, name: string) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await shown.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  };

  const documentItem = (name: string) => page.getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) });

  beforeAll(async () => {
    ensurePortalBuilt();
    dataDir = await mkdtemp(join(tmpdir(), 'ventanilla-portal-'));
    filesDir = await mkdtemp(join(tmpdir(), 'ventanilla-portal-files-'));
    config = testConfig({ HUB_ROLE: 'all', PORT: '0', DATA_DIR: dataDir });
    hub = await startHubProcess(config);
    const campaign = await createCampaign(db(), { name: INSTITUTION, prefix: 'SFG' });
    campaignId = campaign.id;
    // One tax office open every day 08:00–14:00, 30-minute slots: whatever today is, the nearest
    // free slots are a day or two ahead (past the 12 h lead time, inside the 90 days).
    const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    await saveCalendar(
      db(),
      {
        campaignId,
        definition: {
          timeZone: 'America/Mexico_City',
          offices: [{ id: 'leon', name: 'Oficina Recaudadora León' }],
          rooms: [
            { id: 'm1', officeId: 'leon', name: 'Módulo 1', serviceIds: ['vehicular'] },
            { id: 'm2', officeId: 'leon', name: 'Módulo 2', serviceIds: ['vehicular'] },
          ],
          services: [{ id: 'vehicular', name: 'Control vehicular', slotMinutes: 30, excludedTimes: [] }],
          shifts: ['m1', 'm2'].map((room) => ({ id: `${room}-mat`, roomId: room, name: 'Matutino', weekdays: everyDay, start: '08:00', end: '14:00', capacity: 12 })),
          blocked: [],
          holidays: [],
        },
      },
      null,
    );
    const admin = await createUser(db(), { roles: ['admin'], name: 'Ana Administradora' });
    adminToken = await tokenFor(db(), admin.id);
    // Three reviewers hold the procedure's skill; a fourth agent of the campaign does not.
    const skill = await createSkill(db(), campaignId, 'revision_documental');
    for (const name of ['Rosa Revisora', 'Raúl Revisor', 'Rita Revisora']) {
      const reviewer = await createUser(db(), { roles: ['agent'], campaignIds: [campaignId], name });
      await setAgentSkills(db(), reviewer.id, { [skill]: 1 });
      reviewerIds.push(reviewer.id);
    }
    await createUser(db(), { roles: ['agent'], campaignIds: [campaignId], name: 'Otto Sinhabilidad' });
    // The procedure as an administrator writes it (staff API).
    const put = await staff(adminToken, 'PUT', `/appointments/campaigns/${campaignId}/procedures/${PROCEDURE}`, {
      name: 'Cambio de propietario de vehículo',
      description: 'Registre a su nombre un vehículo usado comprado en Guanajuato.',
      serviceId: 'vehicular',
      active: true,
      requirements: [
        { id: 'factura', name: 'Factura endosada', description: 'La factura del vehículo endosada a su nombre, escaneada por ambos lados.', required: true, accept: ['application/pdf'], maxBytes: 2 * 1024 * 1024 },
        { id: 'domicilio', name: 'Comprobante de domicilio', description: 'Recibo de luz, agua o teléfono de los últimos tres meses.', required: true, accept: ['application/pdf', 'image/png', 'image/jpeg'], maxBytes: 2 * 1024 * 1024 },
      ],
    });
    expect(put.status).toBe(200);
    // Real files on disk, chosen through the file input as a citizen does.
    await writeFile(join(filesDir, 'factura.pdf'), minimalPdf('Factura endosada'));
    await writeFile(join(filesDir, 'acta.pdf'), '<!doctype html><html><body><script>alert(1)</script>Factura</body></html>');
    await writeFile(join(filesDir, 'recibo-luz.png'), makePng(200, 120, [250, 250, 245]));
    await writeFile(join(filesDir, 'recibo-agua.png'), makePng(200, 120, [200, 230, 250]));
    browser = await launchChromium();
    // bypassCSP: axe-core is injected as an inline script, which the page's own policy forbids.
    context = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'es-MX', reducedMotion: 'reduce', bypassCSP: true });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await dropNamespaces(config);
    await rm(dataDir, { recursive: true, force: true });
    await rm(filesDir, { recursive: true, force: true });
    // The README's pictures (docs/screenshots, as agent-inbox does): written when missing, refreshed
    // with UPDATE_SCREENSHOTS=1, so an ordinary run leaves the working tree alone.
    const docs = join(ROOT, 'docs/screenshots');
    mkdirSync(docs, { recursive: true });
    if (existsSync(ARTIFACTS))
      for (const file of readdirSync(ARTIFACTS).filter((f) => f.startsWith('portal-') && f.endsWith('.png'))) {
        if (process.env['UPDATE_SCREENSHOTS'] === '1' || !existsSync(join(docs, file))) copyFileSync(join(ARTIFACTS, file), join(docs, file));
      }
  }, 60_000);

  it('serves the page and its bundles on the hub, never another file, and the inbox does not take /portal paths', async () => {
    const html = { accept: 'text/html' };
    const home = await fetch(url('/portal'), { headers: html });
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toContain('text/html');
    expect(home.headers.get('content-security-policy')).toContain("script-src 'self'");
    const body = await home.text();
    expect(body).toContain('<div id="portal-root">');
    const link = await fetch(url('/portal/tramite/TRAM-20260101-000001'), { headers: html });
    expect(await link.text()).toBe(body);
    const script = /src="(\/portal\/assets\/[^"]+\.js)"/.exec(body)?.[1] ?? '';
    const bundle = await fetch(url(script));
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('text/javascript');
    expect(bundle.headers.get('cache-control')).toContain('immutable');
    for (const path of ['/portal/assets/..%2Fportal.html', '/portal/assets/nothing-here.js', '/portal/assets/portal.html']) {
      const refused = await fetch(url(path));
      expect(refused.status, path).toBe(404);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('HUB_ERR_NOT_FOUND');
    }
    // A browser asking for an unknown /portal page gets a 404, not the agents' inbox.
    const unknown = await fetch(url('/portal/otra-cosa'), { headers: html });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).not.toContain('<div id="root">');
  });

  it('shows the procedures and their requirements in Spanish, on a phone, accessible, with an English switch', async () => {
    await page.goto(url('/portal'));
    await page.getByRole('heading', { name: 'Trámites disponibles' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('es-MX');
    await page.getByText(INSTITUTION, { exact: true }).waitFor();
    const card = page.getByRole('article', { name: 'Cambio de propietario de vehículo' });
    await card.getByText('Factura endosada', { exact: true }).waitFor();
    await card.getByText('La factura del vehículo endosada a su nombre, escaneada por ambos lados.').waitFor();
    expect(await card.getByText('Obligatorio', { exact: true }).count()).toBe(2);
    await card.getByText('Formatos: PDF. Tamaño máximo: 2 MB.').waitFor();
    await card.getByText('Formatos: PDF, PNG, JPEG. Tamaño máximo: 2 MB.').waitFor();
    // Nothing wider than the phone: no sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'portal-01-tramites');
    // Keyboard first: Tab reaches the skip link, which is visible once focused.
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Ir al contenido' });
    expect(await hasFocus(skip)).toBe(true);
    expect(await skip.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await hasFocus(page.getByRole('button', { name: 'Iniciar «Cambio de propietario de vehículo»' }))).toBe(true);

    await page.getByRole('button', { name: 'Read this page in English' }).click();
    await page.getByRole('heading', { name: 'Available procedures' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await card.getByText('Formats: PDF. Maximum size: 2 MB.').waitFor();
    await page.getByRole('button', { name: 'Ver esta página en español' }).click();
    await page.getByRole('heading', { name: 'Trámites disponibles' }).waitFor();
  });

  it('starts a case: the NSS is checked as it is typed, the TRAM folio is shown big to keep', async () => {
    await page.getByRole('button', { name: 'Iniciar «Cambio de propietario de vehículo»' }).click();
    await page.getByRole('heading', { name: 'Iniciar trámite' }).waitFor();
    // The procedure chosen on its card is already selected.
    expect(await page.getByLabel('Trámite *').inputValue()).toBe(PROCEDURE);
    // Sent empty: every problem says so, nothing is sent.
    await page.getByRole('button', { name: 'Iniciar mi trámite' }).click();
    await page.getByText('Revise los campos marcados.').waitFor();
    await page.getByText('Escriba su NSS o su CURP.').waitFor();
    await page.getByText('Escriba un correo electrónico o un teléfono.').waitFor();
    expect(await db().selectFrom('appointment_cases').select('id').execute()).toEqual([]);

    await page.getByLabel('Nombre completo *').fill('María Guadalupe Torres Ruiz');
    const officialId = page.getByLabel('NSS o CURP *');
    await officialId.pressSequentially('12345');
    await page.getByText('NSS: lleva 5 de 11.').waitFor();
    await officialId.pressSequentially('678903');
    await page.getByText('NSS válido.').waitFor();
    expect(await officialId.getAttribute('aria-invalid')).toBe('false');
    await officialId.fill('GORA8X');
    await page.getByText('La CURP no es válida: revise las 18 letras y números.').waitFor();
    expect(await officialId.getAttribute('aria-invalid')).toBe('true');
    await officialId.fill(NSS);
    await page.getByLabel('Fecha de nacimiento *').fill('1988-04-17');
    await page.getByLabel('Teléfono celular (10 dígitos)').fill('477 123 4567');
    await page.getByRole('button', { name: 'Iniciar mi trámite' }).click();

    const folio = page.getByTestId('case-folio');
    await folio.waitFor();
    caseFolio = (await folio.textContent()) ?? '';
    expect(caseFolio).toMatch(/^TRAM-[0-9]{8}-[0-9]{6}$/);
    await page.getByText('Guárdelo: con él y su CURP/NSS consulta su trámite a cualquier hora.').waitFor();
    // Big: the folio's type is at least 1.5 times the body text.
    const size = await folio.evaluate((el) => parseFloat(getComputedStyle(el).fontSize) / parseFloat(getComputedStyle(document.body).fontSize));
    expect(size).toBeGreaterThanOrEqual(1.5);
    const stored = await db().selectFrom('appointment_cases').selectAll().where('folio', '=', caseFolio).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ campaign_id: campaignId, procedure_id: PROCEDURE, official_id_kind: 'nss', official_id: NSS, full_name: 'María Guadalupe Torres Ruiz', phone: '4771234567', channel: 'portal', status: 'documents_pending' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'portal-02-folio');
  });

  it('uploads a PDF and a PNG; a forged PDF is refused in Spanish; the documents go to review', async () => {
    await page.getByRole('button', { name: 'Ir a mi trámite y subir documentos' }).click();
    await page.waitForURL(`**/portal/tramite/${caseFolio}`);
    await page.getByTestId('case-status').getByText('Faltan documentos', { exact: false }).waitFor();
    const factura = documentItem('Factura endosada');
    await factura.getByText('Estado: falta').waitFor();

    // HTML bytes named acta.pdf: the browser calls it a PDF, the hub reads the bytes and refuses.
    await factura.getByLabel('Archivo para «Factura endosada»').setInputFiles(join(filesDir, 'acta.pdf'));
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/documents/factura') && r.request().method() === 'POST'),
      factura.getByRole('button', { name: 'Subir «Factura endosada»' }).click(),
    ]);
    expect(refused.status()).toBe(415);
    await factura.getByRole('alert').getByText('El contenido del archivo no corresponde a su tipo', { exact: false }).waitFor();
    expect(await factura.getByRole('alert').textContent()).not.toContain('the file content');
    await factura.getByText('Estado: falta').waitFor();
    await screenshot(page, 'portal-03-rechazo-archivo');

    // A PNG where only a PDF is accepted: refused on the page before any byte is sent.
    await factura.getByLabel('Archivo para «Factura endosada»').setInputFiles(join(filesDir, 'recibo-luz.png'));
    await factura.getByRole('alert').getByText('Ese tipo de archivo no se acepta aquí. Formatos: PDF.').waitFor();

    await factura.getByLabel('Archivo para «Factura endosada»').setInputFiles(join(filesDir, 'factura.pdf'));
    await factura.getByRole('button', { name: 'Subir «Factura endosada»' }).click();
    await factura.getByText('Estado: en revisión').waitFor();
    await factura.getByText('Archivo: factura.pdf').waitFor();
    const domicilio = documentItem('Comprobante de domicilio');
    await domicilio.getByLabel('Archivo para «Comprobante de domicilio»').setInputFiles(join(filesDir, 'recibo-luz.png'));
    await domicilio.getByRole('button', { name: 'Subir «Comprobante de domicilio»' }).click();
    await domicilio.getByText('Estado: en revisión').waitFor();
    await page.getByTestId('case-status').getByText('En revisión', { exact: false }).waitFor();
    // Under review: no upload control any more.
    expect(await page.getByRole('button', { name: /^Subir/ }).count()).toBe(0);
    expect(await latestDocument('factura')).toMatchObject({ version: 1, mime_type: 'application/pdf', status: 'pending_review' });
    expect(await latestDocument('domicilio')).toMatchObject({ version: 1, mime_type: 'image/png', status: 'pending_review' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'portal-04-en-revision');
  });

  it('shows the reviewer’s rejection and its reason after a reload; the citizen uploads again and another reviewer approves', async () => {
    await review('factura', 'approved');
    const rejector = await review('domicilio', 'rejected', 'El comprobante tiene más de tres meses de antigüedad');

    await page.reload();
    const domicilio = documentItem('Comprobante de domicilio');
    await domicilio.getByText('Estado: rechazado').waitFor();
    await domicilio.getByText('Motivo: El comprobante tiene más de tres meses de antigüedad').waitFor();
    await documentItem('Factura endosada').getByText('Estado: aprobado').waitFor();
    await page.getByTestId('case-status').getByText('Requiere correcciones', { exact: false }).waitFor();
    // The reviewer's notice is on the page too.
    const notices = page.getByRole('region', { name: 'Avisos de la revisión' });
    await notices.getByText('más de tres meses', { exact: false }).waitFor();
    // Stored "es / en": the Spanish page shows the Spanish half only.
    expect(await notices.textContent()).not.toContain('Reason:');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'portal-05-rechazado');

    await domicilio.getByLabel('Archivo para «Comprobante de domicilio»').setInputFiles(join(filesDir, 'recibo-agua.png'));
    await domicilio.getByRole('button', { name: 'Subir «Comprobante de domicilio»' }).click();
    await domicilio.getByText('Estado: en revisión').waitFor();
    const second = await latestDocument('domicilio');
    expect(second.version).toBe(2);
    // Drawn at random again, but never the reviewer who rejected the first version.
    expect(second.reviewer_id).not.toBe(rejector);
    const approver = await review('domicilio', 'approved');
    expect(approver).not.toBe(rejector);
  });

  it('books one of the nearest free slots of the approved case and shows its CITA folio', async () => {
    await page.getByRole('button', { name: 'Actualizar' }).click();
    await page.getByTestId('case-status').getByText('Aprobado: ya puede agendar su cita').waitFor();
    const slots = page.getByRole('group', { name: 'Horarios libres' }).getByRole('radio');
    await slots.first().waitFor();
    expect(await slots.count()).toBe(10);
    // Nothing chosen yet: said, not sent.
    await page.getByRole('button', { name: 'Confirmar cita' }).click();
    await page.getByText('Elija un horario.').waitFor();
    await screenshot(page, 'portal-06-horarios');
    const label = (await page.locator('.pt-slot').nth(1).textContent()) ?? '';
    expect(label).toMatch(/\d{2}:\d{2} h — Oficina Recaudadora León, Módulo [12]$/);
    await slots.nth(1).check();
    await page.getByRole('button', { name: 'Confirmar cita' }).click();

    const citaFolio = page.getByTestId('appointment-folio');
    await citaFolio.waitFor();
    const folio = (await citaFolio.textContent()) ?? '';
    expect(folio).toMatch(/^CITA-[0-9]{8}-[0-9]{6}$/);
    await page.getByTestId('case-status').getByText('Cita agendada').waitFor();
    await page.getByText('Oficina Recaudadora León', { exact: false }).first().waitFor();
    const caseRow = await db().selectFrom('appointment_cases').select(['id', 'status']).where('folio', '=', caseFolio).executeTakeFirstOrThrow();
    const appointment = await db().selectFrom('appointments').selectAll().where('folio', '=', folio).executeTakeFirstOrThrow();
    expect(appointment).toMatchObject({ campaign_id: campaignId, case_id: caseRow.id, channel: 'portal', booked_by_kind: 'portal', status: 'booked', official_id: NSS, service_id: 'vehicular', office_id: 'leon' });
    expect(caseRow.status).toBe('booked');
    // The slot shown is the slot booked (its local time on the page).
    expect(label).toContain(`${new Intl.DateTimeFormat('es-MX', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'America/Mexico_City' }).format(appointment.starts_at)} h`);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(page, 'portal-07-cita');
  });

  it('opens a direct link asking only for the NSS (a wrong one finds nothing), confirms attendance and cancels the appointment', async () => {
    const other = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'es-MX', reducedMotion: 'reduce' });
    try {
      const linked = await other.newPage();
      await linked.goto(url(`/portal/tramite/${caseFolio}`));
      await linked.getByText(`Para ver el trámite ${caseFolio}, escriba el NSS o la CURP con que lo inició.`).waitFor();
      expect(await linked.getByLabel('Folio de trámite').count()).toBe(0);
      await linked.getByLabel('NSS o CURP *').fill('12345678904');
      await linked.getByRole('button', { name: 'Consultar' }).click();
      await linked.getByRole('alert').getByText('No encontramos un trámite con ese folio y ese NSS/CURP.').waitFor();
      await linked.getByLabel('NSS o CURP *').fill(NSS);
      await linked.getByRole('button', { name: 'Consultar' }).click();
      const folio = (await linked.getByTestId('appointment-folio').textContent()) ?? '';
      expect(folio).toMatch(/^CITA-/);

      // The citizen confirms they will attend (as a SÍ to a reminder would).
      await linked.getByRole('button', { name: 'Confirmar mi asistencia' }).click();
      await linked.getByTestId('attendance-confirmed').getByText('Asistencia confirmada. Le esperamos.').waitFor();
      expect((await db().selectFrom('appointments').select('status').where('folio', '=', folio).executeTakeFirstOrThrow()).status).toBe('confirmed');
      expect(await linked.getByRole('button', { name: 'Confirmar mi asistencia' }).count()).toBe(0);

      await linked.getByRole('button', { name: 'Cancelar la cita' }).click();
      await linked.getByText('¿Seguro que desea cancelar su cita?', { exact: false }).waitFor();
      await linked.getByRole('button', { name: 'Sí, cancelar la cita' }).click();
      await linked.getByTestId('case-status').getByText('Aprobado: ya puede agendar su cita').waitFor();
      await linked.getByRole('group', { name: 'Horarios libres' }).getByRole('radio').first().waitFor();
      expect(await linked.getByTestId('appointment-folio').count()).toBe(0);
      const row = await db().selectFrom('appointments').select(['status', 'cancelled_at']).where('folio', '=', folio).executeTakeFirstOrThrow();
      expect(row.status).toBe('cancelled');
      expect(row.cancelled_at).not.toBeNull();

      // The same case in English: the status, and the reviewer's notices in their English half.
      await linked.getByRole('button', { name: 'Read this page in English' }).click();
      await linked.getByTestId('case-status').getByText('Approved: you can book your appointment').waitFor();
      const notices = linked.getByRole('region', { name: 'Review notices' });
      await notices.getByText('was approved', { exact: false }).first().waitFor();
      expect(await notices.textContent()).not.toContain('fue aprobado');
    } finally {
      await other.close();
    }
  });
});

/** A one-page PDF (what a scanner writes, minus the image): real PDF syntax the hub's sniffer accepts. */
function minimalPdf(title: string): Buffer {
  const content = `BT /F1 24 Tf 72 700 Td (${title}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
