import { describe, expect, it } from 'vitest';
import type { WallboardQueueView } from '../realtime/events.contract.js';
import { evaluateAlerts, isBeyond, metricValue, nextCrossingMs, type ThresholdRule } from './wallboard-alerts.js';

const NOW = Date.parse('2026-03-10T18:00:00.000Z');

function view(over: Partial<WallboardQueueView> = {}): WallboardQueueView {
  return {
    queueId: 'q1',
    name: 'Fila 1',
    waiting: 3,
    oldestEnqueuedAt: new Date(NOW - 45_000).toISOString(),
    longestWaitSeconds: 45,
    received: 10,
    attended: 8,
    abandoned: 2,
    serviceLevel: { value: 75, unit: 'percent', explanation: '' },
    asa: { value: 18_500, unit: 'ms', explanation: '' },
    abandonment: { value: 20, unit: 'percent', explanation: '' },
    occupancy: null,
    agents: { available: 1, busy: 2, afterContactWork: 0, breaks: {}, loggedIn: 3 },
    ...over,
  };
}

describe('wallboard alert thresholds', () => {
  it('reads each metric, with ASA in seconds and the longest wait growing with time', () => {
    const q = view();
    expect(metricValue(q, 'waiting', NOW)).toBe(3);
    expect(metricValue(q, 'longest_wait_seconds', NOW)).toBe(45);
    expect(metricValue(q, 'longest_wait_seconds', NOW + 10_500)).toBe(55);
    expect(metricValue(q, 'service_level_percent', NOW)).toBe(75);
    expect(metricValue(q, 'abandonment_percent', NOW)).toBe(20);
    expect(metricValue(q, 'asa_seconds', NOW)).toBe(18.5);
    expect(metricValue(q, 'agents_available', NOW)).toBe(1);
    expect(metricValue(view({ oldestEnqueuedAt: null }), 'longest_wait_seconds', NOW)).toBe(0);
  });

  it('is on only strictly beyond the threshold, in the metric’s own direction', () => {
    expect(isBeyond('waiting', 5, 5)).toBe(false);
    expect(isBeyond('waiting', 6, 5)).toBe(true);
    expect(isBeyond('service_level_percent', 80, 80)).toBe(false);
    expect(isBeyond('service_level_percent', 79.99, 80)).toBe(true);
    expect(isBeyond('agents_available', 0, 1)).toBe(true);
  });

  it('starts, keeps its start and stops at the thresholds; no traffic never alerts', () => {
    const rules: ThresholdRule[] = [
      { id: 't-wait', queueId: 'q1', metric: 'waiting', value: 2 },
      { id: 't-sl', queueId: null, metric: 'service_level_percent', value: 80 },
      { id: 't-ab', queueId: 'q1', metric: 'abandonment_percent', value: 25 },
      { id: 't-other', queueId: 'q-gone', metric: 'waiting', value: 0 },
    ];
    const totals = view({ queueId: null });
    const on = evaluateAlerts(rules, totals, [view()], NOW, new Map([['t-wait', NOW - 60_000]]));
    expect(on.map((a) => [a.thresholdId, a.value, a.direction])).toEqual([
      ['t-wait', 3, 'above'],
      ['t-sl', 75, 'below'],
    ]);
    expect(on[0]?.since).toBe(new Date(NOW - 60_000).toISOString());
    expect(on[1]?.since).toBe(new Date(NOW).toISOString());
    const off = evaluateAlerts(rules, view({ queueId: null, serviceLevel: { value: null, unit: 'percent', explanation: 'sin tráfico' } }), [view({ waiting: 2 })], NOW, new Map());
    expect(off).toEqual([]);
  });

  it('wakes the board when a longest-wait threshold will be crossed by time alone', () => {
    const rules: ThresholdRule[] = [
      { id: 'a', queueId: 'q1', metric: 'longest_wait_seconds', value: 60 },
      { id: 'b', queueId: null, metric: 'longest_wait_seconds', value: 120 },
      { id: 'c', queueId: 'q1', metric: 'longest_wait_seconds', value: 30 },
    ];
    // Enqueued 45 s ago: > 60 s from second 61, i.e. 16 s from now; rule c is already on.
    expect(nextCrossingMs(rules, view({ queueId: null }), [view()], NOW)).toBe(NOW + 16_000);
    expect(nextCrossingMs(rules, view({ queueId: null, oldestEnqueuedAt: null }), [view({ oldestEnqueuedAt: null })], NOW)).toBeNull();
  });
});
