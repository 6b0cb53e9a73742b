import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { PURGED_TEXT } from '../purge.usecase.js';

export const affected = (result: { numAffectedRows?: bigint }): number => Number(result.numAffectedRows ?? 0n);

export interface ConversationScrub {
  messages: number;
  notes: number;
  recordings: number;
  storageKeys: string[];
}

/**
 * The content of the titular's conversations: message bodies, notes, wrap-up and bot summaries,
 * bot turns, survey comments (ratings and yes/no answers stay for the survey results), file names
 * (the bytes are removed by the caller) and recording links.
 */
export async function scrubConversations(trx: Transaction<Database>, conversationIds: string[], now: Date): Promise<ConversationScrub> {
  if (conversationIds.length === 0) return { messages: 0, notes: 0, recordings: 0, storageKeys: [] };
  const inConversations = sql`conversation_id = ANY(${conversationIds}::uuid[])`;
  const messages = affected(
    await sql`UPDATE messages SET text = CASE WHEN text IS NULL THEN NULL ELSE ${PURGED_TEXT} END, raw = NULL, meta = NULL, attachments = '[]'::jsonb, purged_at = coalesce(purged_at, ${now}) WHERE ${inConversations}`.execute(trx),
  );
  const notes = affected(await sql`UPDATE conversation_notes SET text = ${PURGED_TEXT} WHERE ${inConversations}`.execute(trx));
  await sql`UPDATE conversation_wrap_ups SET summary = NULL WHERE ${inConversations}`.execute(trx);
  await sql`UPDATE bot_turns SET utterance = ${PURGED_TEXT}, entities = '[]'::jsonb WHERE ${inConversations}`.execute(trx);
  await sql`UPDATE bot_sessions SET summary = NULL WHERE ${inConversations}`.execute(trx);
  await sql`UPDATE survey_responses SET comment = NULL WHERE ${inConversations}`.execute(trx);
  const files = await sql<{ storage_key: string }>`UPDATE files SET filename = ${PURGED_TEXT}, purged_at = coalesce(purged_at, ${now}) WHERE ${inConversations} RETURNING storage_key`.execute(trx);
  let recordings = affected(await sql`UPDATE voice_recordings SET url = NULL, purged_at = coalesce(purged_at, ${now}) WHERE ${inConversations}`.execute(trx));
  recordings += affected(await sql`UPDATE voice_voicemails SET recording_url = ${PURGED_TEXT}, purged_at = coalesce(purged_at, ${now}) WHERE ${inConversations}`.execute(trx));
  return { messages, notes, recordings, storageKeys: files.rows.map((f) => f.storage_key) };
}
