import type { FuzzTarget, Outcome } from './decoder-targets.js';

export interface FuzzResult {
  name: string;
  runs: number;
  outcomes: Record<Outcome, number>;
  durationMs: number;
}

/** Runs one target `numRuns` times with the fixed seed; throws fast-check's report (with the seed and path) on a failure. */
export function runFuzzTarget(target: FuzzTarget, numRuns: number, seed: number): FuzzResult {
  const outcomes: Record<Outcome, number> = {};
  let runs = 0;
  const started = performance.now();
  target.run({ numRuns, seed }, (outcome) => {
    runs += 1;
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  });
  return { name: target.name, runs, outcomes, durationMs: performance.now() - started };
}
