/** What the citizen (CaseView) and the staff (StaffCaseView) see of a case (appointments/README.md). */
import { sql, type Kysely } from 'kysely';
import type { AppointmentCaseRow } from '../../db/schema-appointment-procedures.js';
import type { Database } from '../../db/schema.js';
import type { AppointmentCalendar, FreeSlot } from '../rules/appointment-rules.types.js';
import { freeSlotView, localDateTimeOf } from '../http/appointment-view.js';
import { loadCalendar } from '../booking/calendar.store.js';
import { latestDocuments } from './case-state.js';
import type { CaseView, FreeSlotView, StaffCaseView } from './procedure.schema.js';
import { loadProcedure } from './procedure.store.js';

/** The same slot view as the staff API (http/appointment-view.ts). */
export function toFreeSlotView(calendar: AppointmentCalendar, slot: FreeSlot): FreeSlotView {
  return freeSlotView(calendar, slot);
}

async function appointmentOf(db: Kysely<Database>, caseRow: AppointmentCaseRow): Promise<CaseView['appointment']> {
  const row = await db
    .selectFrom('appointments')
    .select(['folio', 'status', 'starts_at', 'office_id', 'room_id', 'service_id', sql<string>`local_date::text`.as('local_date')])
    .where('case_id', '=', caseRow.id)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const calendar = (await loadCalendar(db, caseRow.campaign_id))?.calendar;
  const startsMs = row.starts_at.getTime();
  return {
    folio: row.folio,
    status: row.status,
    startsAt: row.starts_at.toISOString(),
    localDate: row.local_date,
    localTime: calendar ? localDateTimeOf(calendar.timeZone, startsMs).localTime : row.starts_at.toISOString().slice(11, 16),
    officeName: calendar?.offices.find((o) => o.id === row.office_id)?.name ?? row.office_id,
    roomName: calendar?.rooms.find((r) => r.id === row.room_id)?.name ?? row.room_id,
    serviceName: calendar?.services.find((s) => s.id === row.service_id)?.name ?? row.service_id,
  };
}

export async function caseView(db: Kysely<Database>, caseRow: AppointmentCaseRow): Promise<CaseView> {
  const procedure = await loadProcedure(db, caseRow.procedure_id);
  const latest = await latestDocuments(db, caseRow.id);
  const notices = await db.selectFrom('appointment_case_notices').select(['at', 'text']).where('case_id', '=', caseRow.id).orderBy('id').execute();
  return {
    folio: caseRow.folio,
    procedureId: caseRow.procedure_id,
    procedureName: procedure?.name ?? caseRow.procedure_id,
    status: caseRow.status,
    createdAt: caseRow.created_at.toISOString(),
    updatedAt: caseRow.updated_at.toISOString(),
    documents: (procedure?.requirements ?? []).map((r) => {
      const doc = latest.get(r.id);
      return {
        requirementId: r.id,
        name: r.name,
        required: r.required,
        status: doc?.status ?? 'missing',
        reason: doc?.reason ?? null,
        fileName: doc?.file_name ?? null,
        uploadedAt: doc?.uploaded_at.toISOString() ?? null,
        reviewedAt: doc?.reviewed_at?.toISOString() ?? null,
      };
    }),
    appointment: await appointmentOf(db, caseRow),
    notices: notices.map((n) => ({ at: n.at.toISOString(), text: n.text })),
  };
}

export async function staffCaseView(db: Kysely<Database>, caseRow: AppointmentCaseRow): Promise<StaffCaseView> {
  const base = await caseView(db, caseRow);
  const birth = await db.selectFrom('appointment_cases').select(sql<string>`birth_date::text`.as('birth_date')).where('id', '=', caseRow.id).executeTakeFirstOrThrow();
  const versions = await db
    .selectFrom('appointment_case_documents as d')
    .leftJoin('users as u', 'u.id', 'd.reviewer_id')
    .select(['d.id', 'd.requirement_id', 'd.version', 'd.status', 'd.file_name', 'd.mime_type', 'd.size', 'd.reviewer_id', 'u.display_name', 'd.reason', 'd.uploaded_at', 'd.reviewed_at'])
    .where('d.case_id', '=', caseRow.id)
    .orderBy('d.requirement_id')
    .orderBy('d.version')
    .execute();
  return {
    ...base,
    id: caseRow.id,
    citizen: {
      fullName: caseRow.full_name,
      officialIdKind: caseRow.official_id_kind,
      officialId: caseRow.official_id,
      birthDate: birth.birth_date,
      email: caseRow.email,
      phone: caseRow.phone,
    },
    channel: caseRow.channel,
    documentVersions: versions.map((v) => ({
      id: v.id,
      requirementId: v.requirement_id,
      version: v.version,
      status: v.status,
      fileName: v.file_name,
      mimeType: v.mime_type,
      size: v.size,
      reviewer: v.reviewer_id === null ? null : { id: v.reviewer_id, name: v.display_name ?? '' },
      reason: v.reason,
      uploadedAt: v.uploaded_at.toISOString(),
      reviewedAt: v.reviewed_at?.toISOString() ?? null,
    })),
  };
}
