/** Redis keys the wallboard's processes share (under the hub's REDIS_PREFIX). */
export function wallboardKeys(prefix: string, campaignId: string) {
  const base = `${prefix}:wb:${campaignId}`;
  return {
    /** Present while some process has a socket watching this campaign (refreshed by the tick). */
    watched: `${base}:watched`,
    /**
     * Hash: readAt (ms the last snapshot's live read began), emittedAt (ms it was emitted),
     * dayReadAt (ms the shared day figures were read from the facts).
     */
    state: `${base}:state`,
    /** Build lock: one process builds a campaign's snapshot at a time. */
    lock: `${base}:lock`,
    /** Hash: threshold id → ms the alert started. */
    alerts: `${base}:alerts`,
    /** JSON: the day figures every process's snapshots show (wallboard-day-figures.ts). */
    day: `${base}:day`,
  };
}

export const WATCHED_TTL_MS = 30_000;
