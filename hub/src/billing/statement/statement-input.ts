import type { ExcludedInteraction, RateCard, UsageMeter } from '../billing.contract.js';

/**
 * Everything `computeStatement` (pure) needs, loaded by `buildStatement` (DB). Fixed first so the
 * two can be written apart; both live in this folder.
 */

/** Σ of the billable facts (evidence_problem IS NULL) that share every dimension. */
export interface UsageTotal {
  readonly meter: UsageMeter;
  readonly seatType: 'PS-I' | 'PS-P' | null;
  readonly tier: 1 | 2 | null;
  readonly channelClass: 'voice' | 'text' | 'email' | null;
  readonly channelKind: string | null;
  readonly direction: 'inbound' | 'outbound' | null;
  /** The facts' own month: the statement's month, or an earlier closed month (late usage → adjustment). */
  readonly usageMonth: string;
  /** Σ duration_ms (time meters). */
  readonly durationMs: number;
  /** Σ quantity (items regardless of weight). */
  readonly items: number;
  /** Σ quantity × weight_pct (count meters: billed units = weightedPct / 100). */
  readonly weightedPct: number;
  readonly factCount: number;
}

/** Billable agent_time of one agent on one local day (for the occupancy tariff), same dimensions. */
export interface AgentDayTime {
  readonly agentId: string;
  readonly localDay: string;
  readonly usageMonth: string;
  readonly seatType: 'PS-I' | 'PS-P' | null;
  readonly tier: 1 | 2 | null;
  readonly channelClass: 'voice' | 'text' | 'email' | null;
  /**
   * Added by the statement loader (optional, so inputs built without them stay valid): the channel
   * kind and direction of the day's facts, so a tariff concept that selects one (e.g. outbound
   * PS-I, or IMSS lines) is matched with its own agent-days only, as its usage totals are.
   */
  readonly channelKind?: string | null;
  readonly direction?: 'inbound' | 'outbound' | null;
  readonly durationMs: number;
  readonly factCount: number;
}

/** The day's occupancy inputs of one agent (from the KPI facts: talk, hold, ACW, available). */
export interface AgentDayOccupancy {
  readonly agentId: string;
  readonly localDay: string;
  readonly talkMs: number;
  readonly holdMs: number;
  readonly acwMs: number;
  readonly availMs: number;
}

export interface SlaDeductionInput {
  readonly evaluationId: string | null;
  readonly status: 'validated' | 'proposed' | 'not_evaluated';
  /** Validated: the admin's final amount; proposed: the engine's proposal. */
  readonly amountCents: number;
  readonly description: string;
  /** The concept the deduction is charged to, when the SLA row names one (per-concept caps). */
  readonly conceptCode: string | null;
}

export interface PenaltyInput {
  readonly id: string;
  readonly description: string;
  readonly kind: 'per_day' | 'per_hour' | 'fixed';
  readonly units: number;
  readonly amountPerUnitCents: number;
}

export interface StatementInput {
  readonly campaignId: string;
  readonly month: string;
  readonly status: 'open' | 'closed';
  readonly timeZone: string;
  readonly rateCard: { readonly id: string; readonly version: number; readonly card: RateCard };
  /** Billable usage of the month plus unbilled late usage of closed months (usageMonth < month). */
  readonly usage: readonly UsageTotal[];
  /** agent_time split per agent and day (only needed for the occupancy tariff's concepts). */
  readonly agentDays: readonly AgentDayTime[];
  readonly occupancy: readonly AgentDayOccupancy[];
  /** bot.repeated_wrong events of the month: each deducts the cost of 5 interactions (seed-digest §5.4). */
  readonly botRepeatedWrong: number;
  readonly slaDeductions: readonly SlaDeductionInput[];
  readonly penalties: readonly PenaltyInput[];
  /** The contract's maximum amount without IVA (sla_contracts); null = no global cap known. */
  readonly maxContractAmountCents: number | null;
  readonly contractStartMonth: string;
  /** Deductions / penalties applied by the closed months before this one (the global cap is shared). */
  readonly previouslyAppliedDeductionsCents: number;
  readonly previouslyAppliedPenaltiesCents: number;
  /** Billed quantities of earlier months (closed statements, else computed), for consumption. */
  readonly history: readonly { readonly month: string; readonly conceptCode: string; readonly quantity: number }[];
  readonly excluded: readonly ExcludedInteraction[];
}
