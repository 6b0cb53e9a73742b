import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import {
  GIF_BYTES,
  HTML_BYTES,
  PDF_BYTES,
  PNG_BYTES,
  createProcedure,
  freshIp,
  officeStaff,
  openPortalCase,
  pdf,
  png,
  procedureBody,
  upload,
  type Staff,
} from './procedure-fixtures.js';

/** Procedures (admin) and the portal's case and upload routes: type and size refused by content, nothing kept. */
let h: TestHub;
let dataDir: string;
let staff: Staff;
const db = () => h.ctx.db.kysely;

async function filesOnDisk(): Promise<number> {
  const root = join(dataDir, 'files');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).length;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ventanilla-portal-'));
  h = await createTestHub({ DATA_DIR: dataDir });
  staff = await officeStaff(db());
});
afterAll(async () => {
  await h.cleanup();
  await rm(dataDir, { recursive: true, force: true });
});

describe('procedures (staff)', () => {
  it('an admin creates and replaces a procedure; it is listed for staff and on the portal; saves are audited', async () => {
    const created = await createProcedure(h, staff, 'alta-vehiculo');
    expect(created.procedure).toMatchObject({ id: 'alta-vehiculo', campaignId: staff.campaignId, serviceId: 'vehicular', active: true, reviewerSkill: 'revision_documental' });
    expect(created.procedure.requirements.map((r: { id: string; maxBytes: number }) => [r.id, r.maxBytes])).toEqual([
      ['ine', 2048],
      ['factura', 10 * 1024 * 1024],
      ['foto', 10 * 1024 * 1024],
    ]);
    await createProcedure(h, staff, 'alta-vehiculo', procedureBody({ name: 'Alta de vehículo nuevo' }));

    const list = await h.app.inject({ method: 'GET', url: `/api/v1/appointments/campaigns/${staff.campaignId}/procedures`, headers: staff.agent.auth });
    expect(list.statusCode).toBe(200);
    expect(list.json().procedures.map((p: { id: string; name: string }) => [p.id, p.name])).toEqual([['alta-vehiculo', 'Alta de vehículo nuevo']]);

    const portal = await h.app.inject({ method: 'GET', url: '/portal/v1/procedures', headers: { 'x-forwarded-for': freshIp() } });
    expect(portal.statusCode).toBe(200);
    const mine = portal.json().procedures.find((p: { id: string }) => p.id === 'alta-vehiculo');
    expect(mine).toMatchObject({ campaignId: staff.campaignId, name: 'Alta de vehículo nuevo', serviceId: 'vehicular' });
    expect(mine.campaignName).toMatch(/^Recaudación/);

    const audits = await db().selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'appointment.procedure_saved').where('target_id', '=', 'alta-vehiculo').execute();
    expect(audits.map((a) => a.details)).toEqual([expect.objectContaining({ created: true }), expect.objectContaining({ created: false })]);
  });

  it('refuses a non-admin (403), a service the calendar lacks and an oversized maxBytes (400, Spanish)', async () => {
    const url = `/api/v1/appointments/campaigns/${staff.campaignId}/procedures/otro-tramite`;
    const asSupervisor = await h.app.inject({ method: 'PUT', url, headers: staff.supervisor.auth, payload: procedureBody() });
    expect(asSupervisor.statusCode).toBe(403);
    const unknownService = await h.app.inject({ method: 'PUT', url, headers: staff.admin.auth, payload: procedureBody({ serviceId: 'no-existe' }) });
    expect(unknownService.statusCode).toBe(400);
    expect(unknownService.json().error.message).toContain('el calendario no tiene el servicio «no-existe»');
    const huge = procedureBody({ requirements: [{ id: 'ine', name: 'INE', required: true, accept: ['application/pdf'], maxBytes: 20 * 1024 * 1024 }] });
    const tooBig = await h.app.inject({ method: 'PUT', url, headers: staff.admin.auth, payload: huge });
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json().error.message).toContain('máximo 10 MB por documento');
    const gif = procedureBody({ requirements: [{ id: 'ine', name: 'INE', required: true, accept: ['image/gif'] }] });
    expect((await h.app.inject({ method: 'PUT', url, headers: staff.admin.auth, payload: gif })).statusCode).toBe(400);
    expect(await db().selectFrom('appointment_procedures').select('id').where('id', '=', 'otro-tramite').executeTakeFirst()).toBeUndefined();
  });
});

describe('portal cases and uploads', () => {
  it('opens a case with a TRAM folio; the folio alone, or with another id, reveals nothing (404)', async () => {
    const { folio, officialId, body } = await openPortalCase(h, 'alta-vehiculo');
    expect(folio).toMatch(/^TRAM-\d{8}-\d{6}$/);
    expect(body.case).toMatchObject({ procedureId: 'alta-vehiculo', procedureName: 'Alta de vehículo nuevo', status: 'documents_pending', appointment: null, notices: [] });
    expect(body.case.documents.map((d: { requirementId: string; status: string; required: boolean }) => [d.requirementId, d.status, d.required])).toEqual([
      ['ine', 'missing', true],
      ['factura', 'missing', true],
      ['foto', 'missing', false],
    ]);
    const ok = await h.app.inject({ method: 'GET', url: `/portal/v1/cases/${folio}`, headers: { 'x-official-id': officialId.toLowerCase(), 'x-forwarded-for': freshIp() } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().case.folio).toBe(folio);

    for (const headers of [{}, { 'x-official-id': 'GOMA800101HGTRRN99' }]) {
      const res = await h.app.inject({ method: 'GET', url: `/portal/v1/cases/${folio}`, headers: { ...headers, 'x-forwarded-for': freshIp() } });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('HUB_ERR_APPOINTMENT_CASE_NOT_FOUND');
      expect(res.json().error.message).toMatch(/^No encontramos un trámite/);
    }
    const unknown = await h.app.inject({ method: 'GET', url: '/portal/v1/cases/TRAM-20261126-999999', headers: { 'x-official-id': officialId, 'x-forwarded-for': freshIp() } });
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses an unknown or inactive procedure and a bad CURP with Spanish messages', async () => {
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/portal/v1/cases',
      headers: { 'x-forwarded-for': freshIp() },
      payload: { procedureId: 'no-existe', officialId: { kind: 'curp', value: 'GOMA800101HGTRRN01' }, birthDate: '1980-01-15', fullName: 'Ana Gómez' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('HUB_ERR_APPOINTMENT_PROCEDURE_NOT_FOUND');
    await createProcedure(h, staff, 'baja-vehiculo', procedureBody({ name: 'Baja de vehículo', active: false }));
    const inactive = await h.app.inject({
      method: 'POST',
      url: '/portal/v1/cases',
      headers: { 'x-forwarded-for': freshIp() },
      payload: { procedureId: 'baja-vehiculo', officialId: { kind: 'curp', value: 'GOMA800101HGTRRN01' }, birthDate: '1980-01-15', fullName: 'Ana Gómez' },
    });
    expect(inactive.statusCode).toBe(404);
    expect(inactive.json().error.message).toMatch(/^Trámite no encontrado o no disponible/);
    const listed = await h.app.inject({ method: 'GET', url: '/portal/v1/procedures', headers: { 'x-forwarded-for': freshIp() } });
    expect(listed.json().procedures.map((p: { id: string }) => p.id)).not.toContain('baja-vehiculo');
    const badCurp = await h.app.inject({
      method: 'POST',
      url: '/portal/v1/cases',
      headers: { 'x-forwarded-for': freshIp() },
      payload: { procedureId: 'alta-vehiculo', officialId: { kind: 'curp', value: 'XYZ' }, birthDate: '1980-01-15', fullName: 'Ana Gómez' },
    });
    expect(badCurp.statusCode).toBe(400);
    expect(badCurp.json().error.message).toContain('la CURP no es válida');
  });

  it('takes a real PDF and a real PNG: pending review, the case in review once every required document is in', async () => {
    const { folio, officialId } = await openPortalCase(h, 'alta-vehiculo');
    const first = await upload(h, folio, officialId, 'ine', pdf('INE de Ana.pdf'));
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().case.status).toBe('documents_pending');
    expect(first.json().case.documents[0]).toMatchObject({ requirementId: 'ine', status: 'pending_review', fileName: 'INE de Ana.pdf', reason: null, reviewedAt: null });

    const second = await upload(h, folio, officialId, 'factura', png());
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().case.status).toBe('in_review');
    const stored = await db()
      .selectFrom('appointment_case_documents as d')
      .innerJoin('appointment_cases as c', 'c.id', 'd.case_id')
      .select(['d.requirement_id', 'd.mime_type', 'd.size', 'd.version', 'd.status'])
      .where('c.folio', '=', folio)
      .orderBy('d.requirement_id')
      .execute();
    expect(stored).toEqual([
      { requirement_id: 'factura', mime_type: 'image/png', size: PNG_BYTES.length, version: 1, status: 'pending_review' },
      { requirement_id: 'ine', mime_type: 'application/pdf', size: PDF_BYTES.length, version: 1, status: 'pending_review' },
    ]);

    // Under review: uploading it again is refused (409), nothing new kept.
    const again = await upload(h, folio, officialId, 'ine', pdf());
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('está en revisión');
  });

  it('refuses forged, unaccepted and oversized files (415 / 413, Spanish) and keeps nothing of them', async () => {
    const { folio, officialId } = await openPortalCase(h, 'alta-vehiculo');
    const before = await filesOnDisk();

    const pngNamedPdf = await upload(h, folio, officialId, 'ine', { filename: 'ine.pdf', type: 'application/pdf', bytes: PNG_BYTES });
    expect(pngNamedPdf.statusCode).toBe(415);
    expect(pngNamedPdf.json().error.message).toMatch(/^El contenido del archivo no corresponde a su tipo/);

    const htmlNamedPdf = await upload(h, folio, officialId, 'ine', { filename: 'ine.pdf', type: 'application/octet-stream', bytes: HTML_BYTES });
    expect(htmlNamedPdf.statusCode).toBe(415);

    const pngForPdfOnly = await upload(h, folio, officialId, 'ine', png('ine.png'));
    expect(pngForPdfOnly.statusCode).toBe(415);
    expect(pngForPdfOnly.json().error.message).toMatch(/^Para «Identificación oficial» se acepta solo: PDF/);

    const gif = await upload(h, folio, officialId, 'factura', { filename: 'factura.gif', type: 'image/gif', bytes: GIF_BYTES });
    expect(gif.statusCode).toBe(415);

    // «ine» accepts at most 2 048 bytes.
    const big = Buffer.concat([PDF_BYTES, Buffer.alloc(4096, 0x20)]);
    const tooBig = await upload(h, folio, officialId, 'ine', { filename: 'ine.pdf', type: 'application/pdf', bytes: big });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.message).toMatch(/^El archivo excede el máximo de/);

    const unknownRequirement = await upload(h, folio, officialId, 'pasaporte', pdf());
    expect(unknownRequirement.statusCode).toBe(404);

    const wrongId = await upload(h, folio, 'GOMA800101HGTRRN99', 'ine', pdf());
    expect(wrongId.statusCode).toBe(404);

    const documents = await db()
      .selectFrom('appointment_case_documents as d')
      .innerJoin('appointment_cases as c', 'c.id', 'd.case_id')
      .select('d.id')
      .where('c.folio', '=', folio)
      .execute();
    expect(documents).toEqual([]);
    expect(await filesOnDisk()).toBe(before);

    // The same case then takes a genuine file.
    expect((await upload(h, folio, officialId, 'ine', pdf())).statusCode).toBe(201);
    expect(await filesOnDisk()).toBe(before + 1);
  });

  it('two uploads of one document at the same moment: one becomes the version under review, the other gets 409 and leaves no bytes', async () => {
    const { folio, officialId } = await openPortalCase(h, 'alta-vehiculo');
    const before = await filesOnDisk();
    const results = await Promise.all([upload(h, folio, officialId, 'ine', pdf('a.pdf')), upload(h, folio, officialId, 'ine', pdf('b.pdf'))]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const documents = await db()
      .selectFrom('appointment_case_documents as d')
      .innerJoin('appointment_cases as c', 'c.id', 'd.case_id')
      .select(['d.version'])
      .where('c.folio', '=', folio)
      .execute();
    expect(documents).toEqual([{ version: 1 }]);
    expect(await filesOnDisk()).toBe(before + 1);
  });

  it('limits case creation per IP (429 with Retry-After)', async () => {
    const ip = freshIp();
    const payload = { procedureId: 'alta-vehiculo', officialId: { kind: 'curp', value: 'GOMA800101HGTRRN01' }, birthDate: '1980-01-15', fullName: 'Ana Gómez' };
    const statuses: number[] = [];
    let last = await h.app.inject({ method: 'POST', url: '/portal/v1/cases', headers: { 'x-forwarded-for': ip }, payload });
    statuses.push(last.statusCode);
    for (let i = 0; i < 20; i += 1) {
      last = await h.app.inject({ method: 'POST', url: '/portal/v1/cases', headers: { 'x-forwarded-for': ip }, payload });
      statuses.push(last.statusCode);
    }
    expect(statuses.slice(0, 20).every((s) => s === 201)).toBe(true);
    expect(last.statusCode).toBe(429);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(last.json().error.message).toMatch(/^Demasiadas solicitudes/);
    // Another address is not affected.
    expect((await h.app.inject({ method: 'POST', url: '/portal/v1/cases', headers: { 'x-forwarded-for': freshIp() }, payload })).statusCode).toBe(201);
  });
});
