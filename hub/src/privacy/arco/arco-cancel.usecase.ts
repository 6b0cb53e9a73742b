import { sql, type Transaction } from 'kysely';
import type { Principal } from '../../auth/principal.js';
import type { Database } from '../../db/schema.js';
import type { ArcoRequestRow } from '../../db/schema-privacy.js';
import { HubError } from '../../errors/error-registry.js';
import { scrubAppointments } from './arco-cancel-appointments.js';
import { scrubChannels } from './arco-cancel-channels.js';
import { scrubConversations } from './arco-cancel-conversations.js';
import { CANCELLED_NAME } from './arco-cancel-placeholders.js';
import { loadCancelSubject } from './arco-cancel-subject.js';
import { completeArcoRequest } from './arco-requests.store.js';

export { CANCELLED_NAME } from './arco-cancel-placeholders.js';

export interface CancelResult {
  contactIds: string[];
  identities: number;
  messages: number;
  files: number;
  notes: number;
  recordings: number;
  appointments: number;
  cases: number;
  caseDocuments: number;
  webchatSessions: number;
  calls: number;
  voicemails: number;
  callbacks: number;
  massRecipients: number;
  /** Storage keys to remove from disk (the caller removes them before committing). */
  storageKeys: string[];
}

/**
 * Cancellation: the contact (and the contacts merged into it) anonymised in place — name
 * 'Titular cancelado', official ids and identities removed, message bodies, notes, bot turns
 * and survey comments replaced, files and recording links purged — and every row linked to it
 * by contact, conversation, official id, phone or e-mail: appointments and procedure cases,
 * web chat forms, calls, voicemails, call-backs, mass-sending lists (privacy/README.md).
 * Conversations, appointments, calls, folios, times, KPI and billing facts stay: they hold no
 * personal data once scrubbed and the contract counts them.
 */
export async function cancelContact(trx: Transaction<Database>, principal: Principal, request: ArcoRequestRow, meta: { ip: string | null; userAgent: string | null }): Promise<CancelResult> {
  const contact = await trx.selectFrom('contacts').select(['id']).where('id', '=', request.contact_id).forUpdate().executeTakeFirst();
  if (!contact) throw new HubError('HUB_ERR_CONTACT_NOT_FOUND');
  const merged = await trx.selectFrom('contacts').select('id').where('merged_into_id', '=', contact.id).execute();
  const contactIds = [contact.id, ...merged.map((m) => m.id)];
  const now = new Date();
  // Read the links first: the official ids and identities below are what find the other rows.
  const subject = await loadCancelSubject(trx, contactIds);
  await sql`UPDATE contacts SET display_name = ${CANCELLED_NAME}, curp = NULL, rfc = NULL, nss = NULL, anonymised_at = ${now}, updated_at = ${now} WHERE id = ANY(${contactIds}::uuid[])`.execute(trx);
  const identities = Number((await trx.deleteFrom('contact_identities').where('contact_id', 'in', contactIds).executeTakeFirst()).numDeletedRows);
  const conversations = await scrubConversations(trx, subject.conversationIds, now);
  const appointments = await scrubAppointments(trx, subject, now);
  const channels = await scrubChannels(trx, subject, now);
  const summary = {
    contactIds,
    identities,
    messages: conversations.messages,
    files: conversations.storageKeys.length,
    notes: conversations.notes,
    recordings: conversations.recordings,
    appointments: appointments.appointments,
    cases: appointments.cases,
    caseDocuments: appointments.caseDocuments,
    ...channels,
  };
  await completeArcoRequest(trx, { principal, request, meta, action: 'privacy.arco_cancelled', contactId: contact.id, resolution: summary });
  return { ...summary, storageKeys: [...conversations.storageKeys, ...appointments.storageKeys] };
}
