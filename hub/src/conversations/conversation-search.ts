import { sql, type Expression, type SqlBool } from 'kysely';
import { normalizePhone } from '../contacts/identity-normalize.js';

/**
 * Free-text search of the inbox list (`q`): folio prefix, phone digits, e-mail, or a piece of
 * the contact's name, case- and accent-insensitive ("nunez" finds "Núñez"). Every plausible
 * reading is searched at once. Accents are folded with translate() rather than the unaccent
 * extension, which the embedded PostgreSQL (PGlite) does not load.
 */
const FOLD_FROM = 'ÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇáàâäãéèêëíìîïóòôöõúùûüñç';
const FOLD_TO = 'AAAAAEEEEIIIIOOOOOUUUUNCaaaaaeeeeiiiiooooouuuunc';
const FOLD = new Map([...FOLD_FROM].map((ch, i) => [ch, FOLD_TO[i] ?? ch]));

/** The JS twin of the SQL fold: same table, so both sides agree. */
export function foldForSearch(text: string): string {
  return [...text.normalize('NFC')].map((ch) => FOLD.get(ch) ?? ch).join('').toLowerCase();
}

export interface SearchTerms {
  folioPrefix: string | null;
  /** At least 4 digits: matched anywhere in a phone or WhatsApp identity. */
  phoneDigits: string | null;
  /** The query read as a full phone number (E.164), e.g. the legacy "044 55…". */
  phone: string | null;
  emailPart: string | null;
  namePart: string | null;
}

export function interpretSearch(q: string): SearchTerms {
  const text = q.trim().normalize('NFC');
  const upper = text.toUpperCase();
  const digits = text.replace(/\D/g, '');
  const phoneLike = /^[+\d\s().-]+$/.test(text);
  return {
    folioPrefix: /^[A-Z]{2,5}(-\d{0,8}(-\d*)?)?$/.test(upper) ? upper : null,
    phoneDigits: phoneLike && digits.length >= 4 ? digits : null,
    phone: phoneLike ? normalizePhone(text) : null,
    emailPart: !/\s/.test(text) && text.length >= 3 && /[\p{L}@]/u.test(text) ? text.toLowerCase() : null,
    namePart: /\p{L}/u.test(text) && !text.includes('@') && text.length >= 2 ? foldForSearch(text) : null,
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** The WHERE condition for `q` over `conversations` joined with `contacts` (false when nothing could match). */
export function searchCondition(q: string): Expression<SqlBool> {
  const terms = interpretSearch(q);
  const conditions: Expression<SqlBool>[] = [];
  const identity = (kinds: string[], pattern: string) =>
    sql<SqlBool>`EXISTS (SELECT 1 FROM contact_identities ci WHERE ci.contact_id = conversations.contact_id
      AND ci.kind IN (${sql.join(kinds)}) AND ci.value LIKE ${pattern})`;
  if (terms.folioPrefix) conditions.push(sql<SqlBool>`conversations.folio LIKE ${`${escapeLike(terms.folioPrefix)}%`}`);
  if (terms.phoneDigits) conditions.push(identity(['phone', 'whatsapp'], `%${terms.phoneDigits}%`));
  // WhatsApp ids are the E.164 digits without '+'.
  if (terms.phone) conditions.push(identity(['phone', 'whatsapp'], terms.phone), identity(['whatsapp'], terms.phone.slice(1)));
  if (terms.emailPart) conditions.push(identity(['email'], `%${escapeLike(terms.emailPart)}%`));
  if (terms.namePart) {
    conditions.push(sql<SqlBool>`lower(translate(contacts.display_name, ${FOLD_FROM}, ${FOLD_TO})) LIKE ${`%${escapeLike(terms.namePart)}%`}`);
  }
  return conditions.length > 0 ? sql<SqlBool>`(${sql.join(conditions, sql` OR `)})` : sql<SqlBool>`false`;
}

/**
 * "My queues": queues of the caller's campaigns whose every required skill the caller holds at
 * the queue's minimum level (a queue without required skills is everyone's in its campaign).
 */
export function myQueuesCondition(userId: string, campaignIds: string[]): Expression<SqlBool> {
  if (campaignIds.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`conversations.queue_id IN (
    SELECT q.id FROM queues q
    WHERE q.campaign_id IN (${sql.join(campaignIds)})
      AND NOT EXISTS (
        SELECT 1 FROM queue_skills qs
        WHERE qs.queue_id = q.id
          AND NOT EXISTS (SELECT 1 FROM agent_skills a WHERE a.user_id = ${userId} AND a.skill_id = qs.skill_id AND a.level >= qs.min_level)))`;
}
