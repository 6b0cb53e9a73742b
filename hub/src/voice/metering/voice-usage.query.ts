import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';

/**
 * A campaign's voice usage over a period (issue 8 item 9): the facts summed per concept and seat
 * type, and every metered leg with its cross-check against Twilio. A leg belongs to the period
 * in which it started. `seconds` sums the per-segment whole seconds; `exactSeconds` sums the exact
 * spans (ms ÷ 1000), which is what billing floors to whole minutes (seed-digest §5.3).
 */

export interface VoiceUsageRange {
  /** ISO date (the campaign's local midnight) or date-time with offset; inclusive. */
  from?: string | undefined;
  /** ISO date (that whole local day included) or date-time with offset; exclusive. */
  to?: string | undefined;
}

export interface UsageTotal {
  concept: string;
  unit: 'second' | 'message';
  seatType: 'PS-I' | 'PS-P' | null;
  quantity: number;
  exactSeconds: number;
  facts: number;
}

export interface CallUsageRow {
  callSid: string;
  kind: string;
  conversationId: string | null;
  folio: string | null;
  startedAt: string;
  endedAt: string;
  ourSeconds: number;
  conceptSeconds: number;
  twilioSeconds: number | null;
  differenceSeconds: number | null;
  mismatch: boolean;
  concepts: Record<string, number>;
}

export interface VoiceUsageReport {
  campaignId: string;
  totals: UsageTotal[];
  calls: CallUsageRow[];
  callCount: number;
  mismatches: number;
  /** true when `calls` stops at the limit (the totals still cover the whole period). */
  truncated: boolean;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function bound(value: string, timeZone: string, endOfDay: boolean): RawBuilder<Date> {
  if (!DATE_ONLY.test(value)) return sql<Date>`${value}::timestamptz`;
  return endOfDay ? sql<Date>`(${value}::date + 1)::timestamp AT TIME ZONE ${timeZone}` : sql<Date>`(${value}::date)::timestamp AT TIME ZONE ${timeZone}`;
}

function rangeOf(range: VoiceUsageRange, timeZone: string): RawBuilder<boolean> {
  const conditions: RawBuilder<boolean>[] = [sql<boolean>`true`];
  if (range.from !== undefined) conditions.push(sql<boolean>`u.started_at >= ${bound(range.from, timeZone, false)}`);
  if (range.to !== undefined) conditions.push(sql<boolean>`u.started_at < ${bound(range.to, timeZone, true)}`);
  return sql<boolean>`(${sql.join(conditions, sql` AND `)})`;
}

export async function voiceUsageReport(db: Kysely<Database>, campaignId: string, range: VoiceUsageRange, limit: number): Promise<VoiceUsageReport> {
  const campaign = await db.selectFrom('campaigns').select('time_zone').where('id', '=', campaignId).executeTakeFirst();
  if (!campaign) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  const inRange = rangeOf(range, campaign.time_zone);

  const totals = await sql<{ concept: string; unit: 'second' | 'message'; seat_type: 'PS-I' | 'PS-P' | null; quantity: string; duration_ms: string; facts: string }>`
    SELECT f.concept, f.unit, f.seat_type, sum(f.quantity) AS quantity, sum(f.duration_ms) AS duration_ms, count(*) AS facts
      FROM voice_usage_facts f
      JOIN voice_call_usage u ON u.call_sid = f.call_sid
     WHERE u.campaign_id = ${campaignId} AND ${inRange}
     GROUP BY f.concept, f.unit, f.seat_type
     ORDER BY f.concept, f.seat_type NULLS FIRST`.execute(db);

  const counts = await sql<{ calls: string; mismatches: string }>`
    SELECT count(*) AS calls, count(*) FILTER (WHERE u.mismatch) AS mismatches
      FROM voice_call_usage u
     WHERE u.campaign_id = ${campaignId} AND ${inRange}`.execute(db);

  const calls = await sql<{
    call_sid: string;
    call_kind: string;
    conversation_id: string | null;
    folio: string | null;
    started_at: Date;
    ended_at: Date;
    our_seconds: number;
    concept_seconds: number;
    twilio_seconds: number | null;
    difference_seconds: number | null;
    mismatch: boolean;
    concepts: Record<string, number> | null;
  }>`
    SELECT u.call_sid, u.call_kind, u.conversation_id, u.folio, u.started_at, u.ended_at, u.our_seconds, u.concept_seconds,
           u.twilio_seconds, u.difference_seconds, u.mismatch,
           (SELECT jsonb_object_agg(c.concept, c.quantity)
              FROM (SELECT f.concept, sum(f.quantity)::int AS quantity FROM voice_usage_facts f WHERE f.call_sid = u.call_sid GROUP BY f.concept) c) AS concepts
      FROM voice_call_usage u
     WHERE u.campaign_id = ${campaignId} AND ${inRange}
     ORDER BY u.started_at, u.call_sid
     LIMIT ${limit}`.execute(db);

  const callCount = Number(counts.rows[0]?.calls ?? 0);
  return {
    campaignId,
    totals: totals.rows.map((t) => ({
      concept: t.concept,
      unit: t.unit,
      seatType: t.seat_type,
      quantity: Number(t.quantity),
      exactSeconds: t.unit === 'second' ? Number(t.duration_ms) / 1000 : 0,
      facts: Number(t.facts),
    })),
    calls: calls.rows.map((c) => ({
      callSid: c.call_sid,
      kind: c.call_kind,
      conversationId: c.conversation_id,
      folio: c.folio,
      startedAt: c.started_at.toISOString(),
      endedAt: c.ended_at.toISOString(),
      ourSeconds: c.our_seconds,
      conceptSeconds: c.concept_seconds,
      twilioSeconds: c.twilio_seconds,
      differenceSeconds: c.difference_seconds,
      mismatch: c.mismatch,
      concepts: c.concepts ?? {},
    })),
    callCount,
    mismatches: Number(counts.rows[0]?.mismatches ?? 0),
    truncated: callCount > calls.rows.length,
  };
}
