import type { ReplyOptions } from '../api/api-types.js';

/**
 * Where the conversation stands in its channel's customer-service window (WhatsApp: 24 hours
 * after the citizen's last message). The hub's `windowOpen` is the truth when it answered;
 * between fetches the countdown runs here, so the composer closes at the right minute without
 * a round trip (the hub still refuses a late free-text reply with 409).
 */
export type ReplyWindow =
  /** The channel has no window (web chat, e-mail, SMS): anything goes at any time. */
  | { state: 'none' }
  | { state: 'open'; closesAt: string | null; remainingMs: number | null }
  /** `closedAt` is null when the citizen never wrote (an outbound-first conversation). */
  | { state: 'closed'; closedAt: string | null };

export function replyWindow(options: Pick<ReplyOptions, 'windowHours' | 'windowOpen' | 'windowClosesAt'>, now: number): ReplyWindow {
  if (options.windowHours === null) return { state: 'none' };
  const closesAt = options.windowClosesAt;
  const closesMs = closesAt === null ? Number.NaN : Date.parse(closesAt);
  if (!options.windowOpen) return { state: 'closed', closedAt: closesAt };
  if (Number.isNaN(closesMs)) return { state: 'open', closesAt: null, remainingMs: null };
  const remainingMs = closesMs - now;
  return remainingMs > 0 ? { state: 'open', closesAt, remainingMs } : { state: 'closed', closedAt: closesAt };
}

/** Free text, attachments and reply buttons need the window; a template never does. */
export function canSendFreeForm(window: ReplyWindow): boolean {
  return window.state !== 'closed';
}

/**
 * "3 h 12 min", "45 min", "< 1 min": whole minutes, rounded down (an agent told 1 min must
 * still have it). Units read the same in Spanish and English.
 */
export function formatRemaining(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return '< 1 min';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** Under this the countdown turns into a warning: a long reply might not make it. */
export const WINDOW_WARN_MS = 60 * 60_000;
