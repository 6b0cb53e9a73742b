import type { Transaction } from 'kysely';
import type { ContactRef } from '@ventanilla/connectors/core';
import type { Database, IdentityKind } from '../db/schema.js';
import { normalizeEmail, normalizePhone } from '../contacts/identity-normalize.js';

interface IdentityKey {
  kind: IdentityKind;
  value: string;
  channel_id: string | null;
}

/**
 * The identities a provider gave us, most trusted first. A phone or email that does not
 * normalise is kept as a channel-scoped external id rather than dropped or rejected.
 */
export function identityKeys(ref: ContactRef, channelId: string): IdentityKey[] {
  const keys: IdentityKey[] = [];
  if (ref.phone) {
    const phone = normalizePhone(ref.phone);
    keys.push(phone ? { kind: 'phone', value: phone, channel_id: null } : { kind: 'external', value: `phone:${ref.phone.trim()}`, channel_id: channelId });
  }
  if (ref.email) {
    const email = normalizeEmail(ref.email);
    keys.push(email ? { kind: 'email', value: email, channel_id: null } : { kind: 'external', value: `email:${ref.email.trim()}`, channel_id: channelId });
  }
  if (ref.externalId) keys.push({ kind: 'external', value: ref.externalId, channel_id: channelId });
  return keys;
}

export interface ResolvedContact {
  contactId: string;
  displayName: string | null;
  created: boolean;
}

/**
 * Finds the contact owning any of the identities, or creates one. Race-safe: if another
 * transaction registers the same identity first, ours yields to it (the unique constraint
 * decides) and the contact we created is removed before commit.
 */
export async function resolveContact(trx: Transaction<Database>, ref: ContactRef, channelId: string): Promise<ResolvedContact> {
  const keys = identityKeys(ref, channelId);
  const primary = keys[0];
  if (!primary) throw new Error('contact reference without identities');

  const owner = await findOwner(trx, keys);
  if (owner) {
    await attachMissing(trx, owner.contactId, keys);
    return { contactId: owner.contactId, displayName: owner.displayName, created: false };
  }

  const contact = await trx
    .insertInto('contacts')
    .values({ display_name: ref.name ?? null })
    .returning(['id', 'display_name'])
    .executeTakeFirstOrThrow();
  await attachMissing(trx, contact.id, keys);
  const winner = await findOwner(trx, [primary]);
  if (winner && winner.contactId !== contact.id) {
    await trx.deleteFrom('contact_identities').where('contact_id', '=', contact.id).execute();
    await trx.deleteFrom('contacts').where('id', '=', contact.id).execute();
    await attachMissing(trx, winner.contactId, keys);
    return { contactId: winner.contactId, displayName: winner.displayName, created: false };
  }
  return { contactId: contact.id, displayName: contact.display_name, created: true };
}

async function findOwner(trx: Transaction<Database>, keys: IdentityKey[]): Promise<{ contactId: string; displayName: string | null } | null> {
  const rows = await trx
    .selectFrom('contact_identities as i')
    .innerJoin('contacts as c', 'c.id', 'i.contact_id')
    .select(['i.kind', 'i.value', 'i.channel_id', 'c.id as contactId', 'c.display_name as displayName', 'c.merged_into_id'])
    .where((eb) =>
      eb.or(
        keys.map((k) =>
          eb.and([
            eb('i.kind', '=', k.kind),
            eb('i.value', '=', k.value),
            k.channel_id === null ? eb('i.channel_id', 'is', null) : eb('i.channel_id', '=', k.channel_id),
          ]),
        ),
      ),
    )
    .execute();
  for (const key of keys) {
    const row = rows.find((r) => r.kind === key.kind && r.value === key.value && r.channel_id === key.channel_id);
    if (row) return { contactId: row.merged_into_id ?? row.contactId, displayName: row.displayName };
  }
  return null;
}

async function attachMissing(trx: Transaction<Database>, contactId: string, keys: IdentityKey[]): Promise<void> {
  await trx
    .insertInto('contact_identities')
    .values(keys.map((k) => ({ ...k, contact_id: contactId })))
    .onConflict((oc) => oc.constraint('contact_identities_unique').doNothing())
    .execute();
}
