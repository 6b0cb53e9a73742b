import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import type { Database } from '../db/schema.js';
import { activateDraftVersion, lockCampaignRow, saveDraftVersion, type VersionedRow } from '../domain/versioned-definitions.js';
import { generalSlaTable } from '../kpi/sla/general-sla-table.js';
import { slaTableSchema, type SlaTable } from '../kpi/sla/sla-table.schema.js';
import { parseOrThrow } from './sla-problems.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface SlaTableVersion {
  /** null for the built-in default (no version stored yet). */
  readonly id: string | null;
  readonly version: number;
  readonly status: 'draft' | 'active' | 'archived' | 'default';
  readonly table: SlaTable;
  readonly createdAt: string | null;
  readonly activatedAt: string | null;
}

export interface Actor {
  readonly userId: string;
  readonly ip?: string | null;
  readonly userAgent?: string | null;
}

/** A stored definition was validated on write; parsing again keeps the type honest. */
function toVersion(row: VersionedRow): SlaTableVersion {
  return {
    id: row.id,
    version: row.version,
    status: row.status,
    table: slaTableSchema.parse(row.definition),
    createdAt: row.created_at.toISOString(),
    activatedAt: row.activated_at ? row.activated_at.toISOString() : null,
  };
}

/** T&C §14's general table, as the starting point of a campaign that has none (version 0). */
export function defaultSlaTable(campaignId: string): SlaTableVersion {
  return { id: null, version: 0, status: 'default', table: slaTableSchema.parse(generalSlaTable({ campaignId })), createdAt: null, activatedAt: null };
}

export async function listSlaTables(db: Db, campaignId: string): Promise<SlaTableVersion[]> {
  const rows = await db.selectFrom('sla_tables').selectAll().where('campaign_id', '=', campaignId).orderBy('version', 'desc').execute();
  return rows.map(toVersion);
}

/** The active version, or the general default when the campaign has never activated one. */
export async function activeSlaTable(db: Db, campaignId: string): Promise<SlaTableVersion> {
  const row = await db.selectFrom('sla_tables').selectAll().where('campaign_id', '=', campaignId).where('status', '=', 'active').executeTakeFirst();
  return row ? toVersion(row) : defaultSlaTable(campaignId);
}

/**
 * Saves the campaign's draft (creating it with the next version number, or replacing it). The
 * body is checked by slaTableSchema; every problem comes back in Spanish with its field path.
 */
export async function saveSlaDraft(db: Kysely<Database>, campaignId: string, input: unknown, actor: Actor): Promise<SlaTableVersion> {
  const body = typeof input === 'object' && input !== null ? input : {};
  const table = parseOrThrow(slaTableSchema, { ...body, campaignId }, 'La tabla de niveles de servicio no es válida / the SLA table is not valid');
  return db.transaction().execute(async (trx) => {
    await lockCampaignRow(trx, campaignId);
    const row = await saveDraftVersion(trx, 'sla_tables', campaignId, table, actor.userId);
    await recordAudit(trx, {
      action: 'sla_table.draft_saved',
      actorUserId: actor.userId,
      ip: actor.ip ?? null,
      userAgent: actor.userAgent ?? null,
      campaignId,
      targetType: 'sla_table',
      targetId: row.id,
      details: { version: row.version, rows: table.rows.map((r) => r.id) },
    });
    return toVersion(row);
  });
}

/** Draft → active; the previous active version is archived (kept: validated months point at it). */
export async function activateSlaDraft(db: Kysely<Database>, campaignId: string, actor: Actor): Promise<SlaTableVersion> {
  return db.transaction().execute(async (trx) => {
    await lockCampaignRow(trx, campaignId);
    const { row, archivedVersion } = await activateDraftVersion(trx, 'sla_tables', campaignId, actor.userId, 'No hay un borrador de la tabla de niveles de servicio para activar / there is no SLA table draft to activate');
    await recordAudit(trx, {
      action: 'sla_table.activated',
      actorUserId: actor.userId,
      ip: actor.ip ?? null,
      userAgent: actor.userAgent ?? null,
      campaignId,
      targetType: 'sla_table',
      targetId: row.id,
      details: { version: row.version, archivedVersion },
    });
    return toVersion(row);
  });
}
