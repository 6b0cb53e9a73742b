import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../hub/src/db/schema.js';
import type { UsageMeter } from '../../../hub/src/billing/billing.contract.js';

/**
 * Usage facts written straight into billing_usage_facts, for the tests about aggregation and
 * closing (derivation from events is deriveUsage's own test). Each fact gets a unique source key.
 */
export interface UsageFactSpec {
  readonly meter: UsageMeter;
  readonly month: string;
  /** `YYYY-MM-DD`, inside `month` unless the test says otherwise. */
  readonly localDay: string;
  readonly durationMs?: number;
  readonly quantity?: number;
  readonly weightPct?: number;
  readonly seatType?: 'PS-I' | 'PS-P';
  readonly tier?: 1 | 2;
  readonly channelClass?: 'voice' | 'text' | 'email';
  readonly channelKind?: string;
  readonly direction?: 'inbound' | 'outbound';
  readonly agentId?: string;
  readonly conversationId?: string;
  readonly folio?: string;
  readonly callSid?: string;
  readonly evidenceProblem?: string;
  readonly billedInMonth?: string;
}

export async function insertUsageFacts(db: Kysely<Database>, campaignId: string, specs: readonly UsageFactSpec[]): Promise<void> {
  if (specs.length === 0) return;
  await db
    .insertInto('billing_usage_facts')
    .values(
      specs.map((s) => {
        // Noon in Mexico City (UTC−6): inside the local day whatever the duration of a test fact.
        const startedAt = new Date(`${s.localDay}T12:00:00-06:00`);
        return {
          campaign_id: campaignId,
          meter: s.meter,
          source_key: `test:${randomUUID()}`,
          month: s.month,
          local_day: s.localDay,
          started_at: startedAt,
          ended_at: new Date(startedAt.getTime() + (s.durationMs ?? 0)),
          duration_ms: s.durationMs ?? 0,
          quantity: s.quantity ?? 0,
          weight_pct: s.weightPct ?? 100,
          seat_type: s.seatType ?? null,
          tier: s.tier ?? null,
          channel_class: s.channelClass ?? null,
          channel_kind: s.channelKind ?? null,
          direction: s.direction ?? null,
          agent_id: s.agentId ?? null,
          conversation_id: s.conversationId ?? null,
          folio: s.folio ?? null,
          call_sid: s.callSid ?? null,
          evidence_problem: s.evidenceProblem ?? null,
          billed_in_month: s.billedInMonth ?? null,
        };
      }),
    )
    .execute();
}

/** A usage total as usageTotals returns it, with the dimensions a test does not name as null. */
export function total(t: {
  meter: UsageMeter;
  usageMonth: string;
  durationMs?: number;
  items?: number;
  weightedPct?: number;
  factCount: number;
  seatType?: 'PS-I' | 'PS-P';
  tier?: 1 | 2;
  channelClass?: 'voice' | 'text' | 'email';
  channelKind?: string;
  direction?: 'inbound' | 'outbound';
}) {
  return {
    meter: t.meter,
    seatType: t.seatType ?? null,
    tier: t.tier ?? null,
    channelClass: t.channelClass ?? null,
    channelKind: t.channelKind ?? null,
    direction: t.direction ?? null,
    usageMonth: t.usageMonth,
    durationMs: t.durationMs ?? 0,
    items: t.items ?? 0,
    weightedPct: t.weightedPct ?? 0,
    factCount: t.factCount,
  };
}
