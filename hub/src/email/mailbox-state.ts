import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface MailboxPosition {
  uidValidity: bigint;
  /** Messages up to this UID were handed to the ingest queue. */
  lastUid: number;
  /** True when the stored UIDVALIDITY differed (or none was stored): reading starts at UID 1. */
  reset: boolean;
}

/**
 * Where reading resumes (table email_mailbox_state). A UIDVALIDITY other than the stored one
 * means the server renumbered the mailbox (RFC 9051 §2.3.1.1): the old UIDs mean nothing, so the
 * whole mailbox is read again; Message-ID deduplication in ingest keeps that from storing twice.
 */
export async function syncMailboxPosition(db: Kysely<Database>, channelId: string, mailbox: string, uidValidity: bigint): Promise<MailboxPosition> {
  const row = await db
    .selectFrom('email_mailbox_state')
    .select(['uid_validity', 'last_uid'])
    .where('channel_id', '=', channelId)
    .where('mailbox', '=', mailbox)
    .executeTakeFirst();
  if (row && BigInt(row.uid_validity) === uidValidity) return { uidValidity, lastUid: Number(row.last_uid), reset: false };
  await db
    .insertInto('email_mailbox_state')
    .values({ channel_id: channelId, mailbox, uid_validity: uidValidity.toString(), last_uid: 0 })
    .onConflict((oc) => oc.columns(['channel_id', 'mailbox']).doUpdateSet({ uid_validity: uidValidity.toString(), last_uid: 0, updated_at: sql`now()` }))
    .execute();
  return { uidValidity, lastUid: 0, reset: true };
}

/**
 * Records that every message up to `uid` is in the ingest queue. Only moves forward, and only
 * for the UIDVALIDITY it was read under (a concurrent reset wins).
 */
export async function advanceMailboxPosition(db: Kysely<Database>, channelId: string, mailbox: string, uidValidity: bigint, uid: number): Promise<void> {
  await db
    .updateTable('email_mailbox_state')
    .set({ last_uid: uid, updated_at: sql`now()` })
    .where('channel_id', '=', channelId)
    .where('mailbox', '=', mailbox)
    .where('uid_validity', '=', uidValidity.toString())
    .where('last_uid', '<', String(uid))
    .execute();
}
