import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../../hub/src/appointments/booking/book-appointment.usecase.js';
import { HubError } from '../../../hub/src/errors/error-registry.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { PDF_BYTES, createProcedure, freshIp, latestDoc, officeStaff, openPortalCase, pdf, png, upload, type Staff } from './procedure-fixtures.js';

/**
 * Pre-review (seed-digest §9.1): random reviewer assignment, decisions by the assigned reviewer
 * only, notices, re-upload, and the booking gate — only an approved case books.
 */
let h: TestHub;
let dataDir: string;
let staff: Staff;
const db = () => h.ctx.db.kysely;
const api = () => `/api/v1/appointments/campaigns/${staff.campaignId}`;

function review(caseId: string, documentId: string, auth: { authorization: string }, payload: Record<string, unknown>) {
  return h.app.inject({ method: 'POST', url: `${api()}/cases/${caseId}/documents/${documentId}/review`, headers: auth, payload });
}

function reviewerAuth(id: string | null) {
  const reviewer = staff.reviewers.find((r) => r.id === id);
  if (!reviewer) throw new Error(`not one of the three reviewers: ${id}`);
  return reviewer.auth;
}

function portalGet(url: string, officialId: string) {
  return h.app.inject({ method: 'GET', url, headers: { 'x-official-id': officialId, 'x-forwarded-for': freshIp() } });
}

/** Opens a case and uploads both required documents. */
async function submittedCase() {
  const opened = await openPortalCase(h, 'placas');
  expect((await upload(h, opened.folio, opened.officialId, 'ine', pdf())).statusCode).toBe(201);
  expect((await upload(h, opened.folio, opened.officialId, 'factura', png())).statusCode).toBe(201);
  return opened;
}

async function approveAll(folio: string) {
  for (const requirement of ['ine', 'factura']) {
    const doc = await latestDoc(db(), folio, requirement);
    const res = await review(doc.case_id, doc.id, reviewerAuth(doc.reviewer_id), { decision: 'approved' });
    expect(res.statusCode, res.body).toBe(200);
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ventanilla-review-'));
  h = await createTestHub({ DATA_DIR: dataDir });
  staff = await officeStaff(db());
  await createProcedure(h, staff, 'placas');
});
afterAll(async () => {
  await h.cleanup();
  await rm(dataDir, { recursive: true, force: true });
});

describe('random reviewer assignment', () => {
  it('spreads 60 uploads over the three eligible reviewers and never to anyone else; each draw is audited without personal data', async () => {
    const drawn: (string | null)[] = [];
    for (let i = 0; i < 60; i += 1) {
      const { folio, officialId } = await openPortalCase(h, 'placas');
      expect((await upload(h, folio, officialId, 'ine', pdf())).statusCode).toBe(201);
      drawn.push((await latestDoc(db(), folio, 'ine')).reviewer_id);
    }
    const reviewerIds = staff.reviewers.map((r) => r.id);
    for (const id of drawn) expect(reviewerIds).toContain(id);
    // 3 × (2/3)^60 ≈ 1e-10: every reviewer gets some.
    for (const id of reviewerIds) expect(drawn.filter((d) => d === id).length).toBeGreaterThan(0);
    for (const decoy of staff.decoys) expect(drawn).not.toContain(decoy);

    const audits = await db().selectFrom('audit_log').select(['details']).where('action', '=', 'appointment.case_assigned').where('campaign_id', '=', staff.campaignId).execute();
    expect(audits.length).toBeGreaterThanOrEqual(60);
    const text = JSON.stringify(audits);
    expect(text).not.toContain('Ana Gómez');
    expect(text).not.toContain('GOMA80');
  });
});

describe('review', () => {
  it('only the assigned reviewer decides: another reviewer, the supervisor and an admin get 403; a rejection needs a reason', async () => {
    const { folio } = await submittedCase();
    const doc = await latestDoc(db(), folio, 'ine');
    const other = staff.reviewers.find((r) => r.id !== doc.reviewer_id);
    if (!other) throw new Error('three reviewers expected');
    for (const auth of [other.auth, staff.supervisor.auth, staff.admin.auth]) {
      const res = await review(doc.case_id, doc.id, auth, { decision: 'approved' });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('HUB_ERR_APPOINTMENT_NOT_ASSIGNED_REVIEWER');
    }
    const noReason = await review(doc.case_id, doc.id, reviewerAuth(doc.reviewer_id), { decision: 'rejected' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.message).toContain('indique el motivo del rechazo');
    expect((await latestDoc(db(), folio, 'ine')).status).toBe('pending_review');
  });

  it('a rejection with its reason: changes requested, the citizen reads the notice; the re-upload is a new version drawn away from the rejecting reviewer', async () => {
    const { folio, officialId } = await submittedCase();
    let doc = await latestDoc(db(), folio, 'ine');
    const rejected = await review(doc.case_id, doc.id, reviewerAuth(doc.reviewer_id), { decision: 'rejected', reason: 'La INE está ilegible' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json().case.status).toBe('changes_requested');

    const seen = await portalGet(`/portal/v1/cases/${folio}`, officialId);
    const view = seen.json().case;
    expect(view.status).toBe('changes_requested');
    expect(view.documents[0]).toMatchObject({ requirementId: 'ine', status: 'rejected', reason: 'La INE está ilegible' });
    expect(view.documents[0].reviewedAt).not.toBeNull();
    expect(view.notices).toHaveLength(1);
    expect(view.notices[0].text).toMatch(/^Trámite TRAM-\d{8}-\d{6}: su documento «Identificación oficial» fue rechazado\. Motivo: La INE está ilegible\./);
    const audit = await db().selectFrom('audit_log').select(['actor_user_id', 'details']).where('action', '=', 'appointment.document_reviewed').where('target_id', '=', doc.id).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_user_id: doc.reviewer_id, details: expect.objectContaining({ decision: 'rejected', caseStatus: 'changes_requested' }) });

    // Reject and re-upload ten times: the new version never goes back to who rejected the last one.
    for (let round = 0; round < 10; round += 1) {
      const rejecter = doc.reviewer_id;
      const again = await upload(h, folio, officialId, 'ine', pdf(`ine-v${round + 2}.pdf`));
      expect(again.statusCode, again.body).toBe(201);
      const next = await latestDoc(db(), folio, 'ine');
      expect(next.version).toBe(doc.version + 1);
      expect(next.status).toBe('pending_review');
      expect(next.reviewer_id).not.toBe(rejecter);
      expect(staff.reviewers.map((r) => r.id)).toContain(next.reviewer_id);
      const res = await review(next.case_id, next.id, reviewerAuth(next.reviewer_id), { decision: 'rejected', reason: `Ronda ${round}` });
      expect(res.statusCode).toBe(200);
      doc = next;
    }
    // Every version is kept with its own reason.
    const versions = await db().selectFrom('appointment_case_documents').select(['version', 'reason']).where('case_id', '=', doc.case_id).where('requirement_id', '=', 'ine').orderBy('version').execute();
    expect(versions).toHaveLength(11);
    expect(versions[0]).toEqual({ version: 1, reason: 'La INE está ilegible' });
  });

  it('approving every required document approves the case; a decided document cannot be decided again', async () => {
    const { folio, officialId } = await submittedCase();
    await approveAll(folio);
    const view = (await portalGet(`/portal/v1/cases/${folio}`, officialId)).json().case;
    expect(view.status).toBe('approved');
    expect(view.notices.at(-1).text).toContain('Todos sus documentos están aprobados; ya puede agendar su cita.');
    const doc = await latestDoc(db(), folio, 'ine');
    const twice = await review(doc.case_id, doc.id, reviewerAuth(doc.reviewer_id), { decision: 'rejected', reason: 'cambio de opinión' });
    expect(twice.statusCode).toBe(409);
    // An approved document is not uploaded again.
    const reupload = await upload(h, folio, officialId, 'ine', pdf());
    expect(reupload.statusCode).toBe(409);
    expect(reupload.json().error.message).toContain('ya está aprobado');
  });
});

describe('staff access to cases', () => {
  it('the review queue: a reviewer sees their own documents, the supervisor all; case and file for the assigned reviewer, not for another', async () => {
    const { folio } = await submittedCase();
    const doc = await latestDoc(db(), folio, 'ine');
    const mine = await h.app.inject({ method: 'GET', url: `${api()}/review-queue`, headers: reviewerAuth(doc.reviewer_id) });
    expect(mine.statusCode).toBe(200);
    const items = mine.json().items;
    expect(items.every((i: { assignedTo: { id: string } }) => i.assignedTo.id === doc.reviewer_id)).toBe(true);
    expect(items.find((i: { documentId: string }) => i.documentId === doc.id)).toMatchObject({ caseFolio: folio, procedureName: 'Alta de vehículo', requirementName: 'Identificación oficial', fileName: 'ine.pdf' });

    const all = await h.app.inject({ method: 'GET', url: `${api()}/review-queue`, headers: staff.supervisor.auth });
    const owners = new Set(all.json().items.map((i: { assignedTo: { id: string } }) => i.assignedTo.id));
    expect(owners.size).toBeGreaterThan(1);

    const assigned = await h.app.inject({ method: 'GET', url: `${api()}/cases/${doc.case_id}`, headers: reviewerAuth(doc.reviewer_id) });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json().case).toMatchObject({ id: doc.case_id, folio, channel: 'portal', citizen: { fullName: 'Ana Gómez Trejo', officialIdKind: 'curp', birthDate: '1980-01-15' } });

    const file = await h.app.inject({ method: 'GET', url: `${api()}/cases/${doc.case_id}/documents/${doc.id}/file`, headers: reviewerAuth(doc.reviewer_id) });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PDF_BYTES)).toBe(true);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="ine.pdf"/);

    // A reviewer with no document of this case: neither the case nor the file.
    const assignedIds = (await db().selectFrom('appointment_case_documents').select('reviewer_id').where('case_id', '=', doc.case_id).execute()).map((r) => r.reviewer_id);
    // Two documents, three reviewers: at least one reviewer holds none of this case.
    const stranger = staff.reviewers.find((r) => !assignedIds.includes(r.id));
    if (!stranger) throw new Error('a reviewer without a document of this case');
    expect((await h.app.inject({ method: 'GET', url: `${api()}/cases/${doc.case_id}`, headers: stranger.auth })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: `${api()}/cases/${doc.case_id}/documents/${doc.id}/file`, headers: stranger.auth })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: `${api()}/cases/${doc.case_id}`, headers: staff.agent.auth })).statusCode).toBe(403);
  });

  it('with nobody eligible the document waits unassigned in the supervisor’s queue; reassign draws among the eligible, audited; reviewers cannot reassign', async () => {
    await createProcedure(h, staff, 'licencia', {
      name: 'Licencia de conducir',
      description: '',
      serviceId: 'otro',
      active: true,
      reviewerSkill: 'revision_licencias',
      requirements: [{ id: 'ine', name: 'Identificación oficial', required: true, accept: ['application/pdf'] }],
    });
    const { folio, officialId } = await openPortalCase(h, 'licencia');
    expect((await upload(h, folio, officialId, 'ine', pdf())).statusCode).toBe(201);
    const doc = await latestDoc(db(), folio, 'ine');
    expect(doc.reviewer_id).toBeNull();
    const queue = await h.app.inject({ method: 'GET', url: `${api()}/review-queue`, headers: staff.supervisor.auth });
    expect(queue.json().items.find((i: { documentId: string }) => i.documentId === doc.id)).toMatchObject({ assignedTo: null });

    const url = `${api()}/cases/${doc.case_id}/documents/${doc.id}/reassign`;
    const none = await h.app.inject({ method: 'POST', url, headers: staff.supervisor.auth, payload: { reason: 'Sin revisor' } });
    expect(none.statusCode).toBe(409);
    expect(none.json().error.code).toBe('HUB_ERR_APPOINTMENT_NO_REVIEWER');

    const skill = await db().insertInto('skills').values({ campaign_id: staff.campaignId, name: 'revision_licencias' }).returning('id').executeTakeFirstOrThrow();
    const [first, second] = staff.reviewers;
    if (!first || !second) throw new Error('three reviewers expected');
    await db()
      .insertInto('agent_skills')
      .values([first, second].map((r) => ({ user_id: r.id, skill_id: skill.id, level: 3 })))
      .execute();
    expect((await h.app.inject({ method: 'POST', url, headers: first.auth, payload: { reason: 'Yo lo tomo' } })).statusCode).toBe(403);

    const assigned = await h.app.inject({ method: 'POST', url, headers: staff.supervisor.auth, payload: { reason: 'Ya hay revisores' } });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const holder = assigned.json().assignedTo.id;
    expect([first.id, second.id]).toContain(holder);
    // Reassigning again always moves it to the other one (the only other eligible).
    const moved = await h.app.inject({ method: 'POST', url, headers: staff.admin.auth, payload: { reason: 'Carga de trabajo' } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().assignedTo.id).toBe(holder === first.id ? second.id : first.id);
    const audits = await db().selectFrom('audit_log').select(['actor_user_id', 'details']).where('action', '=', 'appointment.case_assigned').where('target_id', '=', doc.id).orderBy('id').execute();
    expect(audits.map((a) => a.details)).toEqual([
      expect.objectContaining({ cause: 'upload', reviewerId: null, eligibleCount: 0 }),
      expect.objectContaining({ cause: 'reassign', reviewerId: holder, reason: 'Ya hay revisores' }),
      expect.objectContaining({ cause: 'reassign', avoided: true }),
    ]);
    expect(audits[2]?.actor_user_id).toBe(staff.admin.id);
  });
});

describe('booking gate', () => {
  it('slots for a case not approved → 409; approved → the nearest slots; booking through the portal links the appointment and books the case; status by folio shows it', async () => {
    const { folio, officialId } = await submittedCase();
    const early = await portalGet(`/portal/v1/cases/${folio}/slots`, officialId);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('HUB_ERR_APPOINTMENT_CASE_NOT_APPROVED');
    expect(early.json().error.message).toMatch(/^Primero sus documentos deben ser aprobados/);

    await approveAll(folio);
    const slots = await portalGet(`/portal/v1/cases/${folio}/slots`, officialId);
    expect(slots.statusCode, slots.body).toBe(200);
    const offered = slots.json().slots;
    expect(offered).toHaveLength(10);
    expect(offered[0]).toMatchObject({ serviceId: 'vehicular', serviceName: 'Trámite vehicular', officeName: 'Recaudadora León' });
    expect(offered[0].localTime).toMatch(/^\d{2}:\d{2}$/);

    const slot = offered[0];
    const booked = await h.app.inject({
      method: 'POST',
      url: `/portal/v1/cases/${folio}/appointment`,
      headers: { 'x-official-id': officialId, 'x-forwarded-for': freshIp() },
      payload: { roomId: slot.roomId, startsAt: slot.startsAt },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const view = booked.json().case;
    expect(view.status).toBe('booked');
    expect(view.appointment).toMatchObject({ status: 'booked', startsAt: slot.startsAt, localDate: slot.localDate, localTime: slot.localTime, roomName: slot.roomName, serviceName: 'Trámite vehicular' });
    expect(view.appointment.folio).toMatch(/^CITA-\d{8}-\d{6}$/);

    const row = await db()
      .selectFrom('appointments as a')
      .innerJoin('appointment_cases as c', 'c.id', 'a.case_id')
      .select(['a.channel', 'a.booked_by_kind', 'a.official_id', 'c.status'])
      .where('a.folio', '=', view.appointment.folio)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ channel: 'portal', booked_by_kind: 'portal', official_id: officialId, status: 'booked' });

    // One active appointment per case.
    const second = await h.app.inject({
      method: 'POST',
      url: `/portal/v1/cases/${folio}/appointment`,
      headers: { 'x-official-id': officialId, 'x-forwarded-for': freshIp() },
      payload: { roomId: offered[1].roomId, startsAt: offered[1].startsAt },
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('HUB_ERR_APPOINTMENT_CASE_HAS_APPOINTMENT');

    // Tracking by folio at any hour: documents, notices, the appointment.
    const tracked = (await portalGet(`/portal/v1/cases/${folio}`, officialId)).json().case;
    expect(tracked.documents.filter((d: { required: boolean }) => d.required).map((d: { status: string }) => d.status)).toEqual(['approved', 'approved']);
    expect(tracked.notices).toHaveLength(2);
    expect(tracked.appointment.folio).toBe(view.appointment.folio);

    // Confirmed on the portal (twice: the second changes nothing), then cancelled there.
    for (let i = 0; i < 2; i++) {
      const confirmed = await h.app.inject({ method: 'POST', url: `/portal/v1/cases/${folio}/appointment/confirm`, headers: { 'x-official-id': officialId, 'x-forwarded-for': freshIp() } });
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect(confirmed.json().case).toMatchObject({ status: 'booked', appointment: { status: 'confirmed' } });
    }
    const wrongId = await h.app.inject({ method: 'POST', url: `/portal/v1/cases/${folio}/appointment/confirm`, headers: { 'x-official-id': '12345678909', 'x-forwarded-for': freshIp() } });
    expect(wrongId.statusCode).toBe(404);

    // Cancelled on the portal: the slot is free again and the case can book anew.
    const cancelled = await h.app.inject({ method: 'POST', url: `/portal/v1/cases/${folio}/appointment/cancel`, headers: { 'x-official-id': officialId, 'x-forwarded-for': freshIp() } });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().case).toMatchObject({ status: 'approved', appointment: { status: 'cancelled' } });
    const rebooked = await h.app.inject({
      method: 'POST',
      url: `/portal/v1/cases/${folio}/appointment`,
      headers: { 'x-official-id': officialId, 'x-forwarded-for': freshIp() },
      payload: { roomId: slot.roomId, startsAt: slot.startsAt },
    });
    expect(rebooked.statusCode, rebooked.body).toBe(201);

    // Cancelled by staff in the inbox: the case is approved again too (any path that cancels reopens it).
    const staffCancel = await h.app.inject({ method: 'POST', url: `${api()}/appointments/${rebooked.json().case.appointment.folio}/cancel`, headers: staff.supervisor.auth, payload: { reason: 'La oficina cierra ese día' } });
    expect(staffCancel.statusCode, staffCancel.body).toBe(200);
    expect((await portalGet(`/portal/v1/cases/${folio}`, officialId)).json().case).toMatchObject({ status: 'approved', appointment: { status: 'cancelled' } });
  });

  it('bookAppointment refuses the service without a case, with a case not approved, and with a case of another service; a refusal leaves the case as it was', async () => {
    const approved = await approvedCase();
    const slot = (await portalGet(`/portal/v1/cases/${approved.folio}/slots`, approved.officialId)).json().slots[0];
    const input = { campaignId: staff.campaignId, serviceId: 'vehicular', roomId: slot.roomId, startsAt: slot.startsAt, officialId: { kind: 'nss', value: '12345678901' }, familyGroupId: 'fam-x', channel: 'agent' };
    const refusal = async (extra: Record<string, unknown>) => {
      const error = await bookAppointment(db(), { ...input, ...extra }, { kind: 'user', userId: staff.admin.id }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HubError);
      return error instanceof HubError ? error : undefined;
    };
    const withoutCase = await refusal({});
    expect(withoutCase?.code).toBe('HUB_ERR_APPOINTMENT_CASE_NOT_APPROVED');
    expect(withoutCase?.message).toMatch(/^Primero sus documentos deben ser aprobados/);

    const pending = await submittedCase();
    const pendingId = (await latestDoc(db(), pending.folio, 'ine')).case_id;
    expect((await refusal({ caseId: pendingId }))?.code).toBe('HUB_ERR_APPOINTMENT_CASE_NOT_APPROVED');

    expect((await refusal({ caseId: approved.caseId, serviceId: 'otro' }))?.code).toBe('HUB_ERR_APPOINTMENT_CASE_SERVICE_MISMATCH');
    const status = await db().selectFrom('appointment_cases').select('status').where('id', '=', approved.caseId).executeTakeFirstOrThrow();
    expect(status.status).toBe('approved');
    expect(await db().selectFrom('appointments').select('id').where('case_id', '=', approved.caseId).execute()).toEqual([]);

    // A service whose procedure is inactive (or that has none) books as before.
    await createProcedure(h, staff, 'licencia', {
      name: 'Licencia de conducir',
      serviceId: 'otro',
      active: false,
      requirements: [{ id: 'ine', name: 'Identificación oficial', required: true, accept: ['application/pdf'] }],
    });
    const free = await bookAppointment(db(), { ...input, serviceId: 'otro' }, { kind: 'user', userId: staff.admin.id });
    expect(free.folio).toMatch(/^CITA-/);
  });
});

/** One case with both required documents approved (made once). */
let cachedApproved: { folio: string; officialId: string; caseId: string } | undefined;
async function approvedCase() {
  if (!cachedApproved) {
    const { folio, officialId } = await submittedCase();
    await approveAll(folio);
    cachedApproved = { folio, officialId, caseId: (await latestDoc(db(), folio, 'ine')).case_id };
  }
  return cachedApproved;
}
