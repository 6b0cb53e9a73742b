import type { Kysely } from 'kysely';
import type { RateCard } from '../../../hub/src/billing/billing.contract.js';
import type { Database } from '../../../hub/src/db/schema.js';

/**
 * A small card whose figures are easy to follow by hand: PS-I voice seat time per minute at $2.38,
 * inbound SMS at $0.71, outbound e-mail at $17.74; IVA 16 %, global cap 10 %, no occupancy tariff.
 */
export function testCard(overrides: Partial<RateCard> = {}): RateCard {
  return {
    currency: 'MXN',
    ivaPct: 16,
    billableStates: ['available', 'after_contact_work'],
    erroneousDispositions: [],
    termEndMonth: '2027-09',
    globalCapPct: 10,
    occupancyTariff: { enabled: false, conceptCodes: [], formula: 'phone', sessions: 1, bands: [{ minPct: 0, tariffPct: 100 }] },
    concepts: [
      { code: 'ps_i', name: 'Entrada PS-I', nameEn: 'Inbound PS-I', unit: 'minute', unitPriceCents: 238, minQuantity: 100, maxQuantity: 1000, usage: { meter: 'agent_time', seatType: 'PS-I', channelClass: 'voice' } },
      { code: 'sms_in', name: 'SMS de entrada', nameEn: 'Inbound SMS', unit: 'message', unitPriceCents: 71, minQuantity: 10, maxQuantity: 5000, usage: { meter: 'sms_inbound' } },
      { code: 'email', name: 'Correo de salida', nameEn: 'Outbound e-mail', unit: 'message', unitPriceCents: 1774, minQuantity: 10, maxQuantity: 100, usage: { meter: 'email_outbound' } },
    ],
    ...overrides,
  };
}

/** Stores the card as the campaign's active version 1; returns its id. */
export async function activateCard(db: Kysely<Database>, campaignId: string, card: RateCard = testCard()): Promise<string> {
  const row = await db
    .insertInto('billing_rate_cards')
    .values({ campaign_id: campaignId, version: 1, status: 'active', definition: JSON.stringify(card), activated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An SLA evaluation row as the SLA engine leaves it (only what billing reads matters here). */
export async function insertSlaEvaluation(
  db: Kysely<Database>,
  campaignId: string,
  month: string,
  status: 'proposed' | 'validated',
  proposedCents: number,
  finalCents: number,
): Promise<string> {
  const row = await db
    .insertInto('sla_evaluations')
    .values({
      campaign_id: campaignId,
      month,
      status,
      table_id: null,
      table_version: 0,
      contract_month: null,
      invoice_cents: 0,
      already_deducted_cents: 0,
      snapshot: '{}',
      inputs_hash: `test-${month}`,
      proposed_cents: proposedCents,
      final_cents: finalCents,
      validated_at: status === 'validated' ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
