import type { WallboardAlertView, WallboardMetric, WallboardQueueView } from '../realtime/events.contract.js';

/**
 * Threshold alerts of the wallboard (seed-digest §7.1, "alertas programables" L3274–L3287): pure,
 * so the builder, the tests and the timer that wakes the board at a crossing agree on one rule.
 * An alert is on while the figure is strictly beyond the threshold; no traffic never alerts.
 */
export const METRIC_DIRECTION = {
  waiting: 'above',
  longest_wait_seconds: 'above',
  service_level_percent: 'below',
  abandonment_percent: 'above',
  asa_seconds: 'above',
  agents_available: 'below',
} as const satisfies Record<WallboardMetric, 'above' | 'below'>;

export const WALLBOARD_METRICS = Object.keys(METRIC_DIRECTION) as WallboardMetric[];

export interface ThresholdRule {
  readonly id: string;
  /** null = the campaign totals. */
  readonly queueId: string | null;
  readonly metric: WallboardMetric;
  readonly value: number;
}

/** The figure a metric watches, at `nowMs` (the longest wait grows with time); null = nothing to compare. */
export function metricValue(view: WallboardQueueView, metric: WallboardMetric, nowMs: number): number | null {
  switch (metric) {
    case 'waiting':
      return view.waiting;
    case 'longest_wait_seconds':
      return view.oldestEnqueuedAt === null ? 0 : Math.max(0, Math.floor((nowMs - Date.parse(view.oldestEnqueuedAt)) / 1000));
    case 'service_level_percent':
      return view.serviceLevel.value;
    case 'abandonment_percent':
      return view.abandonment.value;
    case 'asa_seconds':
      return view.asa.value === null ? null : view.asa.value / 1000;
    case 'agents_available':
      return view.agents.available;
  }
}

export function isBeyond(metric: WallboardMetric, value: number, threshold: number): boolean {
  return METRIC_DIRECTION[metric] === 'above' ? value > threshold : value < threshold;
}

function viewOf(rule: ThresholdRule, totals: WallboardQueueView, queues: readonly WallboardQueueView[]): WallboardQueueView | undefined {
  return rule.queueId === null ? totals : queues.find((q) => q.queueId === rule.queueId);
}

/**
 * The alerts on now. `startedAt` holds when each alert already on began (from earlier snapshots),
 * so `since` stays put while an alert lasts; new ones start at `nowMs`.
 */
export function evaluateAlerts(
  rules: readonly ThresholdRule[],
  totals: WallboardQueueView,
  queues: readonly WallboardQueueView[],
  nowMs: number,
  startedAt: ReadonlyMap<string, number>,
): WallboardAlertView[] {
  const alerts: WallboardAlertView[] = [];
  for (const rule of rules) {
    const view = viewOf(rule, totals, queues);
    if (!view) continue;
    const value = metricValue(view, rule.metric, nowMs);
    if (value === null || !isBeyond(rule.metric, value, rule.value)) continue;
    alerts.push({
      thresholdId: rule.id,
      queueId: rule.queueId,
      metric: rule.metric,
      direction: METRIC_DIRECTION[rule.metric],
      threshold: rule.value,
      value: Math.round(value * 100) / 100,
      since: new Date(startedAt.get(rule.id) ?? nowMs).toISOString(),
    });
  }
  return alerts;
}

/**
 * The next instant a longest-wait alert turns on with no event at all (time alone makes the wait
 * grow), so the board can wake then instead of polling; null when none is pending.
 */
export function nextCrossingMs(rules: readonly ThresholdRule[], totals: WallboardQueueView, queues: readonly WallboardQueueView[], nowMs: number): number | null {
  let next: number | null = null;
  for (const rule of rules) {
    if (rule.metric !== 'longest_wait_seconds') continue;
    const view = viewOf(rule, totals, queues);
    if (!view || view.oldestEnqueuedAt === null) continue;
    // Whole seconds beyond the threshold: on at enqueued + (threshold + 1) s.
    const at = Date.parse(view.oldestEnqueuedAt) + (Math.floor(rule.value) + 1) * 1000;
    if (at > nowMs && (next === null || at < next)) next = at;
  }
  return next;
}
