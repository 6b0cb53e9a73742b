import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Who may scrape /metrics. Unset METRICS_TOKEN: anyone who reaches the port (restrict it by
 * network, as the README's production section says). Set: only `Authorization: Bearer <token>`,
 * compared in constant time — the figures name queues, campaigns' load and error rates.
 */
export function metricsScrapeAllowed(token: string | undefined, authorization: string | undefined): boolean {
  if (!token) return true;
  const match = /^Bearer (.+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}
