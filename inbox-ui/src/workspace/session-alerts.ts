import type { KeyValueStore } from '../api/auth-session.js';

/**
 * Per-session alert thresholds (seed-digest §1.3: "configurable sound and visual threshold alerts
 * (unread messages, inactivity)"), kept in this browser's localStorage.
 */
export interface AlertSettings {
  /** The citizen wrote and no agent reply for this long: amber. */
  warnAfterSeconds: number;
  /** … for this long: red (and a sound, when enabled). */
  alertAfterSeconds: number;
  /** No message either way for this long: the session is idle. */
  idleAfterSeconds: number;
  sound: boolean;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = Object.freeze({ warnAfterSeconds: 60, alertAfterSeconds: 120, idleAfterSeconds: 600, sound: true });

const STORAGE_KEY = 'ventanilla.alerts';

export type AlertLevel = 'ok' | 'warn' | 'alert' | 'idle';

export interface SessionClock {
  /** Last message from the citizen (ISO), if any. */
  lastInboundAt: string | null;
  /** Last reply sent by staff (ISO), if any. */
  lastOutboundAt: string | null;
}

/** Milliseconds the citizen has been waiting for a reply, or null when the last word was ours. */
export function waitingMs(clock: SessionClock, now: number): number | null {
  if (clock.lastInboundAt === null) return null;
  const inbound = Date.parse(clock.lastInboundAt);
  const outbound = clock.lastOutboundAt === null ? Number.NEGATIVE_INFINITY : Date.parse(clock.lastOutboundAt);
  if (outbound >= inbound) return null;
  return Math.max(0, now - inbound);
}

export function alertLevel(clock: SessionClock, now: number, settings: AlertSettings): AlertLevel {
  const waiting = waitingMs(clock, now);
  if (waiting !== null) {
    if (waiting >= settings.alertAfterSeconds * 1000) return 'alert';
    if (waiting >= settings.warnAfterSeconds * 1000) return 'warn';
    return 'ok';
  }
  const last = Math.max(clock.lastInboundAt ? Date.parse(clock.lastInboundAt) : 0, clock.lastOutboundAt ? Date.parse(clock.lastOutboundAt) : 0);
  if (last > 0 && now - last >= settings.idleAfterSeconds * 1000) return 'idle';
  return 'ok';
}

/** Milliseconds since the citizen's last message (the session timer), null before they wrote. */
export function sinceCitizenMs(clock: SessionClock, now: number): number | null {
  return clock.lastInboundAt === null ? null : Math.max(0, now - Date.parse(clock.lastInboundAt));
}

export function validAlertSettings(value: unknown): value is AlertSettings {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const positive = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= 86_400;
  return positive(v['warnAfterSeconds']) && positive(v['alertAfterSeconds']) && positive(v['idleAfterSeconds']) && typeof v['sound'] === 'boolean' && (v['alertAfterSeconds'] as number) > (v['warnAfterSeconds'] as number);
}

export function loadAlertSettings(storage: KeyValueStore | null): AlertSettings {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return validAlertSettings(parsed) ? parsed : { ...DEFAULT_ALERT_SETTINGS };
  } catch {
    return { ...DEFAULT_ALERT_SETTINGS };
  }
}

export function saveAlertSettings(storage: KeyValueStore | null, settings: AlertSettings): void {
  if (!validAlertSettings(settings)) throw new Error('invalid alert settings');
  storage?.setItem(STORAGE_KEY, JSON.stringify(settings));
}
