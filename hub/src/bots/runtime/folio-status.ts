import type { Kysely, Transaction } from 'kysely';
import type { FolioStatus, Language } from '@ventanilla/bots';
import type { Conversation, Database } from '../../db/schema.js';

/** A conversation's status as the citizen would say it. */
const STATUS_WORDS: Record<Conversation['status'], Record<Language, string>> = {
  bot: { es: 'en atención por el asistente virtual', en: 'being handled by the virtual assistant' },
  queued: { es: 'en espera de un asesor', en: 'waiting for an agent' },
  offered: { es: 'en espera de un asesor', en: 'waiting for an agent' },
  assigned: { es: 'en atención', en: 'being handled' },
  waiting_contact: { es: 'en espera de su respuesta', en: 'waiting for your reply' },
  resolved: { es: 'resuelto', en: 'resolved' },
  abandoned: { es: 'cerrado', en: 'closed' },
};

export function statusInWords(status: Conversation['status'], language: Language): string {
  return STATUS_WORDS[status][language];
}

/**
 * The bot's folio look-up: our conversation folios, only within the bot's own campaign (a folio
 * of another institution's campaign is "not found", never disclosed). Folios are stored in
 * upper case; citizens type them any way.
 */
export async function lookUpFolio(db: Kysely<Database> | Transaction<Database>, campaignId: string, folio: string, language: Language): Promise<FolioStatus | null> {
  const wanted = folio.trim().toUpperCase();
  if (wanted === '' || wanted.length > 64) return null;
  const row = await db
    .selectFrom('conversations')
    .select(['folio', 'status', 'updated_at'])
    .where('campaign_id', '=', campaignId)
    .where('folio', '=', wanted)
    .executeTakeFirst();
  if (!row) return null;
  return { folio: row.folio, statusText: statusInWords(row.status, language), updatedAt: row.updated_at.toISOString() };
}
