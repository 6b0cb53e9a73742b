/** Latency summaries in microseconds from raw samples (nearest-rank quantiles, no histogram). */
export interface LatencyUs {
  count: number;
  mean: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export function summarizeUs(samples: readonly number[]): LatencyUs {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  const at = (q: number): number => sorted[Math.max(0, Math.ceil(q * n) - 1)] ?? NaN;
  let sum = 0;
  for (const value of sorted) sum += value;
  return { count: n, mean: n > 0 ? sum / n : NaN, p50: at(0.5), p99: at(0.99), p999: at(0.999), max: sorted[n - 1] ?? NaN };
}

/** Elapsed microseconds since `start` (process.hrtime.bigint()). */
export function microsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1_000;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
}
