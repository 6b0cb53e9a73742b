/**
 * Billing vocabulary (issue 10; seed-digest §5, §6.1). Fixed first so rate cards, usage metering,
 * the statement and its exports can be built apart; each part's README says how it uses these.
 *
 * Money is integer centavos (MXN, 2 decimals); time is exact milliseconds until the statement
 * floors the sum per month, concept and campaign to whole minutes (seed-digest §5.3).
 */

/** How a concept is sold (seed-digest §5.1, §5.7). */
export const BILLING_UNITS = ['minute', 'minute_seconds', 'message', 'mass_send', 'event', 'service', 'month'] as const;
export type BillingUnit = (typeof BILLING_UNITS)[number];

/** Units billed from summed time: `minute` floors the month's sum; `minute_seconds` bills whole seconds. */
export const TIME_UNITS: readonly BillingUnit[] = ['minute', 'minute_seconds'];

/**
 * What the usage metering records (billing_usage_facts.meter):
 * - `agent_time`: an agent's logged-in time in the campaign's billable states (seat type, the
 *   agent's tier, channel class of the seat), cut at local midnight (one fact per interval and day);
 *   auto-logout (offline/inactivity) ends it.
 * - `interaction_time`: talk + hold of contacts per agent (voice from voice_usage_facts, text/email
 *   from kpi_agent_segments); `tier` 2 for the time after a tier-1 → tier-2 transfer (split there).
 * - `ivr_time`: IVR, queue-with-messages and exit-survey seconds of calls (voice_usage_facts).
 * - `email_outbound`: one per email sent to a citizen; weight 100, 50 when the case went to tier 2,
 *   0 when it failed or the conversation's disposition is erroneous/misdirected.
 * - `email_mass_send`: one per completed mass mailing; `sms_mass_send`: one per delivered recipient
 *   of a mass SMS; `sms_outbound` / `sms_inbound`: one per SMS (mass sends excluded).
 * - `blaster_message`: one per blaster message played; `voicemail`: one per voicemail left outside
 *   the service window (inside it is not billable and not recorded here).
 * - `bot_event`: one per bot outcome not superseded, weighted by outcome (100/30/0/30).
 * A monthly `service`/`month` concept (help desk) needs no fact: the card's `fixedQuantity` bills it.
 */
export const USAGE_METERS = [
  'agent_time',
  'interaction_time',
  'ivr_time',
  'email_outbound',
  'email_mass_send',
  'sms_outbound',
  'sms_inbound',
  'sms_mass_send',
  'blaster_message',
  'bot_event',
  'voicemail',
] as const;
export type UsageMeter = (typeof USAGE_METERS)[number];

/** Time meters sum duration_ms; the others sum quantity × weight_pct / 100. */
export const TIME_METERS: readonly UsageMeter[] = ['agent_time', 'interaction_time', 'ivr_time'];

/** Which facts a concept bills: the meter plus optional dimension filters (absent = any). */
export interface UsageSelector {
  readonly meter: UsageMeter;
  readonly seatType?: 'PS-I' | 'PS-P';
  readonly tier?: 1 | 2;
  readonly channelClass?: 'voice' | 'text' | 'email';
  readonly channelKind?: string;
  readonly direction?: 'inbound' | 'outbound';
}

export interface RateConcept {
  /** Stable key, e.g. 'ps_i_inbound' (a–z, 0–9, _). */
  readonly code: string;
  /** Spanish name shown on the statement; English second. */
  readonly name: string;
  readonly nameEn: string;
  readonly unit: BillingUnit;
  /** > 0, 2 decimals (seed-digest §5.3: L13952). */
  readonly unitPriceCents: number;
  /** Contract quantities for the whole term (minimum is usually 40 % of the maximum). */
  readonly minQuantity: number;
  readonly maxQuantity: number;
  /** Metered concepts select facts; a fixed concept (help desk) bills `fixedQuantity` per month. */
  readonly usage: UsageSelector | null;
  readonly fixedQuantity?: number;
  /** Deductions charged to this concept are capped at this % of its month's amount (absent = no cap). */
  readonly deductionCapPct?: number;
}

/** Occupancy tariff for agent time (seed-digest §5.5): per agent per day, consolidated monthly. */
export interface OccupancyTariff {
  readonly enabled: boolean;
  /** Concept codes the multiplier applies to (agent-time concepts). */
  readonly conceptCodes: readonly string[];
  /** 'phone' = (talk+hold+acw)/(talk+hold+acw+avail); 'chat' = the same with avail × sessions. */
  readonly formula: 'phone' | 'chat';
  readonly sessions: number;
  /** Descending by minPct; the first band whose minPct ≤ occupancy applies; last has minPct 0. */
  readonly bands: readonly { readonly minPct: number; readonly tariffPct: number }[];
}

export interface RateCard {
  readonly currency: 'MXN';
  /** IVA on the statement (16 %, seed-digest §5.3). */
  readonly ivaPct: number;
  /** Agent states billed as logged-in time (seed-digest §5.2); 'after_contact_work' per campaign. */
  readonly billableStates: readonly string[];
  /** Dispositions that make an outbound email erroneous/misdirected (billed at 0 %). */
  readonly erroneousDispositions: readonly string[];
  /** Last month of the contract term ('YYYY-MM'): burn-down and forecast run to it. */
  readonly termEndMonth: string;
  /** Global cap of deductions and (separately) of penalties: % of the maximum contract amount without IVA (10 %). */
  readonly globalCapPct: number;
  readonly occupancyTariff: OccupancyTariff;
  readonly concepts: readonly RateConcept[];
}

/** One statement line (usage of the month, or an adjustment of a closed month's late usage). */
export interface StatementLine {
  readonly kind: 'usage' | 'adjustment' | 'fixed';
  readonly conceptCode: string;
  readonly name: string;
  readonly unit: BillingUnit;
  /** For adjustments: the closed month the late usage belonged to; else the statement's month. */
  readonly usageMonth: string;
  /** Billed quantity: whole minutes (minute), seconds/60 (minute_seconds), Σ weight/100 (counts). */
  readonly quantity: number;
  /** Time units: the exact summed seconds (with ms) and the remainder not billed (minute). */
  readonly exactSeconds: number | null;
  readonly remainderSeconds: number | null;
  /** Facts summed (counts: items regardless of weight). */
  readonly factCount: number;
  readonly unitPriceCents: number;
  /** Occupancy band tariff (100 when none applies). */
  readonly tariffPct: number;
  readonly amountCents: number;
  /** Spanish explanation: how quantity and amount were obtained. */
  readonly trace: string;
}

export interface DeductionLine {
  readonly source: 'sla' | 'bot_repeated_wrong';
  readonly description: string;
  /** SLA: the evaluation; its status decides whether it is applied (only validated ones are). */
  readonly evaluationId: string | null;
  readonly status: 'validated' | 'proposed' | 'not_evaluated';
  readonly conceptCode: string | null;
  readonly proposedCents: number;
  /** After the per-concept and global caps (0 while not validated). */
  readonly appliedCents: number;
  readonly trace: string;
}

export interface PenaltyLine {
  readonly id: string;
  readonly description: string;
  readonly kind: 'per_day' | 'per_hour' | 'fixed';
  readonly units: number;
  readonly amountPerUnitCents: number;
  readonly proposedCents: number;
  readonly appliedCents: number;
  readonly trace: string;
}

/** Consumption of a concept against the contract (whole term, up to this month). */
export interface ConsumptionRow {
  readonly conceptCode: string;
  readonly name: string;
  readonly minQuantity: number;
  readonly maxQuantity: number;
  readonly monthly: readonly { readonly month: string; readonly quantity: number }[];
  readonly consumedToDate: number;
  readonly remainingToMax: number;
  /** Linear forecast to termEndMonth from the average month so far. */
  readonly forecastAtTermEnd: number;
  readonly forecastStatus: 'below_min' | 'within' | 'over_max';
}

/** An interaction excluded for missing evidence, across its whole trace (seed-digest §5.6). */
export interface ExcludedInteraction {
  readonly folio: string | null;
  readonly conversationId: string | null;
  readonly callSid: string | null;
  readonly problem: string;
  readonly meters: readonly UsageMeter[];
  readonly seconds: number;
  readonly items: number;
}

export interface UnpricedUsage {
  readonly meter: UsageMeter;
  /** The dimensions, in Spanish (e.g. «agent_time · PS-P · voz»). */
  readonly description: string;
  readonly usageMonth: string;
  readonly exactSeconds: number | null;
  readonly items: number;
  readonly factCount: number;
}

export interface Statement {
  readonly campaignId: string;
  readonly month: string;
  readonly status: 'open' | 'closed';
  readonly timeZone: string;
  readonly rateCard: { readonly id: string; readonly version: number };
  readonly currency: 'MXN';
  readonly lines: readonly StatementLine[];
  readonly subtotalCents: number;
  readonly deductions: readonly DeductionLine[];
  readonly penalties: readonly PenaltyLine[];
  readonly deductionsCents: number;
  readonly penaltiesCents: number;
  /** subtotal − applied deductions − applied penalties (credit notes reduce the base). */
  readonly taxableCents: number;
  readonly ivaPct: number;
  readonly ivaCents: number;
  readonly totalCents: number;
  readonly consumption: readonly ConsumptionRow[];
  readonly excluded: readonly ExcludedInteraction[];
  /** Metered usage no concept of the card selects (shown, never billed). */
  readonly unpriced: readonly UnpricedUsage[];
  /** sha256 of every input; identical for identical inputs (re-running an open month). */
  readonly inputsHash: string;
}
