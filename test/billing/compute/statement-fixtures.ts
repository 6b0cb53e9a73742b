import type { RateCard, RateConcept, UsageSelector } from '../../../hub/src/billing/billing.contract.js';
import type { AgentDayOccupancy, AgentDayTime, StatementInput, UsageTotal } from '../../../hub/src/billing/statement/statement-input.js';

/**
 * A small rate card with the seed's prices (seed-digest §5.7, rounded to 2 decimals) and builders
 * for statement inputs. Every test states the figures it relies on next to its arithmetic.
 */

export const MONTH = '2026-11';

function concept(code: string, unit: RateConcept['unit'], unitPriceCents: number, usage: UsageSelector | null, extra: Partial<RateConcept> = {}): RateConcept {
  return { code, name: `Concepto ${code}`, nameEn: `Concept ${code}`, unit, unitPriceCents, minQuantity: 100, maxQuantity: 1000, usage, ...extra };
}

/** Card order matters: it breaks matching ties and orders the lines. */
export const CONCEPTS = {
  // $2.38 per minute, deductions capped at 20 % of its amount.
  psI: concept('ps_i_inbound', 'minute', 238, { meter: 'agent_time', seatType: 'PS-I', channelClass: 'voice' }, { deductionCapPct: 20 }),
  // $0.62 per minute (PS-P, own positions).
  psP: concept('ps_p', 'minute', 62, { meter: 'agent_time', seatType: 'PS-P' }),
  // $0.42 per IVR minute.
  ivr: concept('ivr', 'minute', 42, { meter: 'ivr_time' }),
  // $2.38 per "minuto con segundos".
  chat: concept('chat', 'minute_seconds', 238, { meter: 'agent_time', channelClass: 'text' }),
  // More specific than chat (kind set too), listed after it on purpose.
  whatsapp: concept('whatsapp', 'minute', 239, { meter: 'agent_time', channelClass: 'text', channelKind: 'whatsapp' }),
  // $17.74 per outbound email.
  email: concept('email_outbound', 'message', 1774, { meter: 'email_outbound' }),
  // $11.15 per bot event (the seed prints no price; an odd one shows the half-up rounding).
  bot: concept('bot_a', 'event', 1115, { meter: 'bot_event' }, { deductionCapPct: 20 }),
  // $20,285.78 a month, no facts.
  helpDesk: concept('help_desk', 'service', 2028578, null, { fixedQuantity: 1, minQuantity: 6, maxQuantity: 24 }),
} satisfies Record<string, RateConcept>;

export const BANDS = [
  { minPct: 70, tariffPct: 100 },
  { minPct: 60, tariffPct: 90 },
  { minPct: 50, tariffPct: 80 },
  { minPct: 0, tariffPct: 70 },
];

export function rateCard(overrides: Partial<RateCard> = {}): RateCard {
  return {
    currency: 'MXN',
    ivaPct: 16,
    billableStates: ['available', 'talk', 'hold', 'after_contact_work'],
    erroneousDispositions: ['erroneo'],
    termEndMonth: '2027-06',
    globalCapPct: 10,
    occupancyTariff: { enabled: false, conceptCodes: [], formula: 'phone', sessions: 1, bands: BANDS },
    concepts: Object.values(CONCEPTS),
    ...overrides,
  };
}

export function usage(partial: Partial<UsageTotal> & Pick<UsageTotal, 'meter'>): UsageTotal {
  return {
    seatType: null,
    tier: null,
    channelClass: null,
    channelKind: null,
    direction: null,
    usageMonth: MONTH,
    durationMs: 0,
    items: 0,
    weightedPct: 0,
    factCount: 1,
    ...partial,
  };
}

/** PS-I voice agent time (bills ps_i_inbound). */
export function psIVoice(durationMs: number, partial: Partial<UsageTotal> = {}): UsageTotal {
  return usage({ meter: 'agent_time', seatType: 'PS-I', channelClass: 'voice', durationMs, ...partial });
}

export function agentDay(agentId: string, localDay: string, durationMs: number, partial: Partial<AgentDayTime> = {}): AgentDayTime {
  return { agentId, localDay, usageMonth: MONTH, seatType: 'PS-I', tier: 1, channelClass: 'voice', durationMs, factCount: 1, ...partial };
}

export function occupancy(agentId: string, localDay: string, talkMs: number, holdMs: number, acwMs: number, availMs: number): AgentDayOccupancy {
  return { agentId, localDay, talkMs, holdMs, acwMs, availMs };
}

export function statementInput(partial: Partial<StatementInput> = {}, card: RateCard = rateCard()): StatementInput {
  return {
    campaignId: '00000000-0000-4000-8000-000000000001',
    month: MONTH,
    status: 'open',
    timeZone: 'America/Mexico_City',
    rateCard: { id: '00000000-0000-4000-8000-0000000000c1', version: 1, card },
    usage: [],
    agentDays: [],
    occupancy: [],
    botRepeatedWrong: 0,
    slaDeductions: [],
    penalties: [],
    maxContractAmountCents: null,
    contractStartMonth: '2026-07',
    previouslyAppliedDeductionsCents: 0,
    previouslyAppliedPenaltiesCents: 0,
    history: [],
    excluded: [],
    ...partial,
  };
}
