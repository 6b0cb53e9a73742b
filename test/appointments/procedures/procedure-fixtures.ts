import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { Database } from '@ventanilla/hub';
import { saveCalendar } from '../../../hub/src/appointments/booking/calendar.store.js';
import { bearer, tokenFor } from '../../support/auth.js';
import { createCampaign, createUser } from '../../support/factories.js';
import type { TestHub } from '../../support/test-context.js';

/** A real one-page PDF (header, catalog, page, xref, trailer). */
export const PDF_BYTES = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n',
  'latin1',
);
/** A real 1×1 PNG. */
export const PNG_BYTES = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
export const HTML_BYTES = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>', 'utf8');
export const GIF_BYTES = Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1');

export function multipartFile(file: { filename: string; type: string; bytes: Buffer }, field = 'file'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----portal${randomUUID().replaceAll('-', '')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head, 'utf8'), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/**
 * A tax office (Recaudadora León) open every day 08:00–14:00 in Mexico City, two desks offering
 * «Trámite vehicular» (20 min), 10 per desk per shift: the real clock always finds slots.
 */
export function officeCalendar() {
  const shift = (room: string) => ({ id: `${room}-mat`, roomId: room, name: 'Matutino', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '08:00', end: '14:00', capacity: 10 });
  return {
    timeZone: 'America/Mexico_City',
    offices: [{ id: 'rec-leon', name: 'Recaudadora León' }],
    rooms: [
      { id: 'v1', officeId: 'rec-leon', name: 'Ventanilla 1', serviceIds: ['vehicular', 'otro'] },
      { id: 'v2', officeId: 'rec-leon', name: 'Ventanilla 2', serviceIds: ['vehicular', 'otro'] },
    ],
    services: [
      { id: 'vehicular', name: 'Trámite vehicular', slotMinutes: 20, excludedTimes: [] },
      { id: 'otro', name: 'Otro trámite', slotMinutes: 20, excludedTimes: [] },
    ],
    shifts: [shift('v1'), shift('v2')],
    blocked: [],
    holidays: [],
  };
}

export interface Staff {
  readonly campaignId: string;
  readonly admin: { id: string; auth: { authorization: string } };
  readonly supervisor: { id: string; auth: { authorization: string } };
  readonly reviewers: { id: string; auth: { authorization: string } }[];
  /** An agent of the campaign without the reviewer skill. */
  readonly agent: { id: string; auth: { authorization: string } };
  /** Hold the skill name but must never be drawn: a disabled account, a member of another campaign. */
  readonly decoys: string[];
}

async function withToken(db: Kysely<Database>, user: { id: string }) {
  return { id: user.id, auth: bearer(await tokenFor(db, user.id)) };
}

export async function grantSkill(db: Kysely<Database>, campaignId: string, userId: string, skill = 'revision_documental'): Promise<void> {
  const existing = await db.selectFrom('skills').select('id').where('campaign_id', '=', campaignId).where('name', '=', skill).executeTakeFirst();
  const skillId = existing?.id ?? (await db.insertInto('skills').values({ campaign_id: campaignId, name: skill }).returning('id').executeTakeFirstOrThrow()).id;
  await db.insertInto('agent_skills').values({ user_id: userId, skill_id: skillId, level: 3 }).onConflict((oc) => oc.doNothing()).execute();
}

/** A campaign with the office calendar, an admin, a supervisor, three reviewers and the decoys. */
export async function officeStaff(db: Kysely<Database>): Promise<Staff> {
  const campaign = await createCampaign(db, { name: `Recaudación ${randomBytes(2).toString('hex')}` });
  await saveCalendar(db, { campaignId: campaign.id, definition: officeCalendar() }, null);
  const admin = await createUser(db, { roles: ['admin'] });
  const supervisor = await createUser(db, { roles: ['supervisor'], campaignIds: [campaign.id] });
  const agent = await createUser(db, { roles: ['agent'], campaignIds: [campaign.id] });
  const reviewers = [];
  for (let i = 0; i < 3; i += 1) {
    const user = await createUser(db, { roles: ['agent'], campaignIds: [campaign.id], name: `Revisor ${i + 1}` });
    await grantSkill(db, campaign.id, user.id);
    reviewers.push(await withToken(db, user));
  }
  const disabled = await createUser(db, { roles: ['agent'], campaignIds: [campaign.id] });
  await grantSkill(db, campaign.id, disabled.id);
  await db.updateTable('users').set({ disabled: true }).where('id', '=', disabled.id).execute();
  const other = await createCampaign(db);
  const outsider = await createUser(db, { roles: ['agent'], campaignIds: [other.id] });
  await grantSkill(db, other.id, outsider.id);
  return {
    campaignId: campaign.id,
    admin: await withToken(db, admin),
    supervisor: await withToken(db, supervisor),
    agent: await withToken(db, agent),
    reviewers,
    decoys: [disabled.id, outsider.id, agent.id, supervisor.id, admin.id],
  };
}

export function procedureBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Alta de vehículo',
    description: 'Registro de un vehículo nuevo en el padrón estatal',
    serviceId: 'vehicular',
    active: true,
    requirements: [
      { id: 'ine', name: 'Identificación oficial', description: 'INE por ambos lados', required: true, accept: ['application/pdf'], maxBytes: 2048 },
      { id: 'factura', name: 'Factura del vehículo', description: 'Factura original', required: true, accept: ['application/pdf', 'image/png', 'image/jpeg'] },
      { id: 'foto', name: 'Fotografía del vehículo', description: 'Opcional', required: false, accept: ['image/png', 'image/jpeg'] },
    ],
    ...overrides,
  };
}

let ipCounter = 0;
/** A fresh client address for each call (x-forwarded-for; the app trusts the proxy), so the per-IP limits stay out of the way. */
export function freshIp(): string {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

let curpCounter = 0;
export function curp(): string {
  curpCounter += 1;
  const digits = String(curpCounter % 100).padStart(2, '0');
  return `GOMA8001${digits}HGTRRN0${curpCounter % 10}`;
}

export async function createProcedure(h: TestHub, staff: Staff, id: string, body: Record<string, unknown> = procedureBody()) {
  const res = await h.app.inject({ method: 'PUT', url: `/api/v1/appointments/campaigns/${staff.campaignId}/procedures/${id}`, headers: staff.admin.auth, payload: body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export async function openPortalCase(h: TestHub, procedureId: string, officialId = curp(), extra: Record<string, unknown> = {}) {
  const res = await h.app.inject({
    method: 'POST',
    url: '/portal/v1/cases',
    headers: { 'x-forwarded-for': freshIp() },
    payload: { procedureId, officialId: { kind: 'curp', value: officialId }, birthDate: '1980-01-15', fullName: 'Ana Gómez Trejo', ...extra },
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json();
  return { folio: String(body.case.folio), officialId, body };
}

export async function upload(h: TestHub, folio: string, officialId: string, requirementId: string, file: { filename: string; type: string; bytes: Buffer }) {
  const { payload, headers } = multipartFile(file);
  return h.app.inject({
    method: 'POST',
    url: `/portal/v1/cases/${folio}/documents/${requirementId}`,
    headers: { ...headers, 'x-official-id': officialId, 'x-forwarded-for': freshIp() },
    payload,
  });
}

export const pdf = (name = 'ine.pdf') => ({ filename: name, type: 'application/pdf', bytes: PDF_BYTES });
export const png = (name = 'factura.png') => ({ filename: name, type: 'image/png', bytes: PNG_BYTES });

/** The newest version of a case's document for one requirement. */
export async function latestDoc(db: Kysely<Database>, folio: string, requirementId: string) {
  return db
    .selectFrom('appointment_case_documents as d')
    .innerJoin('appointment_cases as c', 'c.id', 'd.case_id')
    .select(['d.id', 'd.case_id', 'd.version', 'd.status', 'd.reviewer_id', 'd.reason', 'd.storage_key'])
    .where('c.folio', '=', folio)
    .where('d.requirement_id', '=', requirementId)
    .orderBy('d.version', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
}
