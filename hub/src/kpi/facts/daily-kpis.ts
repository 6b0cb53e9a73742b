import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { dailyAbandonment } from '../formulas/abandonment.js';
import { type AhtDefinition, averageHandleTime } from '../formulas/aht.js';
import { averageSpeedOfAnswer } from '../formulas/asa.js';
import { KPI_TIME_ZONE, monthSpan, type Bucket } from '../formulas/intervals.js';
import type { KpiResult } from '../formulas/kpi-result.js';
import { responseWithinLimit, tallyResponses, THIRTEEN_HOURS_MS } from '../formulas/response-time.js';
import { serviceLevel } from '../formulas/service-level.js';
import { type ContactTally, tallyContacts } from '../formulas/tally-contacts.js';

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

interface FactRow {
  queue_id: string | null;
  channel_kind: string | null;
  channel_class: string | null;
  received_at: Date | null;
  answered_at: Date | null;
  abandoned_at: Date | null;
  first_response_at: Date | null;
  resolved_at: Date | null;
  talk_ms: string;
  hold_ms: string;
  acw_ms: string;
}

/** The local day `YYYY-MM-DD` as a bucket (23 or 25 hours on a DST change). */
export function localDay(date: string, timeZone: string = KPI_TIME_ZONE): Bucket {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`date must be YYYY-MM-DD, got "${date}"`);
  const day = monthSpan(date.slice(0, 7), timeZone).days.find((d) => d.key === date);
  if (!day) throw new RangeError(`no such local date "${date}"`);
  return day;
}

const isPending = (r: FactRow): boolean => r.answered_at === null && r.abandoned_at === null && r.resolved_at === null;

function group(all: readonly FactRow[], queueId: string | null, channelKind: string | null, options: DailyKpiOptions, asOfMs: number): KpiGroup {
  const rows = all.filter((r) => !isPending(r));
  const tally = tallyContacts(
    rows.map((r) => ({ queuedAtMs: (r.received_at as Date).getTime(), answeredAtMs: r.answered_at?.getTime() ?? null, abandonedAtMs: r.abandoned_at?.getTime() ?? null })),
    {
      ...(options.serviceLevelThresholdMs === undefined ? {} : { serviceLevelThresholdMs: options.serviceLevelThresholdMs }),
      ...(options.shortAbandonThresholdMs === undefined ? {} : { shortAbandonThresholdMs: options.shortAbandonThresholdMs }),
    },
  );
  const answered = rows.filter((r) => r.answered_at !== null);
  const sum = (key: 'talk_ms' | 'hold_ms' | 'acw_ms'): number => answered.reduce((total, r) => total + Number(r[key]), 0);
  // Unanswered e-mail/chat inside its limit is "pending" in tallyResponses itself, so all count here.
  const written = all.filter((r) => r.channel_class === 'email' || r.channel_class === 'text');
  const limitMs = options.responseLimitMs ?? THIRTEEN_HOURS_MS;
  const responses = tallyResponses(
    written.map((r) => ({ receivedAtMs: (r.received_at as Date).getTime(), firstAnsweredAtMs: r.first_response_at?.getTime() ?? null })),
    asOfMs,
    () => limitMs,
  );
  const sl = { attendedWithinThreshold: tally.attendedWithinThreshold, attended: tally.attended, received: tally.received, thresholdMs: tally.serviceLevelThresholdMs };
  return {
    queueId,
    channelKind,
    tally,
    pendingInQueue: all.length - rows.length,
    asa: averageSpeedOfAnswer({ answered: tally.attended, totalAnswerWaitMs: tally.totalAnswerWaitMs }),
    aht: averageHandleTime({ attended: tally.attended, talkMs: sum('talk_ms'), holdMs: sum('hold_ms'), afterContactWorkMs: sum('acw_ms'), definition: options.ahtDefinition ?? 'talk' }),
    abandonment: dailyAbandonment({ received: tally.receivedGross, attended: tally.attended, shortAbandoned: tally.shortAbandoned, shortAbandonThresholdMs: tally.shortAbandonThresholdMs }),
    serviceLevelByReceived: serviceLevel({ ...sl, denominator: 'received' }),
    serviceLevelByAttended: serviceLevel({ ...sl, denominator: 'attended' }),
    responseWithinLimit: written.length === 0 ? null : responseWithinLimit({ received: responses.received, attendedWithinLimit: responses.attendedWithinLimit, limitMs }),
  };
}

function groupBy(rows: readonly FactRow[], keyOf: (r: FactRow) => string): Map<string, FactRow[]> {
  const groups = new Map<string, FactRow[]>();
  for (const row of rows) {
    const key = keyOf(row);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

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
  const rows: FactRow[] = await db
    .selectFrom('kpi_contact_facts')
    .select(['queue_id', 'channel_kind', 'channel_class', 'received_at', 'answered_at', 'abandoned_at', 'first_response_at', 'resolved_at', 'talk_ms', 'hold_ms', 'acw_ms'])
    .where('campaign_id', '=', campaignId)
    .where('received_at', '>=', new Date(day.startMs))
    .where('received_at', '<', new Date(day.endMs))
    .execute();
  const asOfMs = (options.asOf ?? new Date()).getTime();
  const NONE = '';
  return {
    campaignId,
    date,
    timeZone,
    day,
    total: group(rows, null, null, options, asOfMs),
    byQueue: [...groupBy(rows, (r) => r.queue_id ?? NONE)].map(([queue, list]) => group(list, queue === NONE ? null : queue, null, options, asOfMs)),
    byChannel: [...groupBy(rows, (r) => r.channel_kind ?? NONE)].map(([kind, list]) => group(list, null, kind === NONE ? null : kind, options, asOfMs)),
    byQueueAndChannel: [...groupBy(rows, (r) => `${r.queue_id ?? NONE}|${r.channel_kind ?? NONE}`)].map(([key, list]) => {
      const [queue = NONE, kind = NONE] = key.split('|');
      return group(list, queue === NONE ? null : queue, kind === NONE ? null : kind, options, asOfMs);
    }),
  };
}
