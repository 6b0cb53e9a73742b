import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Bucket } from '../formulas/intervals.js';
import type { KpiDimension } from './kpi-series.contract.js';
import { sqlBucketOrdinal, startsArray, type QueryRange } from './sql-buckets.js';

/**
 * The contact half of the series: one scan of kpi_contact_facts received in the period, grouped in
 * SQL by bucket (and local day inside month buckets) and by the requested dimension sets, with the
 * counts and sums the formula library divides. Nothing here computes a KPI.
 */
export interface ContactSums {
  readonly receivedGross: number;
  readonly pending: number;
  readonly shortAbandoned: number;
  readonly attended: number;
  readonly attendedWithinThreshold: number;
  readonly totalAnswerWaitMs: number;
  readonly talkMs: number;
  readonly holdMs: number;
  readonly acwMs: number;
  readonly written: number;
  readonly writtenWithin: number;
  readonly writtenLate: number;
  readonly writtenUnanswered: number;
  readonly toSurvey: number;
  readonly transfers: number;
  readonly tier2Transfers: number;
  readonly fcrCases: number;
  readonly fcrFirst: number;
}

export const ZERO_SUMS: ContactSums = {
  receivedGross: 0, pending: 0, shortAbandoned: 0, attended: 0, attendedWithinThreshold: 0, totalAnswerWaitMs: 0,
  talkMs: 0, holdMs: 0, acwMs: 0, written: 0, writtenWithin: 0, writtenLate: 0, writtenUnanswered: 0,
  toSurvey: 0, transfers: 0, tier2Transfers: 0, fcrCases: 0, fcrFirst: 0,
};

/** Builds the sums field by field from a function of the field name. */
export function mapSums(value: (key: keyof ContactSums) => number): ContactSums {
  return {
    receivedGross: value('receivedGross'), pending: value('pending'), shortAbandoned: value('shortAbandoned'), attended: value('attended'),
    attendedWithinThreshold: value('attendedWithinThreshold'), totalAnswerWaitMs: value('totalAnswerWaitMs'), talkMs: value('talkMs'),
    holdMs: value('holdMs'), acwMs: value('acwMs'), written: value('written'), writtenWithin: value('writtenWithin'),
    writtenLate: value('writtenLate'), writtenUnanswered: value('writtenUnanswered'), toSurvey: value('toSurvey'),
    transfers: value('transfers'), tier2Transfers: value('tier2Transfers'), fcrCases: value('fcrCases'), fcrFirst: value('fcrFirst'),
  };
}

export function addSums(a: ContactSums, b: ContactSums): ContactSums {
  return mapSums((key) => a[key] + b[key]);
}

/** One SQL group at the finest grain asked for (bucket, day, and the dimensions any grouping uses). */
export interface ContactGroupRow {
  /** Index of the bucket in the series' bucket list. */
  readonly bucketOrd: number;
  /** Index of the local day in `days` (month buckets: monthly abandonment is a mean of days); else -1. */
  readonly dayOrd: number;
  /** null when that dimension is not in any grouping (or the contact has none). */
  readonly queueId: string | null;
  readonly channelKind: string | null;
  readonly agentId: string | null;
  readonly sums: ContactSums;
}

export interface ContactQuery {
  readonly campaignId: string;
  readonly range: QueryRange;
  readonly buckets: readonly Bucket[];
  /** The period's local days, when month buckets need per-day figures; else null. */
  readonly days: readonly Bucket[] | null;
  readonly groupings: readonly (readonly KpiDimension[])[];
  readonly queueId?: string;
  readonly channelKind?: string;
  readonly agentId?: string;
  readonly serviceLevelThresholdMs: number;
  readonly shortAbandonThresholdMs: number;
  readonly responseLimitMs: number;
  readonly asOfMs: number;
  /** null: FCR not needed (dailyKpis), its count is skipped. */
  readonly fcrWindowDays: number | null;
}


interface RawRow {
  bucket_ord: number;
  day_ord: number;
  queue_id: string | null;
  channel_kind: string | null;
  agent_id: string | null;
  [sum: string]: string | number | null;
}

const SUM_COLUMNS: Record<keyof ContactSums, string> = {
  receivedGross: 'received_gross', pending: 'pending', shortAbandoned: 'short_abandoned', attended: 'attended',
  attendedWithinThreshold: 'within', totalAnswerWaitMs: 'wait_ms', talkMs: 'talk_ms', holdMs: 'hold_ms', acwMs: 'acw_ms',
  written: 'written', writtenWithin: 'written_within', writtenLate: 'written_late', writtenUnanswered: 'written_unanswered',
  toSurvey: 'to_survey', transfers: 'transfers', tier2Transfers: 'tier2', fcrCases: 'fcr_cases', fcrFirst: 'fcr_first',
};

const ORDER: readonly KpiDimension[] = ['queue', 'channel', 'agent'];

/** The dimensions any grouping uses: the SQL groups by those only. */
export function usedDimensions(groupings: readonly (readonly KpiDimension[])[]): KpiDimension[] {
  return ORDER.filter((d) => groupings.some((dims) => dims.includes(d)));
}

/** A duration in ms as an exact PostgreSQL interval (no float seconds). */
const msInterval = (ms: number): RawBuilder<unknown> => sql`${`${ms} milliseconds`}::interval`;

export async function contactAggregates(db: Kysely<Database>, q: ContactQuery): Promise<ContactGroupRow[]> {
  const rs = new Date(q.range.startMs).toISOString();
  const re = new Date(q.range.endMs).toISOString();
  const asOf = new Date(q.asOfMs).toISOString();
  const filters: RawBuilder<unknown>[] = [];
  if (q.queueId !== undefined) filters.push(sql`AND f.queue_id = ${q.queueId}::uuid`);
  if (q.channelKind !== undefined) filters.push(sql`AND f.channel_kind = ${q.channelKind}`);
  if (q.agentId !== undefined) filters.push(sql`AND f.first_agent_id = ${q.agentId}`);
  const where = sql`f.campaign_id = ${q.campaignId}::uuid AND f.received_at >= ${rs}::timestamptz AND f.received_at < ${re}::timestamptz ${sql.join(filters, sql` `)}`;
  // One bucket (a day report): every row is in it, no search needed.
  const bucketOrd = q.buckets.length === 1 ? sql`0` : sqlBucketOrdinal(sql`f.received_at`, startsArray(q.buckets));
  const dayOrd = q.days === null ? sql`-1` : sqlBucketOrdinal(sql`f.received_at`, startsArray(q.days));
  // A resolved contact is not first-contact-resolved when the same citizen opened another
  // conversation in the campaign within the window after the resolution. The listener keeps the
  // first such opening on the fact (next_opened_at, fact-store.ts), so this is a per-row test.
  const notRepeated =
    q.fcrWindowDays === null
      ? sql`true`
      : sql`(f.contact_id IS NULL OR f.next_opened_at IS NULL OR f.next_opened_at > f.resolved_at + make_interval(days => ${q.fcrWindowDays}::int))`;
  const used = usedDimensions(q.groupings);
  const dimension = (d: KpiDimension, expr: RawBuilder<unknown>): RawBuilder<unknown> => (used.includes(d) ? expr : sql`NULL::text`);
  const written = sql`f.channel_class IN ('email', 'text')`;
  const replied = sql`f.first_response_at IS NOT NULL AND f.first_response_at <= ${asOf}::timestamptz`;
  const deadline = sql`f.received_at + ${msInterval(q.responseLimitMs)}`;
  const answered = sql`f.answered_at IS NOT NULL`;
  // One hash aggregation at the finest grain; the groupings are sums of these few rows.
  // answer_wait_ms = max(0, answered_at − received_at) exactly (contact-fact.ts), as tallyContacts.
  const result = await sql<RawRow>`
    SELECT ${bucketOrd} AS bucket_ord, ${dayOrd} AS day_ord,
      ${dimension('queue', sql`f.queue_id::text`)} AS queue_id, ${dimension('channel', sql`f.channel_kind`)} AS channel_kind,
      ${dimension('agent', sql`f.first_agent_id`)} AS agent_id,
      count(*) FILTER (WHERE f.answered_at IS NOT NULL OR f.abandoned_at IS NOT NULL OR f.resolved_at IS NOT NULL) AS received_gross,
      count(*) FILTER (WHERE f.answered_at IS NULL AND f.abandoned_at IS NULL AND f.resolved_at IS NULL) AS pending,
      count(*) FILTER (WHERE f.answered_at IS NULL AND f.abandoned_at < f.received_at + ${msInterval(q.shortAbandonThresholdMs)}) AS short_abandoned,
      count(f.answered_at) AS attended,
      count(*) FILTER (WHERE ${answered} AND f.answer_wait_ms <= ${q.serviceLevelThresholdMs}) AS within,
      COALESCE(sum(f.answer_wait_ms) FILTER (WHERE ${answered}), 0) AS wait_ms,
      COALESCE(sum(f.talk_ms) FILTER (WHERE ${answered}), 0) AS talk_ms,
      COALESCE(sum(f.hold_ms) FILTER (WHERE ${answered}), 0) AS hold_ms,
      COALESCE(sum(f.acw_ms) FILTER (WHERE ${answered}), 0) AS acw_ms,
      count(*) FILTER (WHERE ${written}) AS written,
      count(*) FILTER (WHERE ${written} AND ${replied} AND f.first_response_at <= ${deadline}) AS written_within,
      count(*) FILTER (WHERE ${written} AND ${replied} AND f.first_response_at > ${deadline}) AS written_late,
      count(*) FILTER (WHERE ${written} AND NOT (${replied}) AND ${asOf}::timestamptz >= ${deadline}) AS written_unanswered,
      count(*) FILTER (WHERE ${answered} AND f.survey_offered) AS to_survey,
      COALESCE(sum(f.transfers), 0) AS transfers,
      count(*) FILTER (WHERE f.tier2_transferred) AS tier2,
      count(f.resolved_at) AS fcr_cases,
      count(*) FILTER (WHERE f.resolved_at IS NOT NULL AND NOT f.tier2_transferred AND NOT f.reopened AND ${notRepeated}) AS fcr_first
    FROM kpi_contact_facts f
    WHERE ${where}
    GROUP BY 1, 2, 3, 4, 5`.execute(db);
  return result.rows.map((row) => {
    const sums = mapSums((key) => Number(row[SUM_COLUMNS[key]] ?? 0));
    return {
      bucketOrd: Number(row.bucket_ord),
      dayOrd: Number(row.day_ord),
      queueId: row.queue_id,
      channelKind: row.channel_kind,
      agentId: row.agent_id,
      sums,
    };
  });
}
