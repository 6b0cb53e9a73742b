import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';

/**
 * Per-campaign definitions kept as versions (draft → active → archived; one active and at most one
 * draft per campaign, partial unique indexes): the SLA tables (0016) and the billing rate cards
 * (0023) share these columns and these two moves. Run inside the caller's transaction, after it
 * locked the campaign row (`lockCampaignRow`), so concurrent saves queue instead of colliding.
 */
export type VersionedTable = 'sla_tables' | 'billing_rate_cards';

export interface VersionedRow {
  readonly id: string;
  readonly campaign_id: string;
  readonly version: number;
  readonly status: 'draft' | 'active' | 'archived';
  readonly definition: unknown;
  readonly created_by: string | null;
  readonly created_at: Date;
  readonly activated_by: string | null;
  readonly activated_at: Date | null;
}

export async function lockCampaignRow(trx: Transaction<Database>, campaignId: string): Promise<void> {
  const campaign = await trx.selectFrom('campaigns').select('id').where('id', '=', campaignId).forUpdate().executeTakeFirst();
  if (!campaign) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
}

/** Replaces the campaign's draft, or creates it with the next version number. */
export async function saveDraftVersion(trx: Transaction<Database>, table: VersionedTable, campaignId: string, definition: unknown, createdBy: string | null): Promise<VersionedRow> {
  const t = sql.table(table);
  const json = JSON.stringify(definition);
  const updated = await sql<VersionedRow>`
    UPDATE ${t} SET definition = ${json}::jsonb, created_by = ${createdBy}, created_at = clock_timestamp()
    WHERE campaign_id = ${campaignId} AND status = 'draft' RETURNING *`.execute(trx);
  if (updated.rows[0]) return updated.rows[0];
  const inserted = await sql<VersionedRow>`
    INSERT INTO ${t} (campaign_id, version, status, definition, created_by)
    SELECT ${campaignId}, COALESCE(max(version), 0) + 1, 'draft', ${json}::jsonb, ${createdBy} FROM ${t} WHERE campaign_id = ${campaignId}
    RETURNING *`.execute(trx);
  const row = inserted.rows[0];
  if (!row) throw new HubError('HUB_ERR_INTERNAL');
  return row;
}

/** Draft → active; the active version is archived (kept: what was computed with it points at it). */
export async function activateDraftVersion(
  trx: Transaction<Database>,
  table: VersionedTable,
  campaignId: string,
  activatedBy: string | null,
  noDraftMessage: string,
): Promise<{ row: VersionedRow; archivedVersion: number | null }> {
  const t = sql.table(table);
  const draft = await sql<{ id: string }>`SELECT id FROM ${t} WHERE campaign_id = ${campaignId} AND status = 'draft'`.execute(trx);
  const draftId = draft.rows[0]?.id;
  if (draftId === undefined) throw new HubError('HUB_ERR_CONFLICT', noDraftMessage);
  const archived = await sql<{ version: number }>`UPDATE ${t} SET status = 'archived' WHERE campaign_id = ${campaignId} AND status = 'active' RETURNING version`.execute(trx);
  const activated = await sql<VersionedRow>`
    UPDATE ${t} SET status = 'active', activated_by = ${activatedBy}, activated_at = clock_timestamp() WHERE id = ${draftId} RETURNING *`.execute(trx);
  const row = activated.rows[0];
  if (!row) throw new HubError('HUB_ERR_INTERNAL');
  return { row, archivedVersion: archived.rows[0]?.version ?? null };
}
