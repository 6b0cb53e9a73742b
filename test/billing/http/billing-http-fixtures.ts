import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { UsageMeter } from '../../../hub/src/billing/billing.contract.js';
import type { Database } from '../../../hub/src/db/schema.js';
import { localDateOf } from '../../../hub/src/kpi/formulas/intervals.js';

/**
 * billing_usage_facts rows as the usage derivation would have written them (the table has no
 * foreign keys to its sources: facts are rebuildable). The month and local day come from the
 * start instant in the campaign's zone (America/Mexico_City, −06:00).
 */
export interface FactPlan {
  readonly meter: UsageMeter;
  /** ISO instant with offset, e.g. 2026-10-05T10:00:00-06:00. */
  readonly at: string;
  /** Time meters: the exact span (ms precision). */
  readonly seconds?: number;
  /** Count meters: items (1 by default for a count meter). */
  readonly quantity?: number;
  readonly weightPct?: number;
  readonly seatType?: 'PS-I' | 'PS-P';
  readonly channelClass?: 'voice' | 'text' | 'email';
  readonly direction?: 'inbound' | 'outbound';
  readonly agentId?: string;
  readonly folio?: string;
  readonly callSid?: string;
  readonly conversationId?: string;
  readonly evidenceProblem?: string;
}

const TIME: readonly UsageMeter[] = ['agent_time', 'interaction_time', 'ivr_time'];

export async function insertUsageFacts(db: Kysely<Database>, campaignId: string, plans: readonly FactPlan[]): Promise<void> {
  const rows = plans.map((p) => {
    const startMs = Date.parse(p.at);
    const durationMs = Math.round((p.seconds ?? 0) * 1000);
    const localDay = localDateOf(startMs, 'America/Mexico_City');
    const isTime = TIME.includes(p.meter);
    return {
      campaign_id: campaignId,
      meter: p.meter,
      source_key: `test:${randomUUID()}`,
      month: localDay.slice(0, 7),
      local_day: localDay,
      started_at: new Date(startMs),
      ended_at: new Date(startMs + durationMs),
      duration_ms: isTime ? durationMs : 0,
      quantity: isTime ? 0 : (p.quantity ?? 1),
      weight_pct: p.weightPct ?? 100,
      seat_type: p.seatType ?? null,
      channel_class: p.channelClass ?? null,
      direction: p.direction ?? null,
      agent_id: p.agentId ?? null,
      conversation_id: p.conversationId ?? null,
      folio: p.folio ?? null,
      call_sid: p.callSid ?? null,
      evidence_problem: p.evidenceProblem ?? null,
      detail: '{}',
    };
  });
  // ≤ 1,000 rows a statement: 20 parameters a row stays under PostgreSQL's 65,535.
  for (let i = 0; i < rows.length; i += 1000) await db.insertInto('billing_usage_facts').values(rows.slice(i, i + 1000)).execute();
}

/**
 * A small card for the HTTP tests (occupancy off, so every figure is price × quantity):
 * PS-I voice $2.38/min, PS-I outbound $2.35/min (more specific: it takes the outbound facts),
 * chat $2.38 per minute with seconds, outbound email $17.74, help desk $20,285.78 a month.
 */
export function testCard(): Record<string, unknown> {
  return {
    termEndMonth: '2026-12',
    billableStates: ['available', 'after_contact_work'],
    occupancyTariff: { enabled: false },
    concepts: [
      { code: 'ps_i_voice', name: 'Posición PS-I voz', nameEn: 'PS-I voice seat', unit: 'minute', unitPriceCents: 238, minQuantity: 400, maxQuantity: 1000, usage: { meter: 'agent_time', seatType: 'PS-I', channelClass: 'voice' } },
      {
        code: 'ps_i_outbound',
        name: 'Posición PS-I salida',
        nameEn: 'PS-I outbound seat',
        unit: 'minute',
        unitPriceCents: 235,
        minQuantity: 10,
        maxQuantity: 100,
        usage: { meter: 'agent_time', seatType: 'PS-I', channelClass: 'voice', direction: 'outbound' },
      },
      { code: 'chat', name: 'Atención por chat', nameEn: 'Chat attention', unit: 'minute_seconds', unitPriceCents: 238, minQuantity: 10, maxQuantity: 100, usage: { meter: 'agent_time', channelClass: 'text' } },
      { code: 'email_out', name: 'Correo de salida', nameEn: 'Outbound email', unit: 'message', unitPriceCents: 1774, minQuantity: 1, maxQuantity: 100, usage: { meter: 'email_outbound' } },
      { code: 'help_desk', name: 'Mesa de ayuda', nameEn: 'Help desk', unit: 'month', unitPriceCents: 2_028_578, minQuantity: 1, maxQuantity: 2, usage: null, fixedQuantity: 1 },
    ],
  };
}
