import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { DEFAULT_RETENTION, RETENTION_KINDS, type RetentionPolicy, type RetentionUpdate } from './retention.schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The campaign's policy: its saved rows, the defaults for kinds never saved. */
export async function loadRetention(db: Db, campaignId: string): Promise<RetentionPolicy> {
  const rows = await db.selectFrom('privacy_retention_policies').select(['kind', 'online_days', 'archive_days']).where('campaign_id', '=', campaignId).execute();
  const policy: RetentionPolicy = structuredClone(DEFAULT_RETENTION);
  for (const row of rows) policy[row.kind] = { onlineDays: row.online_days, archiveDays: row.archive_days };
  return policy;
}

export async function saveRetention(trx: Transaction<Database>, campaignId: string, update: RetentionUpdate, userId: string): Promise<void> {
  for (const kind of RETENTION_KINDS) {
    const period = update[kind];
    if (!period) continue;
    await trx
      .insertInto('privacy_retention_policies')
      .values({ campaign_id: campaignId, kind, online_days: period.onlineDays, archive_days: period.archiveDays, updated_by: userId })
      .onConflict((oc) =>
        oc.columns(['campaign_id', 'kind']).doUpdateSet({ online_days: period.onlineDays, archive_days: period.archiveDays, updated_by: userId, updated_at: new Date() }),
      )
      .execute();
  }
}
