import { describe, expect, it } from 'vitest';
import { alertLevel, DEFAULT_ALERT_SETTINGS, loadAlertSettings, saveAlertSettings, sinceCitizenMs, waitingMs } from './session-alerts.js';
import type { KeyValueStore } from '../api/auth-session.js';
import { formatElapsed } from '../i18n/format.js';

const t0 = Date.parse('2026-11-26T10:00:00Z');
const at = (s: number) => new Date(t0 + s * 1000).toISOString();
const settings = { warnAfterSeconds: 60, alertAfterSeconds: 120, idleAfterSeconds: 600, sound: true };

describe('session timers and alert thresholds', () => {
  it('counts the wait from the citizen’s last message until an agent replies', () => {
    const clock = { lastInboundAt: at(0), lastOutboundAt: null };
    expect(waitingMs(clock, t0 + 30_000)).toBe(30_000);
    expect(alertLevel(clock, t0 + 59_000, settings)).toBe('ok');
    expect(alertLevel(clock, t0 + 60_000, settings)).toBe('warn');
    expect(alertLevel(clock, t0 + 120_000, settings)).toBe('alert');
    const replied = { lastInboundAt: at(0), lastOutboundAt: at(90) };
    expect(waitingMs(replied, t0 + 200_000)).toBeNull();
    expect(alertLevel(replied, t0 + 200_000, settings)).toBe('ok');
    expect(sinceCitizenMs(replied, t0 + 200_000)).toBe(200_000);
  });

  it('marks a quiet session idle, and a new citizen message restarts the wait', () => {
    expect(alertLevel({ lastInboundAt: at(0), lastOutboundAt: at(10) }, t0 + 610_000, settings)).toBe('idle');
    expect(alertLevel({ lastInboundAt: at(700), lastOutboundAt: at(10) }, t0 + 710_000, settings)).toBe('ok');
    expect(alertLevel({ lastInboundAt: null, lastOutboundAt: null }, t0, settings)).toBe('ok');
  });

  it('keeps the thresholds in local storage, rejecting nonsense', () => {
    const data = new Map<string, string>();
    const store: KeyValueStore = { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
    expect(loadAlertSettings(store)).toEqual(DEFAULT_ALERT_SETTINGS);
    saveAlertSettings(store, { warnAfterSeconds: 30, alertAfterSeconds: 90, idleAfterSeconds: 300, sound: false });
    expect(loadAlertSettings(store)).toEqual({ warnAfterSeconds: 30, alertAfterSeconds: 90, idleAfterSeconds: 300, sound: false });
    expect(() => saveAlertSettings(store, { warnAfterSeconds: 90, alertAfterSeconds: 30, idleAfterSeconds: 300, sound: false })).toThrow();
    data.set('ventanilla.alerts', '{"warnAfterSeconds":-1}');
    expect(loadAlertSettings(store)).toEqual(DEFAULT_ALERT_SETTINGS);
  });

  it('formats timers as m:ss and h:mm:ss', () => {
    expect([formatElapsed(7_000), formatElapsed(245_000), formatElapsed(3_729_000), formatElapsed(-5)]).toEqual(['0:07', '4:05', '1:02:09', '0:00']);
  });
});
