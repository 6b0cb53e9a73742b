import type { AhtDefinition } from '../formulas/aht.js';
import type { Bucket } from '../formulas/intervals.js';
import type { KpiResult } from '../formulas/kpi-result.js';
import type { ContactTally } from '../formulas/tally-contacts.js';

/**
 * The contract of the KPI series (issue 9 item 2): every KPI by campaign, queue, channel kind and
 * agent, per 30-minute / day / week / month bucket in the campaign's time zone, aggregated in SQL
 * from the KPI facts. Implemented by `kpi-series.ts` (`kpiSeries`); used by the reports, the SLA
 * month and the wallboard. Buckets are the formula library's (`formulas/intervals.ts`).
 */
export type KpiInterval = 'half_hour' | 'day' | 'week' | 'month';
export type KpiDimension = 'queue' | 'channel' | 'agent';

export interface KpiSeriesQuery {
  readonly campaignId: string;
  /** First local date, `YYYY-MM-DD`, inclusive. */
  readonly from: string;
  /** Last local date, `YYYY-MM-DD`, inclusive. */
  readonly to: string;
  readonly interval: KpiInterval;
  /** Default []: one row per bucket for the whole campaign. */
  readonly groupBy?: readonly KpiDimension[];
  readonly queueId?: string;
  readonly channelKind?: string;
  readonly agentId?: string;
  /** Default: the campaign's time_zone. */
  readonly timeZone?: string;
  readonly serviceLevelThresholdMs?: number;
  readonly shortAbandonThresholdMs?: number;
  readonly ahtDefinition?: AhtDefinition;
  readonly responseLimitMs?: number;
  /** Items still inside their response limit at this instant are pending; default now. */
  readonly asOf?: Date;
  /** n of the chat occupancy formula; default the campaign's text capacity (4). */
  readonly chatSessions?: number;
  /** A contact is resolved on first contact when the same citizen opens no new contact within this many days; default 7. */
  readonly fcrWindowDays?: number;
}

/** Milliseconds per agent state in the bucket (kpi_agent_intervals cut at bucket edges). */
export type AgentStateTimes = Readonly<Record<string, number>>;

export interface KpiSeriesRow {
  readonly bucket: Bucket;
  /** null = not grouped by that dimension (all of them). */
  readonly queueId: string | null;
  readonly channelKind: string | null;
  /** Grouped by agent: the contact's first answering agent; time figures are that agent's own. */
  readonly agentId: string | null;
  readonly tally: ContactTally;
  readonly pendingInQueue: number;
  readonly asa: KpiResult;
  readonly aht: KpiResult;
  /** Month buckets: the mean of the daily values (monthlyAbandonment), as the contract says. */
  readonly abandonment: KpiResult;
  readonly serviceLevelByReceived: KpiResult;
  readonly serviceLevelByAttended: KpiResult;
  /** E-mail / chat contacts only; null when the row has none. */
  readonly responseWithinLimit: KpiResult | null;
  readonly surveyTransfer: KpiResult;
  readonly fcr: KpiResult;
  /** From agent time (talk, hold, ACW, available); null for rows grouped by queue or channel. */
  readonly occupancyPhone: KpiResult | null;
  readonly occupancyChat: KpiResult | null;
  /** null for rows grouped by queue or channel. */
  readonly stateTimesMs: AgentStateTimes | null;
  readonly transfers: number;
  readonly tier2Transfers: number;
}

export interface KpiSeries {
  readonly query: KpiSeriesQuery;
  readonly timeZone: string;
  /** Sorted by bucket start, then queue, channel kind and agent. Buckets without traffic are present with zero tallies. */
  readonly rows: readonly KpiSeriesRow[];
}
