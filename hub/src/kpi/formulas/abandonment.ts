import { assertCounts, formatValue, type KpiResult, NO_TRAFFIC_LABEL, ratioResult } from './kpi-result.js';

export interface DailyAbandonmentInput {
  /** Contacts that reached the queue (after the IVR), short abandons included. */
  readonly received: number;
  readonly attended: number;
  /** Abandons faster than the campaign's short-abandon threshold; removed from received. */
  readonly shortAbandoned?: number;
  /** Recorded in the trace only; the count above is what the threshold produced. */
  readonly shortAbandonThresholdMs?: number;
}

/**
 * Daily abandonment = [(recibidas − atendidas) / recibidas] × 100 (T&C L10211, DyC L7882), with
 * short abandons (the Velatorios history measures abandonment "> 30 s", digest §6.3) excluded
 * from the received contacts before dividing.
 */
export function dailyAbandonment(input: DailyAbandonmentInput): KpiResult {
  const shortAbandoned = input.shortAbandoned ?? 0;
  assertCounts({ received: input.received, attended: input.attended, shortAbandoned });
  const counted = input.received - shortAbandoned;
  if (input.attended > counted) {
    throw new RangeError(`attended (${input.attended}) exceeds received − short abandons (${counted})`);
  }
  return ratioResult({
    kpi: 'abandonment',
    unit: 'percent',
    numerator: counted - input.attended,
    denominator: counted,
    scale: 100,
    formula: '[(recibidas − abandonos cortos − atendidas) / (recibidas − abandonos cortos)] × 100',
    seedRef: 'S003 T&C L10211; DyC L7882',
    inputs: {
      received: input.received,
      shortAbandoned,
      attended: input.attended,
      ...(input.shortAbandonThresholdMs === undefined ? {} : { shortAbandonThresholdMs: input.shortAbandonThresholdMs }),
    },
    arithmetic: `(${counted} − ${input.attended}) / ${counted}`,
  });
}

export interface DailyValue {
  /** Local date `YYYY-MM-DD` in the campaign's zone (see intervals.ts). */
  readonly date: string;
  readonly result: KpiResult;
}

/**
 * Monthly abandonment = simple mean of the daily percentages ("el nivel de servicio mensual será
 * el promedio simple de los promedios diarios del mes", T&C L10211). A day without traffic has no
 * daily percentage, so it is left out of the mean rather than counted as 0 %; a month without any
 * traffic is "sin tráfico". Returned numerator = Σ daily %, denominator = days with traffic.
 */
export function monthlyAbandonment(days: readonly DailyValue[]): KpiResult {
  const measured = days.filter((day): day is DailyValue & { result: { value: number } } => day.result.value !== null);
  const sum = measured.reduce((total, day) => total + day.result.value, 0);
  const inputs = Object.fromEntries(measured.map((day) => [day.date, day.result.value]));
  const skipped = days.length - measured.length;
  const arithmetic =
    measured.length === 0
      ? `0 días con tráfico (${skipped} ${NO_TRAFFIC_LABEL})`
      : `(${measured.map((day) => formatValue(day.result.value, 'percent')).join(' + ')}) / ${measured.length} días con tráfico` +
        (skipped > 0 ? ` (${skipped} día(s) ${NO_TRAFFIC_LABEL} excluidos)` : '');
  return ratioResult({
    kpi: 'abandonment',
    unit: 'percent',
    numerator: sum,
    denominator: measured.length,
    scale: 1,
    formula: 'promedio simple de los porcentajes diarios de abandono del mes',
    seedRef: 'S003 T&C L10211 (promedio simple de los promedios diarios)',
    inputs,
    arithmetic,
  });
}
