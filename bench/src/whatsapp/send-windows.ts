/**
 * The most sends in any window of `windowMs` (sliding, not aligned to whole seconds): the
 * figure a per-number limit such as Meta's 80 messages/s is judged by. `times` in ms, any order.
 */
export function maxInWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** Sends per second between the first and the last send (n − 1 intervals); NaN below two sends. */
export function achievedRate(times: readonly number[]): number {
  if (times.length < 2) return NaN;
  const first = Math.min(...times);
  const last = Math.max(...times);
  return last > first ? ((times.length - 1) * 1000) / (last - first) : NaN;
}
