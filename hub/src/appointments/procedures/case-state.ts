/** A case's documents and the status they give it. */
import type { Kysely, Transaction } from 'kysely';
import type { AppointmentCaseDocumentRow, AppointmentCaseRow, CaseStatusColumn } from '../../db/schema-appointment-procedures.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import type { Requirement } from './procedure.schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

export const CASE_FOLIO = /^TRAM-[0-9]{8}-[0-9]{6}$/;

/**
 * The case with this folio, when `officialId` is the NSS or CURP it was opened with; anything else
 * reads as "not found" (a folio alone reveals nothing).
 */
export async function caseByFolio(db: Executor, folio: string, officialId: string | undefined): Promise<AppointmentCaseRow> {
  const given = (officialId ?? '').trim().toUpperCase();
  if (!CASE_FOLIO.test(folio) || given === '') throw new HubError('HUB_ERR_APPOINTMENT_CASE_NOT_FOUND');
  const row = await db.selectFrom('appointment_cases').selectAll().where('folio', '=', folio).executeTakeFirst();
  if (!row || row.official_id !== given) throw new HubError('HUB_ERR_APPOINTMENT_CASE_NOT_FOUND');
  return row;
}

/** The newest version of each requirement's document. */
export async function latestDocuments(db: Executor, caseId: string): Promise<Map<string, AppointmentCaseDocumentRow>> {
  const rows = await db
    .selectFrom('appointment_case_documents')
    .selectAll()
    .distinctOn('requirement_id')
    .where('case_id', '=', caseId)
    .orderBy('requirement_id')
    .orderBy('version', 'desc')
    .execute();
  return new Map(rows.map((r) => [r.requirement_id, r]));
}

/**
 * Pure. Required documents decide: one rejected → changes_requested; one missing →
 * documents_pending; one waiting → in_review; all approved → approved. A booked or closed case
 * keeps its status (booking and closing move it, not the documents). Optional documents never
 * hold a case back.
 */
export function deriveCaseStatus(
  requirements: readonly Requirement[],
  latest: ReadonlyMap<string, Pick<AppointmentCaseDocumentRow, 'status'>>,
  current: CaseStatusColumn,
): CaseStatusColumn {
  if (current === 'booked' || current === 'closed') return current;
  const statuses = requirements.filter((r) => r.required).map((r) => latest.get(r.id)?.status ?? 'missing');
  if (statuses.includes('rejected')) return 'changes_requested';
  if (statuses.includes('missing')) return 'documents_pending';
  if (statuses.includes('pending_review')) return 'in_review';
  return 'approved';
}

/** Recomputes and stores the case status from its documents (in the caller's transaction). */
export async function refreshCaseStatus(trx: Transaction<Database>, caseRow: Pick<AppointmentCaseRow, 'id' | 'status'>, requirements: readonly Requirement[]): Promise<CaseStatusColumn> {
  const status = deriveCaseStatus(requirements, await latestDocuments(trx, caseRow.id), caseRow.status);
  await trx.updateTable('appointment_cases').set({ status, updated_at: new Date() }).where('id', '=', caseRow.id).execute();
  return status;
}
