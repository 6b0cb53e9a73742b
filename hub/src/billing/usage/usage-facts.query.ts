import type { Kysely } from 'kysely';
import type { UsageMeter } from '../billing.contract.js';
import type { Database } from '../../db/schema.js';
import type { BillingUsageFactRow } from '../../db/schema-billing.js';

/** One usage fact as the API and the statement's trace show it (ms and counts as numbers). */
export interface UsageFactView {
  readonly id: string;
  readonly meter: UsageMeter;
  readonly sourceKey: string;
  readonly month: string;
  readonly localDay: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationMs: number;
  readonly quantity: number;
  readonly weightPct: number;
  readonly seatType: 'PS-I' | 'PS-P' | null;
  readonly tier: 1 | 2 | null;
  readonly channelClass: 'voice' | 'text' | 'email' | null;
  readonly channelKind: string | null;
  readonly direction: 'inbound' | 'outbound' | null;
  readonly agentId: string | null;
  readonly conversationId: string | null;
  readonly folio: string | null;
  readonly callSid: string | null;
  readonly evidenceProblem: string | null;
  readonly detail: Record<string, unknown>;
  readonly billedInMonth: string | null;
  readonly computedAt: string;
}

export interface UsageFactsFilter {
  readonly month: string;
  readonly meter?: UsageMeter | undefined;
  readonly folio?: string | undefined;
  /** Page size (the caller bounds it). */
  readonly limit: number;
  /** The last id of the previous page (keyset: ids ascending). */
  readonly after?: string | undefined;
}

export interface UsageFactsPage {
  readonly facts: UsageFactView[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly next: string | null;
}

function dayOf(value: Date): string {
  // A `date` column comes back as local midnight of the process; its calendar fields are the day.
  const y = value.getFullYear();
  const m = String(value.getMonth() + 1).padStart(2, '0');
  const d = String(value.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function toUsageFactView(row: BillingUsageFactRow): UsageFactView {
  return {
    id: row.id,
    meter: row.meter,
    sourceKey: row.source_key,
    month: row.month,
    localDay: typeof row.local_day === 'string' ? row.local_day : dayOf(row.local_day),
    startedAt: new Date(row.started_at).toISOString(),
    endedAt: new Date(row.ended_at).toISOString(),
    durationMs: Number(row.duration_ms),
    quantity: row.quantity,
    weightPct: row.weight_pct,
    seatType: row.seat_type,
    tier: row.tier,
    channelClass: row.channel_class,
    channelKind: row.channel_kind,
    direction: row.direction,
    agentId: row.agent_id,
    conversationId: row.conversation_id,
    folio: row.folio,
    callSid: row.call_sid,
    evidenceProblem: row.evidence_problem,
    detail: row.detail,
    billedInMonth: row.billed_in_month,
    computedAt: row.computed_at.toISOString(),
  };
}

/** A campaign's facts of one month (optionally one meter or one folio), a keyset page by id. */
export async function listUsageFacts(db: Kysely<Database>, campaignId: string, filter: UsageFactsFilter): Promise<UsageFactsPage> {
  let query = db.selectFrom('billing_usage_facts').selectAll().where('campaign_id', '=', campaignId).where('month', '=', filter.month);
  if (filter.meter !== undefined) query = query.where('meter', '=', filter.meter);
  if (filter.folio !== undefined) query = query.where('folio', '=', filter.folio);
  if (filter.after !== undefined) query = query.where('id', '>', filter.after);
  const rows = await query
    .orderBy('id')
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return { facts: page.map(toUsageFactView), next: rows.length > filter.limit && last ? last.id : null };
}
