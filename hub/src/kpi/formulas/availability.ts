import { type KpiResult, ratioResult } from './kpi-result.js';

/** Half-open [startMs, endMs) in epoch ms. */
export interface TimeSpan {
  readonly startMs: number;
  readonly endMs: number;
}

/** Sorted, non-overlapping union of spans (empty and inverted spans dropped). */
export function mergeSpans(spans: readonly TimeSpan[]): TimeSpan[] {
  const sorted = spans.filter((span) => span.endMs > span.startMs).sort((a, b) => a.startMs - b.startMs);
  const merged: TimeSpan[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.startMs <= last.endMs) merged[merged.length - 1] = { startMs: last.startMs, endMs: Math.max(last.endMs, span.endMs) };
    else merged.push({ ...span });
  }
  return merged;
}

export function totalMs(spans: readonly TimeSpan[]): number {
  return mergeSpans(spans).reduce((sum, span) => sum + (span.endMs - span.startMs), 0);
}

/** Length of the intersection of two span sets. */
export function overlapMs(a: readonly TimeSpan[], b: readonly TimeSpan[]): number {
  const left = mergeSpans(a);
  const right = mergeSpans(b);
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < left.length && j < right.length) {
    const x = left[i];
    const y = right[j];
    if (!x || !y) break;
    const start = Math.max(x.startMs, y.startMs);
    const end = Math.min(x.endMs, y.endMs);
    if (end > start) sum += end - start;
    if (x.endMs <= y.endMs) i += 1;
    else j += 1;
  }
  return sum;
}

/**
 * Availability = (tiempo de ventana − tiempo no disponible) / tiempo de ventana × 100
 * (T&C L10241–L10244; DyC L7900 "interrupción"). Only outage time *inside* the service window counts,
 * and overlapping outage reports are counted once. Build the window with the router calendar's
 * `serviceWindowOn` (hub/src/router/calendar). No window (closed all period) → sin tráfico.
 */
export function availability(serviceWindow: readonly TimeSpan[], outages: readonly TimeSpan[]): KpiResult {
  const windowMs = totalMs(serviceWindow);
  const unavailableMs = overlapMs(serviceWindow, outages);
  return ratioResult({
    kpi: 'availability',
    unit: 'percent',
    numerator: windowMs - unavailableMs,
    denominator: windowMs,
    scale: 100,
    formula: '(tiempo de ventana de servicio − tiempo no disponible dentro de la ventana) / tiempo de ventana × 100',
    seedRef: 'S003 T&C L10241–L10244; DyC L7900; CMT L5899',
    inputs: { windowMs, unavailableMs },
    arithmetic: `(${windowMs} − ${unavailableMs}) ms / ${windowMs} ms`,
  });
}

/**
 * The T&C's "bloque o fracción de 18.72 minutos" (L10244) is 0.1 % of the month's window: the
 * text's example (22 × 12 h + 8 × 6 h = 18,720 min) makes 18.72 min one tenth of a point. An SLA
 * row with unitSize 0.1 and rounding "fractionUp" charges the same blocks; this helper shows them.
 */
export function availabilityBlockMs(windowMs: number): number {
  return windowMs / 1000;
}
