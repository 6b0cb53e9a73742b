import type { KpiInterval, KpiSeries, KpiSeriesRow } from '../kpi/aggregates/kpi-series.contract.js';
import type { MeasuringRules } from '../kpi/measuring-rules.js';
import { channelKindLabel } from './report-settings.js';
import { col, kpisOf, type ReportRow, type ReportTable, SERVICE_LEVEL_COLUMNS, standardNotes } from './report-table.js';

/**
 * The interval report (seed-digest §7.1 "drill-down by half-hour, day, week, month"; §6.4 schedule
 * adherence per 30-min interval): one row per bucket of the KPI series (kpi/aggregates), buckets
 * without traffic included, so a BI tool can chart the day without gaps.
 */
export const INTERVAL_LABELS: Record<KpiInterval, { es: string; en: string }> = {
  half_hour: { es: '30 minutos', en: '30 minutes' },
  day: { es: 'día', en: 'day' },
  week: { es: 'semana (lunes a domingo)', en: 'week (Monday to Sunday)' },
  month: { es: 'mes', en: 'month' },
};

export const INTERVAL_COLUMNS = [
  col('interval', 'text', 'Intervalo', 'Interval'),
  col('start', 'datetime', 'Inicio', 'Start'),
  col('end', 'datetime', 'Fin', 'End'),
  col('queue', 'text', 'Fila', 'Queue'),
  col('channel', 'text', 'Canal', 'Channel'),
  ...SERVICE_LEVEL_COLUMNS,
  col('survey_transfer', 'kpi', 'Transferencia a encuesta %', 'Survey transfer %'),
  col('transfers', 'integer', 'Transferencias', 'Transfers'),
  col('tier2_transfers', 'integer', 'Transferencias a 2º nivel', 'Tier-2 transfers'),
  col('pending', 'integer', 'Aún en fila', 'Still queued'),
] as const;

function rowOf(r: KpiSeriesRow, queueNames: ReadonlyMap<string, string>): ReportRow {
  return {
    interval: r.bucket.key,
    start: new Date(r.bucket.startMs).toISOString(),
    end: new Date(r.bucket.endMs).toISOString(),
    queue: r.queueId === null ? 'Todas' : (queueNames.get(r.queueId) ?? r.queueId),
    channel: r.channelKind === null ? 'Todos' : channelKindLabel(r.channelKind),
    received_gross: r.tally.receivedGross,
    short_abandoned: r.tally.shortAbandoned,
    received: r.tally.received,
    attended: r.tally.attended,
    abandoned: r.tally.abandoned,
    within_threshold: r.tally.attendedWithinThreshold,
    sl_received: r.serviceLevelByReceived,
    sl_attended: r.serviceLevelByAttended,
    asa: r.asa,
    aht: r.aht,
    abandonment: r.abandonment,
    response_within_limit: r.responseWithinLimit,
    survey_transfer: r.surveyTransfer,
    transfers: r.transfers,
    tier2_transfers: r.tier2Transfers,
    pending: r.pendingInQueue,
  };
}

/** Pure: a KPI series → the interval table. */
export function buildIntervalTable(series: KpiSeries, queueNames: ReadonlyMap<string, string>, settings: MeasuringRules, generatedAt: Date): ReportTable {
  const rows = series.rows.map((r) => rowOf(r, queueNames));
  const interval = INTERVAL_LABELS[series.query.interval];
  return {
    id: 'intervals',
    title_es: `Reporte por intervalo (${interval.es}) — ${settings.campaignName}`,
    title_en: `Interval report (${interval.en}) — ${settings.campaignName}`,
    columns: INTERVAL_COLUMNS,
    rows,
    notes: standardNotes({
      timeZone: series.timeZone,
      generatedAt,
      formulas: kpisOf(rows),
      extra: [
        { label_es: 'Periodo', label_en: 'Period', value: `${series.query.from} a ${series.query.to}` },
        { label_es: 'Intervalo', label_en: 'Interval', value: interval.es },
        { label_es: 'Umbral de nivel de servicio', label_en: 'Service-level threshold', value: `${settings.serviceLevelThresholdMs / 1000} s` },
        { label_es: 'Umbral de abandono corto', label_en: 'Short-abandon threshold', value: `${settings.shortAbandonThresholdMs / 1000} s` },
        ...(series.query.interval === 'month' ? [{ label_es: 'Abandono mensual', label_en: 'Monthly abandonment', value: 'promedio simple de los porcentajes diarios (T&C L10211)' }] : []),
      ],
    }),
  };
}
