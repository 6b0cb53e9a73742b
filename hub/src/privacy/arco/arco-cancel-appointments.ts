import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { PURGED_TEXT } from '../purge.usecase.js';
import { affected } from './arco-cancel-conversations.js';
import { CANCELLED_BIRTH_DATE, CANCELLED_NAME, CANCELLED_OFFICIAL_ID } from './arco-cancel-placeholders.js';
import type { CancelSubject } from './arco-cancel-subject.js';

export interface AppointmentScrub {
  appointments: number;
  cases: number;
  caseDocuments: number;
  /** Bytes of the case documents, removed by the caller. */
  storageKeys: string[];
}

/**
 * Appointments and procedure cases stay as rows (status, office, times: the reports and the
 * contract counts read them) with the citizen's fields replaced; documents lose their bytes and
 * names, notices and survey comments their text, the history the free-text reason and note.
 */
export async function scrubAppointments(trx: Transaction<Database>, subject: CancelSubject, now: Date): Promise<AppointmentScrub> {
  const { appointmentIds, caseIds } = subject;
  // family_group_id defaults to the official id and other members of the family share it: one
  // fresh token per id keeps the group together without the id.
  if (subject.officialIds.length > 0) {
    const tokens = subject.officialIds.map(() => `cancelado:${randomUUID()}`);
    await sql`UPDATE appointments a SET family_group_id = m.token
                FROM unnest(${subject.officialIds}::text[], ${tokens}::text[]) AS m(official_id, token)
               WHERE a.family_group_id = m.official_id`.execute(trx);
  }
  const appointments = affected(
    await sql`UPDATE appointments SET official_id = ${CANCELLED_OFFICIAL_ID}, birth_date = NULL, cancel_reason = NULL, anonymised_at = coalesce(anonymised_at, ${now})
               WHERE id = ANY(${appointmentIds}::uuid[])`.execute(trx),
  );
  await sql`UPDATE appointment_surveys SET comment = NULL WHERE appointment_id = ANY(${appointmentIds}::uuid[]) AND comment IS NOT NULL`.execute(trx);
  await sql`UPDATE appointment_events SET details = details - 'reason' - 'note'
             WHERE appointment_id = ANY(${appointmentIds}::uuid[]) AND jsonb_typeof(details) = 'object'
               AND (details->'reason' IS NOT NULL OR details->'note' IS NOT NULL)`.execute(trx);
  const cases = affected(
    await sql`UPDATE appointment_cases SET full_name = ${CANCELLED_NAME}, official_id = ${CANCELLED_OFFICIAL_ID}, birth_date = ${CANCELLED_BIRTH_DATE}::date,
                     email = NULL, phone = NULL, anonymised_at = coalesce(anonymised_at, ${now}), updated_at = ${now}
               WHERE id = ANY(${caseIds}::uuid[])`.execute(trx),
  );
  const documents = await sql<{ storage_key: string }>`
    UPDATE appointment_case_documents SET file_name = ${PURGED_TEXT}, reason = CASE WHEN reason IS NULL THEN NULL ELSE ${PURGED_TEXT} END
     WHERE case_id = ANY(${caseIds}::uuid[]) RETURNING storage_key`.execute(trx);
  await sql`UPDATE appointment_case_notices SET text = ${PURGED_TEXT} WHERE case_id = ANY(${caseIds}::uuid[])`.execute(trx);
  return { appointments, cases, caseDocuments: documents.rows.length, storageKeys: documents.rows.map((d) => d.storage_key) };
}
