import { afterAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../bench/src/router-db/report.js';
import { runStorm } from '../../bench/src/router-db/storm.js';
import { SMALL_STORM } from '../../bench/src/router-db/storm-world.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { testReport } from './bench-test-run.js';

/**
 * Keeps the router-db benchmark (npm run bench:router-db) compiling and working: the shift-start
 * storm at a small size through the same code — seeding, raw baseline, claim diagnosis, the hub's
 * RouterService passes, the checks and the report. Asserts the invariants, never timings.
 */
describe('router-db benchmark: shift-start storm, small', () => {
  const config = testConfig();
  afterAll(() => dropNamespaces(config));

  it('offers the free slots through the hub router and every invariant holds', async () => {
    const result = await runStorm({ config, settings: { ...SMALL_STORM, agents: 200, conversations: 800 }, baseline: true, diagnose: true, repeats: 2 });

    const failed = result.verification.checks.filter((c) => !c.ok);
    expect(failed).toEqual([]);
    expect(result.verification.ok).toBe(true);
    // The second storm starts from the data the reset restored: same offers, checks pass again.
    expect(result.allRunsOk).toBe(true);
    expect(result.repeats.map((r) => r.offered)).toEqual([result.offered, result.offered]);
    expect(result.target).toBe(800);
    expect(result.offered).toBeGreaterThan(700);
    expect(result.offered).toBeLessThanOrEqual(result.target);
    expect(result.offered).toBe(result.verification.offered);
    expect(result.passes.filter((p) => p.claimed > 0).length).toBeGreaterThan(0);
    expect(result.passes[0]?.phases.stepsMs.claim).toBeGreaterThan(0);
    expect(result.baseline?.rows).toBe(800);

    const { result: storm, ...run } = testReport(result);
    const markdown = renderReport({ ...run, storm, live: null });
    expect(markdown).toContain('## 1. Shift-start storm');
    expect(markdown).toContain('| seats above capacity | 0 | 0 | ok |');
  }, 120_000);
});
