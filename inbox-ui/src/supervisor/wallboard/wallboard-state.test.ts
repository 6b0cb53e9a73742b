import { describe, expect, it } from 'vitest';
import type { WallboardAlertView, WallboardQueueView, WallboardSnapshot } from '@ventanilla/hub/realtime-contract';
import { applySnapshot, elapsedSince, formatDuration, formatKpi } from './wallboard-state.js';

const totals: WallboardQueueView = {
  queueId: null,
  name: 'C',
  waiting: 0,
  oldestEnqueuedAt: null,
  longestWaitSeconds: 0,
  received: 0,
  attended: 0,
  abandoned: 0,
  serviceLevel: { value: null, unit: 'percent', explanation: '' },
  asa: { value: null, unit: 'ms', explanation: '' },
  abandonment: { value: null, unit: 'percent', explanation: '' },
  occupancy: null,
  agents: { available: 0, busy: 0, afterContactWork: 0, breaks: {}, loggedIn: 0 },
};
const alert = (id: string): WallboardAlertView => ({ thresholdId: id, queueId: null, metric: 'waiting', direction: 'above', threshold: 1, value: 2, since: '2026-03-10T18:00:00.000Z' });
const snap = (at: string, alerts: WallboardAlertView[] = [], campaignId = 'c1'): WallboardSnapshot => ({
  campaignId,
  campaignName: 'C',
  date: '2026-03-10',
  timeZone: 'America/Mexico_City',
  generatedAt: at,
  cause: 'event',
  eventAt: null,
  latencyMs: null,
  serviceLevel: { denominator: 'attended', thresholdSeconds: 20, shortAbandonSeconds: 0 },
  totals,
  queues: [],
  agents: [],
  alerts,
});

describe('wallboard state', () => {
  it('replaces the board with newer snapshots and ignores older or foreign ones', () => {
    const first = applySnapshot(null, snap('2026-03-10T18:00:01.000Z', [alert('a')]), 'c1');
    expect(first?.started).toEqual([]);
    expect(applySnapshot(first!.snapshot, snap('2026-03-10T18:00:00.500Z'), 'c1')).toBeNull();
    expect(applySnapshot(first!.snapshot, snap('2026-03-10T18:00:02.000Z', [], 'c2'), 'c1')).toBeNull();
  });

  it('reports each alert once, when it starts', () => {
    const a = applySnapshot(null, snap('2026-03-10T18:00:01.000Z', [alert('a')]), 'c1')!;
    const b = applySnapshot(a.snapshot, snap('2026-03-10T18:00:02.000Z', [alert('a'), alert('b')]), 'c1')!;
    expect(b.started.map((x) => x.thresholdId)).toEqual(['b']);
    const c = applySnapshot(b.snapshot, snap('2026-03-10T18:00:03.000Z', [alert('a'), alert('b')]), 'c1')!;
    expect(c.started).toEqual([]);
    const d = applySnapshot(c.snapshot, snap('2026-03-10T18:00:04.000Z', []), 'c1')!;
    const e = applySnapshot(d.snapshot, snap('2026-03-10T18:00:05.000Z', [alert('b')]), 'c1')!;
    expect(e.started.map((x) => x.thresholdId)).toEqual(['b']);
  });

  it('formats durations, KPIs and ticking waits', () => {
    expect(formatDuration(65_400)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatKpi({ value: 66.6667, unit: 'percent', explanation: '' }, 'es-MX')).toBe('66.7 %');
    expect(formatKpi({ value: 16_000, unit: 'ms', explanation: '' }, 'es-MX')).toBe('16 s');
    expect(formatKpi({ value: null, unit: 'percent', explanation: '' }, 'es-MX')).toBe('—');
    expect(elapsedSince('2026-03-10T18:00:00.000Z', Date.parse('2026-03-10T18:01:30.000Z'))).toBe(90_000);
    expect(elapsedSince(null, 5)).toBe(0);
  });
});
