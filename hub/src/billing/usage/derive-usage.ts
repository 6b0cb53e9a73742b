import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { monthSpan } from '../../kpi/formulas/intervals.js';
import { derivedFactsCtes } from './usage-sources.sql.js';

/** From the campaign's rate card: `card.billableStates`, `card.erroneousDispositions`. */
export interface UsageRules {
  readonly billableStates: readonly string[];
  readonly erroneousDispositions: readonly string[];
}

export interface DeriveUsageResult {
  /** New facts (a late source in a closed month included: it stays unbilled). */
  readonly inserted: number;
  /** Unbilled facts whose values changed. */
  readonly updated: number;
  /** Unbilled facts of the month whose source is gone. */
  readonly deleted: number;
  /** Facts recomputed to the same values: not rewritten (computed_at stays). */
  readonly unchanged: number;
  /** Facts of the month billed by a closed statement (billed_in_month set): never touched. */
  readonly frozen: number;
}

export interface DeriveUsageOptions {
  /** Where an open agent interval is measured to, if before the month's end (default: now). */
  readonly now?: Date;
}

/** The columns the derivation decides; computed_at changes only when one of them does. */
const VALUE_COLUMNS = [
  'meter',
  'month',
  'local_day',
  'started_at',
  'ended_at',
  'duration_ms',
  'quantity',
  'weight_pct',
  'seat_type',
  'tier',
  'channel_class',
  'channel_kind',
  'direction',
  'agent_id',
  'conversation_id',
  'folio',
  'call_sid',
  'evidence_problem',
  'detail',
] as const;

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Recomputes every billing_usage_facts row of the campaign whose usage starts in the local month,
 * from its sources (README.md), set-based, in one transaction: upsert by
 * (campaign_id, source_key) rewriting only rows whose values differ, never touching rows a closed
 * month billed, and deleting the month's unbilled rows whose source disappeared.
 */
export async function deriveUsage(db: Kysely<Database>, campaignId: string, month: string, rules: UsageRules, options: DeriveUsageOptions = {}): Promise<DeriveUsageResult> {
  if (!MONTH_RE.test(month)) throw new HubError('HUB_ERR_VALIDATION', 'El mes debe ser AAAA-MM / month must be YYYY-MM');
  const campaign = await db.selectFrom('campaigns').select('time_zone').where('id', '=', campaignId).executeTakeFirst();
  if (!campaign) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  const { span, days } = monthSpan(month, campaign.time_zone);
  const nowMs = (options.now ?? new Date()).getTime();
  const iso = (ms: number): string => new Date(ms).toISOString();
  const ctes = derivedFactsCtes({
    campaignId,
    startIso: iso(span.startMs),
    endIso: iso(span.endMs),
    openEndIso: iso(Math.max(span.startMs, Math.min(nowMs, span.endMs))),
    daysJson: JSON.stringify(days.map((d) => ({ day: d.key, starts: iso(d.startMs), ends: iso(d.endMs) }))),
    billableStates: rules.billableStates,
    erroneousDispositions: rules.erroneousDispositions,
  });
  const cols = sql.join(VALUE_COLUMNS.map((c) => sql.ref(c)));
  const stored = sql.join(VALUE_COLUMNS.map((c) => sql.ref(`billing_usage_facts.${c}`)));
  const excluded = sql.join(VALUE_COLUMNS.map((c) => sql.ref(`excluded.${c}`)));
  const sets = sql.join(VALUE_COLUMNS.map((c) => sql`${sql.ref(c)} = ${sql.ref(`excluded.${c}`)}`));

  return db.transaction().execute(async (trx) => {
    // Two runs of the same campaign and month would race on the same keys: one at a time.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`billing-usage:${campaignId}:${month}`}))`.execute(trx);
    // The derived facts go to a temporary table with an index on the key (and fresh statistics), so
    // the upsert and the stale-row delete are index or hash joins whatever the planner knew of the
    // month before: an anti-join against a CTE it thought tiny rescanned it per row (quadratic).
    await sql`CREATE TEMPORARY TABLE billing_usage_derived ON COMMIT DROP AS ${ctes} SELECT * FROM facts`.execute(trx);
    await sql`CREATE UNIQUE INDEX ON billing_usage_derived (source_key)`.execute(trx);
    await sql`ANALYZE billing_usage_derived`.execute(trx);
    const frozenHits = await sql<{ n: string }>`
      SELECT count(*) AS n FROM billing_usage_derived f
        JOIN billing_usage_facts b ON b.campaign_id = ${campaignId} AND b.source_key = f.source_key
       WHERE b.billed_in_month IS NOT NULL`.execute(trx);
    const deleted = await sql`
      DELETE FROM billing_usage_facts b
       WHERE b.campaign_id = ${campaignId} AND b.month = ${month} AND b.billed_in_month IS NULL
         AND NOT EXISTS (SELECT 1 FROM billing_usage_derived f WHERE f.source_key = b.source_key)`.execute(trx);
    const written = await sql<{ derived: string; inserted: string; updated: string; frozen: string }>`
      WITH upserted AS (
        INSERT INTO billing_usage_facts (campaign_id, source_key, ${cols})
        SELECT ${campaignId}, f.source_key, f.meter, ${month}, f.local_day, f.started_at, f.ended_at, f.duration_ms, f.quantity, f.weight_pct,
               f.seat_type, f.tier, f.channel_class, f.channel_kind, f.direction, f.agent_id, f.conversation_id, f.folio, f.call_sid,
               f.evidence_problem, f.detail
          FROM billing_usage_derived f
        ON CONFLICT (campaign_id, source_key) DO UPDATE SET ${sets}, computed_at = clock_timestamp()
         WHERE billing_usage_facts.billed_in_month IS NULL AND (${stored}) IS DISTINCT FROM (${excluded})
        RETURNING (xmax = 0) AS inserted
      )
      SELECT (SELECT count(*) FROM billing_usage_derived) AS derived,
             (SELECT count(*) FILTER (WHERE inserted) FROM upserted) AS inserted,
             (SELECT count(*) FILTER (WHERE NOT inserted) FROM upserted) AS updated,
             (SELECT count(*) FROM billing_usage_facts b WHERE b.campaign_id = ${campaignId} AND b.month = ${month} AND b.billed_in_month IS NOT NULL) AS frozen`.execute(trx);
    const row = written.rows[0];
    if (!row) throw new Error('deriveUsage: the upsert returned no row');
    const inserted = Number(row.inserted);
    const updated = Number(row.updated);
    return {
      inserted,
      updated,
      deleted: Number(deleted.numAffectedRows ?? 0n),
      unchanged: Number(row.derived) - inserted - updated - Number(frozenHits.rows[0]?.n ?? 0),
      frozen: Number(row.frozen),
    };
  });
}
