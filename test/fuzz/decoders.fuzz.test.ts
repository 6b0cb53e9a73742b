import { describe, expect, it } from 'vitest';
import { decoderTargets } from './decoder-targets.js';
import { FUZZ_SEED } from './fuzz-arbitraries.js';
import { runFuzzTarget } from './fuzz-runner.js';

/**
 * Issue 12 item 5, pure layer: every webhook decoder (and the session/voice parsers) takes random
 * JSON, random bytes and mutations of the recorded provider fixtures without throwing anything
 * but DecodeError, never verifies a forged request and never emits an invalid event. The full
 * 100,000 inputs per decoder run in `npm run bench:fuzz`; CI runs this smaller count.
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 10_000);

describe(`webhook decoders under fuzzing (seed ${FUZZ_SEED}, ${RUNS} inputs each)`, () => {
  console.info(`fuzz seed ${FUZZ_SEED} (replay with FUZZ_SEED=${FUZZ_SEED})`);
  for (const target of decoderTargets()) {
    it(`${target.name}: no crash, refusals or unsupported events only`, { timeout: 120_000 }, () => {
      const result = runFuzzTarget(target, RUNS, FUZZ_SEED);
      expect(result.runs).toBe(RUNS);
      expect(Object.keys(result.outcomes).length).toBeGreaterThan(0);
    });
  }
});
