import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * The lock a month's close holds (session advisory lock, around its repeatable-read transaction).
 * A write that must not slip into a month being closed (a penalty) takes it for its own
 * transaction: it waits for a close in progress and then sees the closed month, and a close that
 * starts meanwhile waits for it and then sees the write.
 */
export function billingCloseLockKey(campaignId: string): string {
  return `billing-close:${campaignId}`;
}

export async function waitForMonthClose(trx: Transaction<Database> | Kysely<Database>, campaignId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${billingCloseLockKey(campaignId)}, 0))`.execute(trx);
}
