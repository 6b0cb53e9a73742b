import { billingCloseLockKey } from '../billing-locks.js';
import { sql, type Kysely } from 'kysely';
import { recordAudit } from '../../audit/audit.js';
import { retryOnConflict } from '../../db/retry-transaction.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { monthSpan } from '../../kpi/formulas/intervals.js';
import type { Statement } from '../billing.contract.js';
import { loadRateCard } from '../rate-card/rate-card.store.js';
import { composeStatement, deriveStatementUsage, type LoadedCard } from './build-statement.js';
import { assertMonth, campaignTimeZone, closedMonths } from './statement-loaders.js';
import { stampBilled } from './usage-totals.query.js';

export interface CloseActor {
  readonly userId: string;
  readonly ip: string;
  readonly userAgent: string | null;
}

/**
 * Closes a campaign's month (issue 10 item 8): its statement is frozen in billing_months and every
 * fact it billed is stamped `billed_in_month`, so later events of that month are billed as
 * adjustments of the next open month and recomputation leaves the billed facts alone.
 *
 * The usage is derived first (deriveUsage runs its own transactions). The close itself is ONE
 * repeatable-read transaction under a per-campaign advisory lock held on its connection around
 * it: a second close waits, then sees the first one's row (the lock is taken before the
 * snapshot); facts written while the statement is computed are neither billed nor stamped (they
 * are not in the snapshot) and go to the next month; a fact changed meanwhile aborts the close
 * (serialization failure), which runs again.
 */
export interface CloseMonthOptions {
  /** Derive the usage first (default true); false closes on the facts as stored. */
  readonly derive?: boolean;
  /** The instant of the close (default now): the month must have ended by then. */
  readonly now?: Date;
}

export async function closeMonth(db: Kysely<Database>, campaignId: string, month: string, actor: CloseActor, opts: CloseMonthOptions = {}): Promise<Statement> {
  assertMonth(month);
  const now = opts.now ?? new Date();
  const timeZone = await campaignTimeZone(db, campaignId);
  // A quick answer before the (slow) derivation; checked again under the lock.
  await assertClosable(db, campaignId, month, timeZone, now);
  if (opts.derive !== false) {
    const card = await loadRateCard(db, campaignId);
    await deriveStatementUsage(db, { campaignId, month, timeZone, card: card.card, closed: await closedMonths(db, campaignId), now });
  }
  const lockKey = billingCloseLockKey(campaignId);
  return retryOnConflict(() =>
    db.connection().execute(async (conn) => {
      await sql`SELECT pg_advisory_lock(hashtextextended(${lockKey}, 0))`.execute(conn);
      try {
        return await conn
          .transaction()
          .setIsolationLevel('repeatable read')
          .execute((trx) => closeInTransaction(trx, { campaignId, month, timeZone, now, actor }));
      } finally {
        await sql`SELECT pg_advisory_unlock(hashtextextended(${lockKey}, 0))`.execute(conn);
      }
    }),
  );
}

interface CloseContext {
  readonly campaignId: string;
  readonly month: string;
  readonly timeZone: string;
  readonly now: Date;
  readonly actor: CloseActor;
}

async function closeInTransaction(trx: Kysely<Database>, c: CloseContext): Promise<Statement> {
  await assertClosable(trx, c.campaignId, c.month, c.timeZone, c.now);
  const card = await storedCard(trx, c);
  const closed = await closedMonths(trx, c.campaignId);
  const computed = await composeStatement(trx, { campaignId: c.campaignId, month: c.month, timeZone: c.timeZone, card, closed, status: 'closed', now: c.now });
  const statement: Statement = { ...computed, status: 'closed' };
  await trx
    .insertInto('billing_months')
    .values({
      campaign_id: c.campaignId,
      month: c.month,
      status: 'closed',
      rate_card_id: card.id,
      rate_card_version: card.version,
      statement: JSON.stringify(statement),
      inputs_hash: statement.inputsHash,
      total_cents: statement.totalCents,
      closed_by: c.actor.userId,
    })
    .execute();
  const closedBefore = closed.filter((m) => m.month < c.month).map((m) => m.month);
  const stamped = await stampBilled(trx, { campaignId: c.campaignId, month: c.month, closedBefore });
  await recordAudit(trx, {
    action: 'billing.month_closed',
    actorUserId: c.actor.userId,
    ip: c.actor.ip,
    userAgent: c.actor.userAgent,
    campaignId: c.campaignId,
    targetType: 'billing_month',
    targetId: `${c.campaignId}:${c.month}`,
    details: {
      month: c.month,
      rateCard: { id: card.id, version: card.version },
      subtotalCents: statement.subtotalCents,
      deductionsCents: statement.deductionsCents,
      penaltiesCents: statement.penaltiesCents,
      totalCents: statement.totalCents,
      inputsHash: statement.inputsHash,
      adjustmentLines: statement.lines.filter((l) => l.kind === 'adjustment').length,
      factsStamped: stamped,
    },
  });
  return statement;
}

/**
 * The card the month is priced with, as a stored version (billing_months points at one). A
 * campaign still on the default card (seed-digest §5.7) gets it stored as its active version, so
 * the closed month keeps the exact prices it was billed at.
 */
async function storedCard(trx: Kysely<Database>, c: CloseContext): Promise<LoadedCard & { id: string }> {
  const loaded = await loadRateCard(trx, c.campaignId);
  if (loaded.id !== null) return { id: loaded.id, version: loaded.version, card: loaded.card };
  // The same lock as the rate-card store's writes (it numbers versions max + 1).
  await trx.selectFrom('campaigns').select('id').where('id', '=', c.campaignId).forUpdate().executeTakeFirst();
  const last = await trx.selectFrom('billing_rate_cards').select((eb) => eb.fn.max('version').as('max')).where('campaign_id', '=', c.campaignId).executeTakeFirst();
  const row = await trx
    .insertInto('billing_rate_cards')
    .values({
      campaign_id: c.campaignId,
      version: (last?.max ?? 0) + 1,
      status: 'active',
      definition: JSON.stringify(loaded.card),
      created_by: c.actor.userId,
      activated_by: c.actor.userId,
      activated_at: c.now,
    })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    action: 'billing.rate_card_activated',
    actorUserId: c.actor.userId,
    ip: c.actor.ip,
    userAgent: c.actor.userAgent,
    campaignId: c.campaignId,
    targetType: 'billing_rate_card',
    targetId: row.id,
    details: { version: row.version, archivedVersion: null, reason: `tarifa predeterminada guardada al cerrar ${c.month}` },
  });
  return { id: row.id, version: row.version, card: loaded.card };
}

/** The refusals, in the order an admin can act on them. */
export async function assertClosable(db: Kysely<Database>, campaignId: string, month: string, timeZone: string, now: Date): Promise<void> {
  const already = await db.selectFrom('billing_months').select('closed_at').where('campaign_id', '=', campaignId).where('month', '=', month).executeTakeFirst();
  if (already) throw new HubError('HUB_ERR_BILLING_MONTH_CLOSED', `El mes ${month} ya está cerrado; el consumo tardío se factura como ajuste del siguiente mes / ${month} is already closed`);
  const endMs = monthSpan(month, timeZone).span.endMs;
  if (now.getTime() < endMs) {
    throw new HubError('HUB_ERR_BILLING_MONTH_NOT_ENDED', `El mes ${month} aún no termina en la zona horaria de la campaña (${timeZone}); termina el ${new Date(endMs).toISOString()} / ${month} has not ended yet`);
  }
  const open = await earliestOpenMonthBefore(db, campaignId, month);
  if (open !== null) throw new HubError('HUB_ERR_BILLING_EARLIER_MONTH_OPEN', `El mes ${open} tiene consumo y sigue abierto; ciérrelo antes que ${month} / close ${open} before ${month}`);
  const sla = await db.selectFrom('sla_evaluations').select('status').where('campaign_id', '=', campaignId).where('month', '=', month).executeTakeFirst();
  if (sla?.status === 'proposed') {
    throw new HubError('HUB_ERR_BILLING_DEDUCTIONS_NOT_VALIDATED', `Las deductivas de ${month} están propuestas: valide las deductivas antes de cerrar / validate the SLA deductions of ${month} before closing`);
  }
}

/**
 * The first month before `month` that has usage facts and is not closed. The facts' months are
 * walked with one index probe each (a loose scan of billing_usage_facts_month_idx), not by reading
 * every fact of the earlier months.
 */
async function earliestOpenMonthBefore(db: Kysely<Database>, campaignId: string, month: string): Promise<string | null> {
  const result = await sql<{ month: string }>`
    WITH RECURSIVE months AS (
      SELECT (SELECT min(month) FROM billing_usage_facts WHERE campaign_id = ${campaignId}::uuid AND month < ${month}) AS month
      UNION ALL
      SELECT (SELECT min(f.month) FROM billing_usage_facts f WHERE f.campaign_id = ${campaignId}::uuid AND f.month > months.month AND f.month < ${month})
      FROM months WHERE months.month IS NOT NULL
    )
    SELECT month FROM months
    WHERE month IS NOT NULL AND NOT EXISTS (SELECT 1 FROM billing_months b WHERE b.campaign_id = ${campaignId}::uuid AND b.month = months.month)
    ORDER BY month LIMIT 1`.execute(db);
  return result.rows[0]?.month ?? null;
}
