import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { monthlyAbandonment } from '../kpi/formulas/abandonment.js';
import { averageHandleTime } from '../kpi/formulas/aht.js';
import { averageSpeedOfAnswer } from '../kpi/formulas/asa.js';
import { availability } from '../kpi/formulas/availability.js';
import { monthSpan } from '../kpi/formulas/intervals.js';
import { consolidateOccupancy } from '../kpi/formulas/occupancy.js';
import type { KpiResult } from '../kpi/formulas/kpi-result.js';
import { responseWithinLimit } from '../kpi/formulas/response-time.js';
import { satisfaction, type SurveyYesNoAnswers } from '../kpi/formulas/satisfaction.js';
import { serviceLevel } from '../kpi/formulas/service-level.js';
import { surveyTransferRate } from '../kpi/formulas/survey-transfer.js';
import { dailyKpis, type DailyKpis } from '../kpi/facts/daily-kpis.js';
import { kpiSeries, type KpiSeriesRow } from '../kpi/aggregates/kpi-series.js';
import type { SLA_KPIS } from '../kpi/sla/sla-table.schema.js';
import { monthlyQualityKpi } from '../quality/quality-kpi.js';
import { HubError } from '../errors/error-registry.js';
import { loadCampaignRouting } from '../router/store/routing-settings.js';
import { outagesBetween } from './sla-contract.store.js';
import type { SlaContract } from './sla-inputs.schema.js';
import { serviceWindowSpans } from './service-window.js';

export type SlaKpi = (typeof SLA_KPIS)[number];

/** What the month measured: a result per KPI with a source; the others say why they have none. */
export interface MonthMeasurements {
  readonly campaignId: string;
  readonly month: string;
  readonly timeZone: string;
  /** Contacts still inside their response limit at this instant were pending (left out). */
  readonly asOf: string;
  readonly results: Partial<Record<SlaKpi, KpiResult>>;
  /** Spanish: why a KPI has no measurement (its SLA row is `sin_medicion`). */
  readonly missing: Partial<Record<SlaKpi, string>>;
}

export type MeasureOptions = Pick<SlaContract, 'serviceLevelThresholdSeconds' | 'serviceLevelDenominator' | 'shortAbandonThresholdSeconds' | 'ahtDefinition' | 'responseLimitHours'> & {
  /** Default now; capped at the month's end + the response limit, so a closed month measures the same every time. */
  readonly now?: Date;
};

/** Why an occupancy figure is missing: no agent-day of the month had time in that formula. */
const NO_AGENT_TIME: Partial<Record<SlaKpi, string>> = {
  occupancy_phone: 'Ningún agente registró tiempo de telefonía (intervalos de estado o llamadas) en el mes; capture la deductiva a mano si aplica.',
  occupancy_chat: 'Ningún agente registró tiempo de chat (intervalos de estado o chats) en el mes; capture la deductiva a mano si aplica.',
};

/**
 * The month's measurement of every KPI an SLA row can use (issue 9 item 3), from the existing
 * sources, each with its trace: abandonment is the simple mean of the daily values (T&C L10211);
 * service level, ASA, AHT and the 13 h response are pooled over the month's days (daily tallies
 * summed, then the formula once); survey transfer from the contact facts; satisfaction from the
 * survey answers (web and phone); quality from the month's samples; availability from the
 * campaign's service window (router calendar) minus the outages entered by the admin; occupancy
 * (phone, chat) pooled over the agent-days and FCR from the KPI series (`occupancyAndFcr`).
 */
export async function measureMonth(db: Kysely<Database>, campaignId: string, month: string, options: MeasureOptions): Promise<MonthMeasurements> {
  const campaign = await db.selectFrom('campaigns').select('time_zone').where('id', '=', campaignId).executeTakeFirst();
  if (!campaign) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  const timeZone = campaign.time_zone;
  const { span, days } = monthSpan(month, timeZone);
  const responseLimitMs = options.responseLimitHours * 3_600_000;
  const asOf = new Date(Math.min((options.now ?? new Date()).getTime(), span.endMs + responseLimitMs));
  const thresholdMs = options.serviceLevelThresholdSeconds * 1000;

  const daily: DailyKpis[] = [];
  for (const day of days) {
    daily.push(
      await dailyKpis(db, campaignId, day.key, {
        timeZone,
        serviceLevelThresholdMs: thresholdMs,
        shortAbandonThresholdMs: options.shortAbandonThresholdSeconds * 1000,
        ahtDefinition: options.ahtDefinition,
        responseLimitMs,
        asOf,
      }),
    );
  }
  const sum = (pick: (d: DailyKpis) => number): number => daily.reduce((total, d) => total + pick(d), 0);
  const attended = sum((d) => d.total.tally.attended);
  const received = sum((d) => d.total.tally.received);

  const results: Partial<Record<SlaKpi, KpiResult>> = {
    abandonment: monthlyAbandonment(daily.map((d) => ({ date: d.date, result: d.total.abandonment }))),
    service_level: serviceLevel({
      attendedWithinThreshold: sum((d) => d.total.tally.attendedWithinThreshold),
      attended,
      received,
      thresholdMs,
      denominator: options.serviceLevelDenominator,
    }),
    asa: averageSpeedOfAnswer({ answered: attended, totalAnswerWaitMs: sum((d) => d.total.tally.totalAnswerWaitMs) }),
    aht: averageHandleTime({
      attended,
      talkMs: sum((d) => d.total.aht.inputs['talkMs'] ?? 0),
      holdMs: sum((d) => d.total.aht.inputs['holdMs'] ?? 0),
      afterContactWorkMs: sum((d) => d.total.aht.inputs['afterContactWorkMs'] ?? 0),
      definition: options.ahtDefinition,
    }),
    response_within_limit: responseWithinLimit({
      received: sum((d) => d.total.responseWithinLimit?.denominator ?? 0),
      attendedWithinLimit: sum((d) => d.total.responseWithinLimit?.numerator ?? 0),
      limitMs: responseLimitMs,
    }),
    survey_transfer: await surveyTransfer(db, campaignId, span.startMs, span.endMs),
    satisfaction: await monthSatisfaction(db, campaignId, span.startMs, span.endMs),
    quality: await monthlyQualityKpi(db, campaignId, month),
    availability: await monthAvailability(db, campaignId, span),
  };
  const missing: Partial<Record<SlaKpi, string>> = {};
  const fromSeries = await occupancyAndFcr(db, campaignId, days[0]?.key ?? `${month}-01`, days.at(-1)?.key ?? `${month}-01`, timeZone, asOf);
  for (const kpi of ['occupancy_phone', 'occupancy_chat', 'fcr'] as const) {
    const result = fromSeries[kpi];
    if (result) results[kpi] = result;
    else missing[kpi] = NO_AGENT_TIME[kpi] ?? 'Sin medición en el mes.';
  }
  return { campaignId, month, timeZone, asOf: asOf.toISOString(), results, missing };
}

/**
 * Occupancy and FCR from the KPI series. Occupancy: every agent-day of the month (series by agent,
 * day buckets: the agent's state intervals and talk/hold segments) pooled with
 * `consolidateOccupancy` — the sum of the times of every agent and day of the billing period
 * (L169); agent-days without time in that formula add nothing and are left out. FCR: the month's
 * row for the whole campaign (resolved cases received in the month; kpi/aggregates/README.md).
 */
async function occupancyAndFcr(db: Kysely<Database>, campaignId: string, from: string, to: string, timeZone: string, asOf: Date): Promise<Partial<Record<'occupancy_phone' | 'occupancy_chat' | 'fcr', KpiResult>>> {
  const query = { campaignId, from, to, timeZone, asOf };
  const agentDays = await kpiSeries(db, { ...query, interval: 'day', groupBy: ['agent'] });
  const monthRow = (await kpiSeries(db, { ...query, interval: 'month' })).rows[0];
  const pooled = (pick: (row: KpiSeriesRow) => KpiResult | null): KpiResult | undefined => {
    const measured = agentDays.rows.flatMap((row) => {
      const result = pick(row);
      return result !== null && result.status === 'ok' ? [result] : [];
    });
    return measured.length === 0 ? undefined : consolidateOccupancy(measured, 'pooled');
  };
  const phone = pooled((row) => row.occupancyPhone);
  const chat = pooled((row) => row.occupancyChat);
  return { ...(phone ? { occupancy_phone: phone } : {}), ...(chat ? { occupancy_chat: chat } : {}), ...(monthRow ? { fcr: monthRow.fcr } : {}) };
}

/** T&C: voice contacts transferred to the keypad survey / voice contacts attended (L10124, L10225). */
async function surveyTransfer(db: Kysely<Database>, campaignId: string, fromMs: number, toMs: number): Promise<KpiResult> {
  const row = await db
    .selectFrom('kpi_contact_facts')
    .select([sql<string>`count(*)`.as('attended'), sql<string>`count(*) FILTER (WHERE survey_offered)`.as('transferred')])
    .where('campaign_id', '=', campaignId)
    .where('channel_class', '=', 'voice')
    .where('answered_at', 'is not', null)
    .where('received_at', '>=', new Date(fromMs))
    .where('received_at', '<', new Date(toMs))
    .executeTakeFirstOrThrow();
  return surveyTransferRate({ transferredToSurvey: Number(row.transferred), attended: Number(row.attended) });
}

/** Every yes/no answer of the month's surveys, web widget and phone keypad alike (T&C L10225–L10226). */
async function monthSatisfaction(db: Kysely<Database>, campaignId: string, fromMs: number, toMs: number): Promise<KpiResult> {
  const rows = await db
    .selectFrom('survey_responses')
    .select('answers')
    .where('campaign_id', '=', campaignId)
    .where('created_at', '>=', new Date(fromMs))
    .where('created_at', '<', new Date(toMs))
    .orderBy('created_at')
    .execute();
  const surveys: SurveyYesNoAnswers[] = rows.map((r) => {
    const answers: Record<string, boolean> = {};
    if (typeof r.answers === 'object' && r.answers !== null) {
      for (const [key, value] of Object.entries(r.answers)) if (typeof value === 'boolean') answers[key] = value;
    }
    return answers;
  });
  return satisfaction(surveys).overall;
}

async function monthAvailability(db: Kysely<Database>, campaignId: string, span: { startMs: number; endMs: number }): Promise<KpiResult> {
  const routing = (await loadCampaignRouting(db, [campaignId])).get(campaignId);
  if (!routing) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  const window = serviceWindowSpans(routing.schedule, routing.holidays, span);
  const outages = await outagesBetween(db, campaignId, new Date(span.startMs), new Date(span.endMs));
  return availability(
    window,
    outages.map((o) => ({ startMs: Date.parse(o.startedAt), endMs: Date.parse(o.endedAt) })),
  );
}
