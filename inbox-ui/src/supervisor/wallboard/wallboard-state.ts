import type { WallboardAlertView, WallboardKpi, WallboardSnapshot } from '@ventanilla/hub/realtime-contract';

export interface SnapshotUpdate {
  readonly snapshot: WallboardSnapshot;
  /** Alerts on now that were off in the board shown before (the sound plays once for these). */
  readonly started: readonly WallboardAlertView[];
}

/**
 * The next board: snapshots replace each other whole; an older one (a REST reply overtaken by a
 * socket push, or another campaign's) is ignored (null). The first snapshot starts no alert: the
 * sound is for alerts that begin while the supervisor watches.
 */
export function applySnapshot(current: WallboardSnapshot | null, next: WallboardSnapshot, campaignId: string): SnapshotUpdate | null {
  if (next.campaignId !== campaignId) return null;
  if (current && current.campaignId === campaignId && Date.parse(next.generatedAt) < Date.parse(current.generatedAt)) return null;
  const before = current && current.campaignId === campaignId ? new Set(current.alerts.map((a) => a.thresholdId)) : null;
  return { snapshot: next, started: before === null ? [] : next.alerts.filter((a) => !before.has(a.thresholdId)) };
}

/** Seconds as m:ss, or h:mm:ss from one hour. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A KPI cell: percent with one decimal, ASA in seconds; "—" without traffic. */
export function formatKpi(kpi: WallboardKpi | null, locale: string): string {
  if (!kpi || kpi.value === null) return '—';
  if (kpi.unit === 'ms') return `${(kpi.value / 1000).toLocaleString(locale, { maximumFractionDigits: 1 })} s`;
  return `${kpi.value.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`;
}

/** Elapsed since an ISO instant, for the ticking cells (longest wait, time in state). */
export function elapsedSince(iso: string | null, nowMs: number): number {
  return iso === null ? 0 : Math.max(0, nowMs - Date.parse(iso));
}
