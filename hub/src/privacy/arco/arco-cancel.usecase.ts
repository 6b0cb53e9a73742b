import { sql, type Transaction } from 'kysely';
import type { Principal } from '../../auth/principal.js';
import type { Database } from '../../db/schema.js';
import type { ArcoRequestRow } from '../../db/schema-privacy.js';
import { HubError } from '../../errors/error-registry.js';
import { PURGED_TEXT } from '../purge.usecase.js';
import { completeArcoRequest } from './arco-requests.store.js';

export const CANCELLED_NAME = 'Titular cancelado';

export interface CancelResult {
  contactIds: string[];
  identities: number;
  messages: number;
  files: number;
  notes: number;
  recordings: number;
  /** Storage keys to remove from disk (the caller removes them before committing). */
  storageKeys: string[];
}

const count = (result: { numAffectedRows?: bigint }): number => Number(result.numAffectedRows ?? 0n);

/**
 * Cancellation: the contact (and the contacts merged into it) anonymised in place — name
 * 'Titular cancelado', official ids and identities removed, message bodies, notes, bot turns
 * and survey comments replaced, files and recording links purged. Conversations, folios, times,
 * KPI and billing facts stay: they hold no personal data and the contract counts them.
 */
export async function cancelContact(trx: Transaction<Database>, principal: Principal, request: ArcoRequestRow, meta: { ip: string | null; userAgent: string | null }): Promise<CancelResult> {
  const contact = await trx.selectFrom('contacts').select(['id']).where('id', '=', request.contact_id).forUpdate().executeTakeFirst();
  if (!contact) throw new HubError('HUB_ERR_CONTACT_NOT_FOUND');
  const merged = await trx.selectFrom('contacts').select('id').where('merged_into_id', '=', contact.id).execute();
  const contactIds = [contact.id, ...merged.map((m) => m.id)];
  const now = new Date();
  await sql`UPDATE contacts SET display_name = ${CANCELLED_NAME}, curp = NULL, rfc = NULL, nss = NULL, anonymised_at = ${now}, updated_at = ${now} WHERE id = ANY(${contactIds}::uuid[])`.execute(trx);
  const identities = Number((await trx.deleteFrom('contact_identities').where('contact_id', 'in', contactIds).executeTakeFirst()).numDeletedRows);
  const conversations = (await trx.selectFrom('conversations').select('id').where('contact_id', 'in', contactIds).execute()).map((c) => c.id);
  let messages = 0;
  let notes = 0;
  let recordings = 0;
  let storageKeys: string[] = [];
  if (conversations.length > 0) {
    const inConversations = sql`conversation_id = ANY(${conversations}::uuid[])`;
    messages = count(
      await sql`UPDATE messages SET text = CASE WHEN text IS NULL THEN NULL ELSE ${PURGED_TEXT} END, raw = NULL, meta = NULL, attachments = '[]'::jsonb, purged_at = coalesce(purged_at, ${now}) WHERE ${inConversations}`.execute(trx),
    );
    notes = count(await sql`UPDATE conversation_notes SET text = ${PURGED_TEXT} WHERE ${inConversations}`.execute(trx));
    await sql`UPDATE conversation_wrap_ups SET summary = NULL WHERE ${inConversations}`.execute(trx);
    await sql`UPDATE bot_turns SET utterance = ${PURGED_TEXT}, entities = '[]'::jsonb WHERE ${inConversations}`.execute(trx);
    await sql`UPDATE bot_sessions SET summary = NULL WHERE ${inConversations}`.execute(trx);
    await sql`UPDATE survey_responses SET comment = NULL WHERE ${inConversations}`.execute(trx);
    const files = await sql<{ storage_key: string }>`UPDATE files SET filename = ${PURGED_TEXT}, purged_at = coalesce(purged_at, ${now}) WHERE ${inConversations} RETURNING storage_key`.execute(trx);
    storageKeys = files.rows.map((f) => f.storage_key);
    recordings = count(await sql`UPDATE voice_recordings SET url = NULL, purged_at = coalesce(purged_at, ${now}) WHERE ${inConversations}`.execute(trx));
    recordings += count(await sql`UPDATE voice_voicemails SET recording_url = ${PURGED_TEXT}, purged_at = coalesce(purged_at, ${now}) WHERE ${inConversations}`.execute(trx));
  }
  const result: CancelResult = { contactIds, identities, messages, files: storageKeys.length, notes, recordings, storageKeys };
  const summary = { contactIds, identities, messages, files: storageKeys.length, notes, recordings };
  await completeArcoRequest(trx, { principal, request, meta, action: 'privacy.arco_cancelled', contactId: contact.id, resolution: summary });
  return result;
}
