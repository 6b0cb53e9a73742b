import { describe, expect, it } from 'vitest';
import { brokenRun, renderBotsReport, summaryLines } from '../../bench/src/bots/bots-report.js';
import { parseBotsOptions } from '../../bench/src/bots/options.js';
import { runBots, type BotsSettings } from '../../bench/src/bots/run-bots.js';
import { syntheticModel } from '../../bench/src/bots/synthetic-model.js';
import { testReport } from './bench-test-run.js';

/**
 * Keeps the NLU benchmark (npm run bench:bots) compiling and working at a tiny scale: the
 * synthetic model's shape, both trainings, the three timed classification loops over every test
 * utterance, the cross-validation, the demo part and the report. Asserts counts and shape, never
 * speed.
 */
describe('bots NLU benchmark, small', () => {
  it('generates a deterministic synthetic model with unseen test utterances', () => {
    const a = syntheticModel({ intents: 10, phrasesPerIntent: 5, testPerIntent: 3, warmupPerIntent: 1 });
    const b = syntheticModel({ intents: 10, phrasesPerIntent: 5, testPerIntent: 3, warmupPerIntent: 1 });
    expect(a).toEqual(b);
    expect(a.model.intents).toHaveLength(10);
    for (const intent of a.model.intents) {
      expect(new Set(intent.phrases.es).size).toBe(5);
      expect(intent.phrases.en).toEqual([]);
    }
    expect(a.testSet).toHaveLength(30);
    expect(a.warmupSet).toHaveLength(10);
    const training = new Set(a.model.intents.flatMap((i) => i.phrases.es));
    expect(a.testSet.filter((t) => training.has(t.utterance))).toEqual([]);
    expect(new Set(a.testSet.map((t) => t.intent)).size).toBe(10);
  });

  it('trains ours and raw NLP.js, times every test utterance on each path, and reports', async () => {
    const settings: BotsSettings = { intents: 10, phrasesPerIntent: 5, testPerIntent: 2, warmupPerIntent: 1, trainingRounds: 2, crossValidate: true, demo: true };
    const lines: string[] = [];
    const result = await runBots(settings, (line) => lines.push(line));
    const s = result.synthetic;
    expect(s).toMatchObject({ intents: 10, phrases: 50, threshold: 0.5 });
    for (const loop of [s.ours.classify, s.raw.classify, s.raw.process]) {
      expect(loop.count).toBe(20);
      expect(loop.latencyMs.count).toBe(20);
      expect(loop.correct).not.toBeNull();
      expect(loop.correct).toBeLessThanOrEqual(20);
      expect(loop.latencyMs.p99).toBeGreaterThanOrEqual(loop.latencyMs.p50);
    }
    for (const side of [s.ours, s.raw]) {
      expect(side.trainRoundsMs).toHaveLength(2);
      expect(side.trainMs).toBe(Math.min(...side.trainRoundsMs));
      expect(side.trainMs).toBeGreaterThan(0);
    }
    // Ours wraps the same classifier: it may refuse a low-vocabulary match, never pick another intent.
    expect(s.agreement).toBe(1);
    expect(s.ours.classify.correct).toBeLessThanOrEqual(s.raw.classify.correct ?? 0);
    expect(s.exportBytes).toBeGreaterThan(0);
    expect(s.crossValidation).toMatchObject({ folds: 5 });
    expect(s.crossValidation?.accuracy).toBeGreaterThanOrEqual(0);
    expect(s.crossValidation?.accuracy).toBeLessThanOrEqual(1);
    // The demo model is another helper's; when present its held-out set is classified whole.
    if (typeof result.demo === 'string') expect(result.demo).toMatch(/not present|does not export/);
    else {
      expect(result.demo.classify.count).toBe(result.demo.heldOut);
      expect(result.demo.intents).toBeGreaterThan(0);
    }
    expect(lines.some((l) => l.startsWith('synthetic model: 10 intents, 50 phrases, 20 test utterances'))).toBe(true);
    expect(brokenRun(result)).toBe(false);

    const report = testReport(result, 2);
    const markdown = renderBotsReport(report);
    expect(markdown).toContain('## 1. Synthetic model: 10 intents × 5 Spanish phrases');
    expect(markdown).toContain('| **Ratio ours ÷ raw `classify()`** |');
    expect(markdown).toContain('## 2. Demo model');
    expect(markdown).not.toContain('Broken run');
    const summary = summaryLines(report).join('\n');
    expect(summary).toMatch(/classifications\/s\s+ours \d/);
    expect(summary).toMatch(/training, best of 2\s+ours \d/);
  }, 120_000);

  it('reads its command line', () => {
    expect(parseBotsOptions([]).settings).toMatchObject({ intents: 300, phrasesPerIntent: 20, trainingRounds: 3, crossValidate: true, demo: true });
    expect(parseBotsOptions(['--intents', '12', '--phrases', '4', '--rounds', '1', '--no-cv', '--no-demo', '--no-report'])).toMatchObject({
      report: false,
      settings: { intents: 12, phrasesPerIntent: 4, trainingRounds: 1, crossValidate: false, demo: false },
    });
    expect(() => parseBotsOptions(['--intents', '0'])).toThrow(/--intents must be a positive integer/);
  });
});
