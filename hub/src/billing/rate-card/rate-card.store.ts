import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../../audit/audit.js';
import type { Database } from '../../db/schema.js';
import { activateDraftVersion, lockCampaignRow, saveDraftVersion, type VersionedRow } from '../../domain/versioned-definitions.js';
import type { Actor } from '../../sla/sla-table.store.js';
import type { RateCard } from '../billing.contract.js';
import { defaultRateCard } from './default-rate-card.js';
import { parseRateCard, rateCardSchema } from './rate-card.schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** One stored version of a campaign's card (draft → active → archived), as the API shows it. */
export interface RateCardVersion {
  readonly id: string;
  readonly campaignId: string;
  readonly version: number;
  readonly status: 'draft' | 'active' | 'archived';
  readonly card: RateCard;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly activatedBy: string | null;
  readonly activatedAt: string | null;
}

/** What the statement prices with: the active card, else the default card (id null, version 0). */
export interface LoadedRateCard {
  readonly id: string | null;
  readonly version: number;
  readonly status: 'active' | 'default';
  readonly card: RateCard;
}

/** A stored definition was validated on write; parsing again keeps the type honest. */
function toVersion(row: VersionedRow): RateCardVersion {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    version: row.version,
    status: row.status,
    card: rateCardSchema.parse(row.definition),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    activatedBy: row.activated_by,
    activatedAt: row.activated_at ? row.activated_at.toISOString() : null,
  };
}

export async function listRateCards(db: Db, campaignId: string): Promise<RateCardVersion[]> {
  const rows = await db.selectFrom('billing_rate_cards').selectAll().where('campaign_id', '=', campaignId).orderBy('version', 'desc').execute();
  return rows.map(toVersion);
}

export async function rateCardById(db: Db, id: string): Promise<RateCardVersion | null> {
  const row = await db.selectFrom('billing_rate_cards').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toVersion(row) : null;
}

export async function loadRateCard(db: Db, campaignId: string): Promise<LoadedRateCard> {
  const row = await db.selectFrom('billing_rate_cards').selectAll().where('campaign_id', '=', campaignId).where('status', '=', 'active').executeTakeFirst();
  if (!row) return { id: null, version: 0, status: 'default', card: defaultRateCard() };
  const active = toVersion(row);
  return { id: active.id, version: active.version, status: 'active', card: active.card };
}

/**
 * Saves the campaign's draft: creates it with the next version number, or replaces the existing
 * draft. The body is checked by rateCardSchema; every problem comes back in Spanish with its path.
 */
export async function saveRateCardDraft(db: Kysely<Database>, campaignId: string, input: unknown, actor: Actor): Promise<RateCardVersion> {
  const card = parseRateCard(input);
  return db.transaction().execute(async (trx) => {
    await lockCampaignRow(trx, campaignId);
    const row = await saveDraftVersion(trx, 'billing_rate_cards', campaignId, card, actor.userId);
    await recordAudit(trx, {
      action: 'billing.rate_card_draft_saved',
      actorUserId: actor.userId,
      ip: actor.ip ?? null,
      userAgent: actor.userAgent ?? null,
      campaignId,
      targetType: 'billing_rate_card',
      targetId: row.id,
      details: { version: row.version, concepts: card.concepts.map((c) => ({ code: c.code, unitPriceCents: c.unitPriceCents })) },
    });
    return toVersion(row);
  });
}

/** Draft → active; the previous active version is archived (kept: closed months point at it). */
export async function activateRateCardDraft(db: Kysely<Database>, campaignId: string, actor: Actor): Promise<RateCardVersion> {
  return db.transaction().execute(async (trx) => {
    await lockCampaignRow(trx, campaignId);
    const { row, archivedVersion } = await activateDraftVersion(trx, 'billing_rate_cards', campaignId, actor.userId, 'No hay un borrador de tarifa para activar; guarde uno primero / there is no rate card draft to activate, save one first');
    await recordAudit(trx, {
      action: 'billing.rate_card_activated',
      actorUserId: actor.userId,
      ip: actor.ip ?? null,
      userAgent: actor.userAgent ?? null,
      campaignId,
      targetType: 'billing_rate_card',
      targetId: row.id,
      details: { version: row.version, archivedVersion },
    });
    return toVersion(row);
  });
}
