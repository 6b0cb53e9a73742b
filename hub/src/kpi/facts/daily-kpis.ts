import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { kpiSeriesGroupings, type KpiSeriesRow } from '../aggregates/kpi-series.js';
import { localDay } from '../aggregates/local-day.js';
import type { AhtDefinition } from '../formulas/aht.js';
import type { Bucket } from '../formulas/intervals.js';
import type { KpiResult } from '../formulas/kpi-result.js';
import type { ContactTally } from '../formulas/tally-contacts.js';

export { localDay } from '../aggregates/local-day.js';

export interface DailyKpiOptions {
  /** Default: the campaign's time_zone (America/Mexico_City). */
  readonly timeZone?: string;
  readonly serviceLevelThresholdMs?: number;
  readonly shortAbandonThresholdMs?: number;
  readonly ahtDefinition?: AhtDefinition;
  /** E-mail / chat answer limit, default 13 natural hours. */
  readonly responseLimitMs?: number;
  /** Items still inside their limit at this instant are pending, not late; default now. */
  readonly asOf?: Date;
}

export interface KpiGroup {
  /** null = every queue / every channel of the campaign. */
  readonly queueId: string | null;
  readonly channelKind: string | null;
  readonly tally: ContactTally;
  /** Still waiting (not answered, abandoned or closed): left out of the tally until they end. */
  readonly pendingInQueue: number;
  readonly asa: KpiResult;
  readonly aht: KpiResult;
  readonly abandonment: KpiResult;
  readonly serviceLevelByReceived: KpiResult;
  readonly serviceLevelByAttended: KpiResult;
  /** Only for e-mail and chat (text) contacts; null for a voice-only group. */
  readonly responseWithinLimit: KpiResult | null;
}

export interface DailyKpis {
  readonly campaignId: string;
  readonly date: string;
  readonly timeZone: string;
  readonly day: Bucket;
  readonly total: KpiGroup;
  readonly byQueue: readonly KpiGroup[];
  readonly byChannel: readonly KpiGroup[];
  readonly byQueueAndChannel: readonly KpiGroup[];
}

function groupOf(row: KpiSeriesRow): KpiGroup {
  return {
    queueId: row.queueId,
    channelKind: row.channelKind,
    tally: row.tally,
    pendingInQueue: row.pendingInQueue,
    asa: row.asa,
    aht: row.aht,
    abandonment: row.abandonment,
    serviceLevelByReceived: row.serviceLevelByReceived,
    serviceLevelByAttended: row.serviceLevelByAttended,
    responseWithinLimit: row.responseWithinLimit,
  };
}

/** Groups with traffic that day (a dense series also lists the campaign's other groups at zero). */
const present = (row: KpiSeriesRow): boolean => row.tally.receivedGross + row.pendingInQueue > 0 || row.responseWithinLimit !== null;

/**
 * The day's queue KPIs of a campaign from kpi_contact_facts: contacts whose queue entry fell in
 * the local day, per queue, per channel kind and both, each result with its trace. Contacts are
 * credited to their first queue and to the day they were received.
 */
export async function dailyKpis(db: Kysely<Database>, campaignId: string, date: string, options: DailyKpiOptions = {}): Promise<DailyKpis> {
  const campaign = await db.selectFrom('campaigns').select('time_zone').where('id', '=', campaignId).executeTakeFirst();
  if (!campaign) throw new RangeError(`unknown campaign ${campaignId}`);
  const timeZone = options.timeZone ?? campaign.time_zone;
  const day = localDay(date, timeZone);
  // One SQL scan of the day, four grouping sets; no row per contact reaches this process.
  const series = await kpiSeriesGroupings(
    db,
    { ...options, campaignId, from: date, to: date, interval: 'day', timeZone },
    [[], ['queue'], ['channel'], ['queue', 'channel']],
    { fcr: false, agentTime: false },
  );
  const [total = [], byQueue = [], byChannel = [], both = []] = series.rows;
  const totalRow = total[0];
  if (!totalRow) throw new Error(`no total row for ${date}`);
  return {
    campaignId,
    date,
    timeZone,
    day,
    total: groupOf(totalRow),
    byQueue: byQueue.filter(present).map(groupOf),
    byChannel: byChannel.filter(present).map(groupOf),
    byQueueAndChannel: both.filter(present).map(groupOf),
  };
}
