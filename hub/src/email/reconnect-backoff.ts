/**
 * Wait before the next IMAP connection attempt: `base` doubling per consecutive failure up to
 * `max`, with "equal jitter" (half fixed, half random) so the readers of many mailboxes that lost
 * the same server do not all reconnect in the same second.
 */
export function reconnectDelay(failures: number, base: number, max: number, random: () => number = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
