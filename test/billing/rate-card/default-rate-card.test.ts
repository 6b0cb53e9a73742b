import { describe, expect, it } from 'vitest';
import type { RateConcept } from '../../../hub/src/billing/billing.contract.js';
import { defaultRateCard, IMSS_LINES_KIND } from '../../../hub/src/billing/rate-card/default-rate-card.js';
import { rateCardProblems, rateCardSchema } from '../../../hub/src/billing/rate-card/rate-card.schema.js';

/**
 * Issue 10 item 1: the default card is the seed's price table (seed-digest §5.7), implied prices
 * rounded half up to centavos, and it passes the schema an admin's card passes.
 */

const card = defaultRateCard('2028-10');
function concept(code: string): RateConcept {
  const found = card.concepts.find((c) => c.code === code);
  if (!found) throw new Error(`no concept ${code}`);
  return found;
}

/** Half-up to centavos, written out independently of the code under test. */
const centavos = (pesos: number, quantity: number): number => Math.floor((pesos / quantity) * 100 + 0.5);

describe('defaultRateCard', () => {
  it('passes rateCardSchema unchanged (parsing adds nothing and drops nothing)', () => {
    expect(rateCardProblems(card)).toEqual([]);
    expect(rateCardSchema.parse(card)).toEqual(card);
  });

  it('has the 17 priced rows of the seed table (1–15, 19, 20) with unique codes', () => {
    expect(card.concepts.map((c) => c.code)).toEqual([
      'ps_i_inbound_imss_lines', // 1
      'ps_p_inbound_imss_lines', // 2
      'ps_i_inbound', // 3
      'ps_p_inbound', // 4
      'ps_i_outbound', // 5
      'ps_p_own_positions', // 6
      'ivr', // 7
      'email_outbound', // 8
      'email_mass_send', // 9
      'chat', // 10
      'social', // 11
      'sms_outbound', // 12
      'sms_inbound', // 13
      'sms_mass_send', // 14
      'blaster', // 15
      'voicemail', // 19
      'help_desk', // 20
    ]);
  });

  it('prices are the implied prices rounded half up where the printed one is OCR-corrupted', () => {
    // Row 3: printed "$2.36" (OCR); $9,389,526.60 / 3,946,917 = 2.378950… → $2.38 = 238 centavos.
    expect(centavos(9_389_526.6, 3_946_917)).toBe(238);
    expect(concept('ps_i_inbound')).toMatchObject({ unit: 'minute', unitPriceCents: 238, minQuantity: 3_946_917, maxQuantity: 9_867_293 });
    // Row 10: printed "$2.98" (OCR); $1,166,465.75 / 490,328 = 2.378950… → 238; minutes with seconds.
    expect(centavos(1_166_465.75, 490_328)).toBe(238);
    expect(concept('chat')).toMatchObject({ unit: 'minute_seconds', unitPriceCents: 238, minQuantity: 490_328, maxQuantity: 1_225_819, usage: { meter: 'agent_time', channelClass: 'text' } });
    // Row 13: printed "$236.71" (OCR); $473.01 / 667 = 0.709160… → $0.71 = 71.
    expect(centavos(473.01, 667)).toBe(71);
    expect(concept('sms_inbound')).toMatchObject({ unit: 'message', unitPriceCents: 71, minQuantity: 667, maxQuantity: 1_667, usage: { meter: 'sms_inbound' } });
    // Row 19: printed "$35.11 (?)"; $987.46 / 163 = 6.058036… → $6.06 = 606 (per service).
    expect(centavos(987.46, 163)).toBe(606);
    expect(concept('voicemail')).toMatchObject({ unit: 'service', unitPriceCents: 606, minQuantity: 163, maxQuantity: 408, usage: { meter: 'voicemail' } });
    // Row 9: printed "$0.98 (?)"; $1.26 / 3 = 0.42 → 42 per mass send.
    expect(centavos(1.26, 3)).toBe(42);
    expect(concept('email_mass_send')).toMatchObject({ unit: 'mass_send', unitPriceCents: 42, minQuantity: 3, maxQuantity: 8 });
  });

  it('readable printed prices agree with the implied ones', () => {
    // Row 1: $319,735.74 / 135,467 = 2.360250… → 236 (printed $2.36).
    expect(concept('ps_i_inbound_imss_lines')).toMatchObject({ unitPriceCents: centavos(319_735.74, 135_467), minQuantity: 135_467, maxQuantity: 338_401 });
    expect(concept('ps_i_inbound_imss_lines').unitPriceCents).toBe(236);
    // Row 4: $995,217.76 / 353,267 = 2.817173… → 282 (printed $2.82).
    expect(concept('ps_p_inbound').unitPriceCents).toBe(282);
    // Row 5: $195,637.50 / 83,333 = 2.347660… → 235 (printed $2.35).
    expect(concept('ps_i_outbound')).toMatchObject({ unitPriceCents: 235, usage: { meter: 'agent_time', seatType: 'PS-I', channelClass: 'voice', direction: 'outbound' } });
    // Row 7: $162,559.44 / 389,495 = 0.417360… → 42 (printed $0.42).
    expect(concept('ivr')).toMatchObject({ unit: 'minute', unitPriceCents: 42, minQuantity: 389_495, maxQuantity: 973_736, usage: { meter: 'ivr_time' } });
    // Row 8: $49,012.50 / 2,763 = 17.738870… → 1774 (printed $17.74).
    expect(concept('email_outbound')).toMatchObject({ unit: 'message', unitPriceCents: 1774, minQuantity: 2_763, maxQuantity: 6_908, usage: { meter: 'email_outbound' } });
    // Row 11: printed $2.39, but $13,885.47 / 5,837 = 2.378870… → 238.
    expect(centavos(13_885.47, 5_837)).toBe(238);
    expect(concept('social').unitPriceCents).toBe(238);
    // Row 15: $111,561.21 / 97,201 = 1.147737… → 115 (printed $1.15).
    expect(concept('blaster')).toMatchObject({ unit: 'message', unitPriceCents: 115, usage: { meter: 'blaster_message' } });
  });

  it('help desk is a fixed monthly service at the printed $20,285.78', () => {
    expect(concept('help_desk')).toEqual({
      code: 'help_desk',
      name: 'Mesa de ayuda (servicio mensual)',
      nameEn: 'Help desk (monthly service)',
      unit: 'month',
      unitPriceCents: 2_028_578,
      minQuantity: 1,
      maxQuantity: 2,
      usage: null,
      fixedQuantity: 1,
    });
  });

  it('PS-I voice on the provider’s lines is metered by default; IMSS lines only after an edit', () => {
    expect(concept('ps_i_inbound').usage).toEqual({ meter: 'agent_time', seatType: 'PS-I', channelClass: 'voice' });
    expect(concept('ps_i_inbound_imss_lines').usage).toEqual({ meter: 'agent_time', seatType: 'PS-I', channelClass: 'voice', channelKind: IMSS_LINES_KIND });
    expect(concept('ps_p_inbound').usage).toEqual({ meter: 'agent_time', seatType: 'PS-P', channelClass: 'voice' });
  });

  it('AT billable states, occupancy tariff on PS-I voice time with the contract bands, IVA 16 %, cap 10 %', () => {
    expect(card.billableStates).toEqual(['available', 'after_contact_work']);
    expect(card.erroneousDispositions).toEqual([]);
    expect(card.ivaPct).toBe(16);
    expect(card.globalCapPct).toBe(10);
    expect(card.occupancyTariff).toEqual({
      enabled: true,
      conceptCodes: ['ps_i_inbound_imss_lines', 'ps_i_inbound', 'ps_i_outbound'],
      formula: 'phone',
      sessions: 1,
      bands: [
        { minPct: 70, tariffPct: 100 },
        { minPct: 60, tariffPct: 90 },
        { minPct: 50, tariffPct: 80 },
        { minPct: 0, tariffPct: 70 },
      ],
    });
    for (const code of card.occupancyTariff.conceptCodes) expect(concept(code).usage).toMatchObject({ meter: 'agent_time', seatType: 'PS-I' });
  });

  it('the term ends 23 months after the current month in Mexico City unless given', () => {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City', year: 'numeric', month: '2-digit' }).formatToParts(new Date());
    const year = Number(parts.find((p) => p.type === 'year')?.value);
    const month = Number(parts.find((p) => p.type === 'month')?.value);
    // e.g. 2026-11: index 2026 × 12 + 10 + 23 = 24,345 → year 2028, month 24,345 − 2028 × 12 + 1 = 10 → 2028-10.
    const index = year * 12 + (month - 1) + 23;
    const expected = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
    expect(defaultRateCard().termEndMonth).toBe(expected);
    expect(defaultRateCard('2030-01').termEndMonth).toBe('2030-01');
  });

  it('every call returns a fresh card (editing one does not change the next default)', () => {
    const first = defaultRateCard('2028-10');
    const usage: { seatType?: string } | null | undefined = first.concepts[0]?.usage;
    if (usage) usage.seatType = 'PS-P';
    expect(first.concepts[0]?.usage?.seatType).toBe('PS-P');
    expect(defaultRateCard('2028-10').concepts[0]?.usage?.seatType).toBe('PS-I');
  });
});
