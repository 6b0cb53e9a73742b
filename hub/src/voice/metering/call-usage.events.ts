/** The call events metering reads, put in time order, and Twilio's own figure for the leg. */
import { CALL_EVENT_TYPES as T } from '../call-events.contract.js';

export interface MeteringEvent {
  /** The event's own time (epoch ms): interaction_events.occurred_at. */
  at: number;
  /** The contract's type without the `call.` prefix. */
  type: string;
  data: Readonly<Record<string, unknown>>;
}

export const FINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/**
 * By time, then by the order they were stored: webhooks of one call race each other (a status
 * callback can be stored after a later IVR step), and a segment is bounded by what happened first.
 * The same event stored twice (same time, type and data — a replayed save) counts once.
 */
export function sortedEvents(events: readonly MeteringEvent[]): MeteringEvent[] {
  const seen = new Set<string>();
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => a.event.at - b.event.at || a.index - b.index)
    .map(({ event }) => event)
    .filter((event) => {
      const key = JSON.stringify([event.at, event.type, Object.entries(event.data).sort(([a], [b]) => a.localeCompare(b))]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** A whole, non-negative number of seconds as Twilio sends it ("37"), else null. */
export function secondsOf(value: unknown): number | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  return /^\d{1,9}$/.test(text) ? Number(text) : null;
}

/**
 * Twilio's CallDuration: from the `ended` event, else from a final status callback. A callback
 * repeated by Twilio carries the same figure; the earliest one that has a number wins.
 */
export function finalDuration(events: readonly MeteringEvent[]): number | null {
  for (const e of events) {
    if (e.type !== T.ended) continue;
    const seconds = secondsOf(e.data['duration']);
    if (seconds !== null) return seconds;
  }
  for (const e of events) {
    if (e.type !== T.status || !FINAL_STATUSES.has(String(e.data['status'] ?? ''))) continue;
    const seconds = secondsOf(e.data['duration']);
    if (seconds !== null) return seconds;
  }
  return null;
}
