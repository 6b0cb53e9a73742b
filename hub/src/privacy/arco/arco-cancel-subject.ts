import { sql, type Transaction } from 'kysely';
import { normalizePhone } from '../../contacts/identity-normalize.js';
import type { Database } from '../../db/schema.js';

/**
 * Everything that ties rows to the titular of a cancellation, read before anything is anonymised
 * (the contact's official ids and identities are what link appointments, cases, web chat
 * sessions, calls and mass-sending lists, and they are gone afterwards).
 */
export interface CancelSubject {
  contactIds: string[];
  conversationIds: string[];
  /** NSS and CURP of the contact and of its appointments and cases. */
  officialIds: string[];
  /** Digits-only forms of every phone the titular used (see phoneKeys). */
  phoneKeys: string[];
  /** Lower-cased e-mails the titular gave. */
  emails: string[];
  appointmentIds: string[];
  caseIds: string[];
  /** webchat_sessions.visitor_id of the titular's browsers. */
  visitorIds: string[];
}

/** Shorter digit strings would match unrelated values (extensions, codes). */
const MIN_PHONE_DIGITS = 8;

/**
 * The digits-only forms a stored phone of this person may take: as typed, E.164 and, for
 * Mexico, the 10-digit national number (mass-sending lists are uploaded as the institution
 * wrote them). Rows are compared with regexp_replace(column, '[^0-9]', '', 'g').
 */
export function phoneKeys(raw: string): string[] {
  const keys = new Set<string>();
  const digits = raw.replace(/\D/g, '');
  if (digits.length >= MIN_PHONE_DIGITS) keys.add(digits);
  const e164 = normalizePhone(raw) ?? (/^\d+$/.test(raw.trim()) ? normalizePhone(`+${raw.trim()}`) : null);
  if (e164) {
    keys.add(e164.slice(1));
    if (e164.startsWith('+52') && e164.length === 13) keys.add(e164.slice(3));
  }
  return [...keys];
}

/** SQL: the digits of a phone column are one of the titular's. */
export const phoneMatches = (column: string, keys: readonly string[]) => sql`regexp_replace(${sql.ref(column)}, '[^0-9]', '', 'g') = ANY(${keys}::text[])`;

const uniq = (values: readonly (string | null | undefined)[]): string[] => [...new Set(values.filter((v): v is string => typeof v === 'string' && v.trim() !== ''))];

export async function loadCancelSubject(trx: Transaction<Database>, contactIds: string[]): Promise<CancelSubject> {
  const contacts = await trx.selectFrom('contacts').select(['curp', 'nss']).where('id', 'in', contactIds).execute();
  const identities = await trx.selectFrom('contact_identities').select(['kind', 'value', 'channel_id']).where('contact_id', 'in', contactIds).execute();
  const conversationIds = (await trx.selectFrom('conversations').select('id').where('contact_id', 'in', contactIds).execute()).map((c) => c.id);
  const ids = { contacts: contactIds, conversations: conversationIds };

  // One round of expansion: an appointment booked on the titular's conversation carries an id the
  // portal cases and other appointments of the same person share.
  let officialIds = uniq(contacts.flatMap((c) => [c.curp, c.nss]));
  const linked = async (official: string[]) => {
    const { rows: cases } = await sql<{ id: string; official_id: string; email: string | null; phone: string | null }>`
      SELECT id, official_id, email, phone FROM appointment_cases
       WHERE conversation_id = ANY(${ids.conversations}::uuid[]) OR official_id = ANY(${official}::text[])
          OR id IN (SELECT case_id FROM appointments WHERE case_id IS NOT NULL AND (contact_id = ANY(${ids.contacts}::uuid[]) OR conversation_id = ANY(${ids.conversations}::uuid[])))`.execute(trx);
    const { rows: appointments } = await sql<{ id: string; official_id: string }>`
      SELECT id, official_id FROM appointments
       WHERE contact_id = ANY(${ids.contacts}::uuid[]) OR conversation_id = ANY(${ids.conversations}::uuid[])
          OR official_id = ANY(${official}::text[]) OR case_id = ANY(${cases.map((c) => c.id)}::uuid[])`.execute(trx);
    return { cases, appointments };
  };
  let found = await linked(officialIds);
  const expanded = uniq([...officialIds, ...found.cases.map((c) => c.official_id), ...found.appointments.map((a) => a.official_id)]);
  if (expanded.length > officialIds.length) {
    officialIds = expanded;
    found = await linked(officialIds);
  }
  officialIds = uniq([...officialIds, ...found.cases.map((c) => c.official_id), ...found.appointments.map((a) => a.official_id)]);

  const phoneSources: string[] = identities.filter((i) => i.kind === 'phone' || i.kind === 'whatsapp').map((i) => i.value);
  const emails = uniq([...identities.filter((i) => i.kind === 'email').map((i) => i.value.toLowerCase()), ...found.cases.map((c) => c.email?.trim().toLowerCase())]);
  phoneSources.push(...uniq(found.cases.map((c) => c.phone)));

  // The caller's number on the titular's inbound calls, voicemails and call-back requests.
  const { rows: numbers } = await sql<{ phone: string }>`
    SELECT from_number AS phone FROM voice_calls WHERE conversation_id = ANY(${ids.conversations}::uuid[]) AND kind = 'inbound' AND direction = 'inbound'
    UNION SELECT from_number FROM voice_voicemails WHERE conversation_id = ANY(${ids.conversations}::uuid[])
    UNION SELECT phone FROM voice_callbacks WHERE conversation_id = ANY(${ids.conversations}::uuid[])`.execute(trx);
  phoneSources.push(...numbers.map((n) => n.phone));

  // Web chat: the browser whose visitor id is the contact's channel-scoped identity, or a
  // pre-chat form carrying the titular's e-mail or phone.
  const visitorKeys = identities.filter((i) => i.kind === 'external' && i.channel_id !== null && /^[0-9a-f-]{36}$/i.test(i.value));
  let keys = uniq(phoneSources.flatMap(phoneKeys));
  const { rows: sessions } = await sql<{ visitor_id: string; email: string | null; phone: string | null }>`
    SELECT visitor_id, email, phone FROM webchat_sessions
     WHERE (channel_id, visitor_id::text) IN (SELECT * FROM unnest(${visitorKeys.map((i) => i.channel_id)}::uuid[], ${visitorKeys.map((i) => i.value.toLowerCase())}::text[]))
        OR lower(trim(email)) = ANY(${emails}::text[])
        OR ${phoneMatches('phone', keys)}`.execute(trx);
  keys = uniq([...keys, ...sessions.flatMap((s) => (s.phone ? phoneKeys(s.phone) : []))]);

  return {
    contactIds,
    conversationIds,
    officialIds,
    phoneKeys: keys,
    emails: uniq([...emails, ...sessions.map((s) => s.email?.trim().toLowerCase())]),
    appointmentIds: found.appointments.map((a) => a.id),
    caseIds: found.cases.map((c) => c.id),
    visitorIds: uniq(sessions.map((s) => s.visitor_id)),
  };
}
