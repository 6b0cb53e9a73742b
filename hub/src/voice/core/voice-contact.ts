import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { validateCurp, validateNss } from '../../contacts/official-ids.js';
import { identityKeys } from '../../ingest/identity-keys.js';

/**
 * The caller as a contact (issue 8): found by their phone identity exactly as ingest finds a
 * citizen (identity_owner, following merges), created when new. A valid NSS or CURP keyed in the
 * IVR is stored on a contact that has none (never overwrites what an agent confirmed).
 */
export async function contactForCaller(trx: Transaction<Database>, from: string, channelId: string): Promise<{ contactId: string; created: boolean; name: string | null }> {
  const [key] = identityKeys({ phone: from }, channelId);
  if (!key) throw new Error('a caller without a number cannot be a contact');
  const owner = await ownerOf(trx, key);
  if (owner) return { ...owner, created: false };
  const contact = await trx.insertInto('contacts').values({ display_name: null }).returning('id').executeTakeFirstOrThrow();
  const inserted = await trx
    .insertInto('contact_identities')
    .values({ kind: key.kind, value: key.value, channel_id: key.channel_id, contact_id: contact.id })
    .onConflict((oc) => oc.constraint('contact_identities_unique').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { contactId: contact.id, created: true, name: null };
  // Registered by a concurrent transaction first: yield to its contact, as ingest does.
  await trx.deleteFrom('contacts').where('id', '=', contact.id).execute();
  const winner = await ownerOf(trx, key);
  if (!winner) throw new Error('caller identity vanished while registering it');
  return { ...winner, created: false };
}

async function ownerOf(trx: Transaction<Database>, key: { kind: string; value: string; channel_id: string | null }): Promise<{ contactId: string; name: string | null } | null> {
  const { rows } = await sql<{ contact_id: string | null; display_name: string | null }>`SELECT contact_id, display_name FROM identity_owner(${JSON.stringify(key)}::jsonb)`.execute(trx);
  const row = rows[0];
  return row?.contact_id ? { contactId: row.contact_id, name: row.display_name } : null;
}

/** Stores a valid captured NSS / CURP on a contact that has none; returns the fields stored. */
export async function storeCapturedIds(trx: Transaction<Database>, contactId: string, collected: Record<string, string>): Promise<string[]> {
  const contact = await trx.selectFrom('contacts').select(['nss', 'curp']).where('id', '=', contactId).forUpdate().executeTakeFirstOrThrow();
  const nss = collected['nss'] !== undefined ? validateNss(collected['nss']) : null;
  const curp = collected['curp'] !== undefined ? validateCurp(collected['curp']) : null;
  const set: { nss?: string; curp?: string } = {};
  if (contact.nss === null && nss?.ok) set.nss = nss.value;
  if (contact.curp === null && curp?.ok) set.curp = curp.value;
  if (Object.keys(set).length === 0) return [];
  await trx.updateTable('contacts').set({ ...set, updated_at: sql`clock_timestamp()` }).where('id', '=', contactId).execute();
  return Object.keys(set);
}
