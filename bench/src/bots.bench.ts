/**
 * The bots' NLU (issue 7 "Benchmark"): training time of a 300 intents × 20 phrases Spanish
 * model and classifications per second with p50/p99 latency, each against NLP.js used directly
 * with the same data in the same run; the demo model's figures when it is present.
 *
 *   npm run bench:bots                 300 × 20, 3 training rounds a side, 10 test utterances per intent, 3-fold CV (≈ 1–2 min)
 *   npm run bench:bots -- --quick      60 × 20
 *   npm run bench:bots -- --help
 *
 * One process, no database: the NLU is pure computation. Writes bench/reports/bots-latest.md
 * and prints a summary.
 */
import { runBench } from './bench-main.js';
import { brokenRun, summaryLines, writeBotsReport } from './bots/bots-report.js';
import { parseBotsOptions } from './bots/options.js';
import { runBots } from './bots/run-bots.js';

async function main(): Promise<void> {
  const options = parseBotsOptions(process.argv.slice(2));
  await runBench({
    name: 'bots',
    budgetMs: 15 * 60_000,
    run: ({ log, attempt }) => attempt(null, () => runBots(options.settings, log)),
    conclude: (report) => ({
      writeReport: options.report ? () => writeBotsReport(report, options.quick) : null,
      summary: summaryLines(report),
      broken: !report.result || brokenRun(report.result),
    }),
  });
}

await main();
