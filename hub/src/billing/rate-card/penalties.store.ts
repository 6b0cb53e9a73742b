import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit.js';
import type { BillingPenaltyRow } from '../../db/schema-billing.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { lockCampaignRow } from '../../domain/versioned-definitions.js';
import { waitForMonthClose } from '../billing-locks.js';
import { bilingual } from '../../router/config/routing-problem.js';
import { parseOrThrow } from '../../sla/sla-problems.js';
import type { Actor } from '../../sla/sla-table.store.js';

/**
 * Fixed penalties (penas convencionales, seed-digest §6.1: an amount per day or hour late, or a
 * fixed amount) of a campaign's month. Credit notes on the statement; a closed month is frozen.
 */

const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
export const penaltyMonthSchema = z.string().regex(MONTH_PATTERN, bilingual('use el formato AAAA-MM (por ejemplo 2026-11)', 'use YYYY-MM, e.g. 2026-11'));

export const penaltyBodySchema = z.strictObject({
  month: penaltyMonthSchema,
  kind: z.enum(['per_day', 'per_hour', 'fixed']),
  /** Days or hours late (1 for a fixed amount); bounded so units × amount stays an exact integer. */
  units: z
    .number()
    .int(bilingual('las unidades deben ser un número entero', 'units must be a whole number'))
    .positive(bilingual('las unidades deben ser mayores que 0', 'units must be greater than 0'))
    .max(10_000, bilingual('admite hasta 10,000 unidades', 'at most 10,000 units')),
  amountPerUnitCents: z
    .number()
    .int(bilingual('el importe va en centavos enteros', 'the amount is whole centavos'))
    .positive(bilingual('el importe por unidad debe ser mayor que 0', 'the amount per unit must be greater than 0'))
    .max(100_000_000_000, bilingual('el importe por unidad es demasiado grande', 'the amount per unit is too large')),
  description: z
    .string()
    .trim()
    .min(3, bilingual('la descripción debe tener de 3 a 500 caracteres', 'the description must have 3 to 500 characters'))
    .max(500, bilingual('la descripción debe tener de 3 a 500 caracteres', 'the description must have 3 to 500 characters')),
});
export type PenaltyBody = z.output<typeof penaltyBodySchema>;

/** A penalty as the API shows it; a superset of the statement's PenaltyInput. */
export interface Penalty {
  readonly id: string;
  readonly campaignId: string;
  readonly month: string;
  readonly kind: 'per_day' | 'per_hour' | 'fixed';
  readonly units: number;
  readonly amountPerUnitCents: number;
  /** units × amountPerUnitCents, before the statement's global cap. */
  readonly totalCents: number;
  readonly description: string;
  readonly createdBy: string | null;
  readonly createdAt: string;
}

function toPenalty(row: BillingPenaltyRow): Penalty {
  const amountPerUnitCents = Number(row.amount_per_unit_cents);
  return {
    id: row.id,
    campaignId: row.campaign_id,
    month: row.month,
    kind: row.kind,
    units: row.units,
    amountPerUnitCents,
    totalCents: row.units * amountPerUnitCents,
    description: row.description,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}

export async function isMonthClosed(db: Kysely<Database> | Transaction<Database>, campaignId: string, month: string): Promise<boolean> {
  const row = await db.selectFrom('billing_months').select('month').where('campaign_id', '=', campaignId).where('month', '=', month).executeTakeFirst();
  return row !== undefined;
}

async function refuseClosedMonth(trx: Transaction<Database>, campaignId: string, month: string, what: 'create' | 'delete'): Promise<void> {
  if (!(await isMonthClosed(trx, campaignId, month))) return;
  const es = what === 'create' ? 'registrar' : 'eliminar';
  const en = what === 'create' ? 'created' : 'deleted';
  throw new HubError(
    'HUB_ERR_BILLING_MONTH_CLOSED',
    bilingual(
      `El mes ${month} ya está cerrado: no se pueden ${es} penalizaciones; regístrelas en un mes abierto`,
      `month ${month} is closed: penalties cannot be ${en}; record them in an open month`,
    ),
    { month },
  );
}

/** The month's penalties, oldest first (the order the statement's global cap applies them in). */
export async function listPenalties(db: Kysely<Database> | Transaction<Database>, campaignId: string, month: string): Promise<Penalty[]> {
  const rows = await db
    .selectFrom('billing_penalties')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('month', '=', month)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map(toPenalty);
}

function auditPenalty(trx: Transaction<Database>, action: 'billing.penalty_created' | 'billing.penalty_deleted', actor: Actor, penalty: Penalty): Promise<void> {
  return recordAudit(trx, {
    action,
    actorUserId: actor.userId,
    ip: actor.ip ?? null,
    userAgent: actor.userAgent ?? null,
    campaignId: penalty.campaignId,
    targetType: 'billing_penalty',
    targetId: penalty.id,
    details: { month: penalty.month, kind: penalty.kind, units: penalty.units, amountPerUnitCents: penalty.amountPerUnitCents, description: penalty.description },
  });
}

export async function createPenalty(db: Kysely<Database>, campaignId: string, input: unknown, actor: Actor): Promise<Penalty> {
  const body = parseOrThrow(penaltyBodySchema, input, 'La penalización no es válida / the penalty is not valid');
  return db.transaction().execute(async (trx) => {
    // No penalty slips into a month being closed (billing-locks.ts); the close's lock first, then the
    // campaign row, in the order the close takes them.
    await waitForMonthClose(trx, campaignId);
    await lockCampaignRow(trx, campaignId);
    await refuseClosedMonth(trx, campaignId, body.month, 'create');
    const row = await trx
      .insertInto('billing_penalties')
      .values({
        campaign_id: campaignId,
        month: body.month,
        kind: body.kind,
        units: body.units,
        amount_per_unit_cents: body.amountPerUnitCents,
        description: body.description,
        created_by: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const penalty = toPenalty(row);
    await auditPenalty(trx, 'billing.penalty_created', actor, penalty);
    return penalty;
  });
}

/** Deletes a penalty of `campaignId` (404 when it is not one of the campaign's; 409 in a closed month). */
export async function deletePenalty(db: Kysely<Database>, campaignId: string, id: string, actor: Actor): Promise<Penalty> {
  return db.transaction().execute(async (trx) => {
    await waitForMonthClose(trx, campaignId);
    await lockCampaignRow(trx, campaignId);
    const row = await trx.selectFrom('billing_penalties').selectAll().where('id', '=', id).where('campaign_id', '=', campaignId).executeTakeFirst();
    if (!row) throw new HubError('HUB_ERR_NOT_FOUND', 'Penalización no encontrada / penalty not found');
    await refuseClosedMonth(trx, campaignId, row.month, 'delete');
    await trx.deleteFrom('billing_penalties').where('id', '=', id).execute();
    const penalty = toPenalty(row);
    await auditPenalty(trx, 'billing.penalty_deleted', actor, penalty);
    return penalty;
  });
}
