const MINUTE = 60_000;
/** Above an hour, quarter-hour steps: "1 h 7 min" promises a precision no estimate has. */
const LONG_WAIT_STEP_MINUTES = 15;

/**
 * What a citizen is shown of an estimate. Coarse on purpose: notifications are sent only when this
 * (or the position) changes, so a few seconds of drift never reach the contact.
 */
export type WaitDisplay =
  /** No estimate (nobody staffed qualifies): "en breve le atenderemos". */
  | { readonly kind: 'unknown' }
  /** Under one minute — never "0 min" while the contact is still waiting. */
  | { readonly kind: 'under_minute' }
  /** Whole minutes, rounded up (≥ 1; a multiple of 15 above 60). */
  | { readonly kind: 'minutes'; readonly minutes: number };

/**
 * Rounds up, so the estimate is a promise we tend to beat: 4.5 min → 5 min, 61 min → 75 min
 * ("1 h 15 min"). Never decreases as `ms` grows.
 */
export function displayWait(ms: number | null): WaitDisplay {
  if (ms === null || Number.isNaN(ms)) return { kind: 'unknown' };
  if (ms < MINUTE) return { kind: 'under_minute' };
  const minutes = Math.ceil(ms / MINUTE);
  if (minutes <= 60) return { kind: 'minutes', minutes };
  return { kind: 'minutes', minutes: Math.ceil(minutes / LONG_WAIT_STEP_MINUTES) * LONG_WAIT_STEP_MINUTES };
}

export function sameWaitDisplay(a: WaitDisplay, b: WaitDisplay): boolean {
  if (a.kind === 'minutes' && b.kind === 'minutes') return a.minutes === b.minutes;
  return a.kind === b.kind;
}

/** "5 min", "1 h", "1 h 15 min" — the units read the same in Spanish and English. */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
