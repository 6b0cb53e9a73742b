/**
 * KPI report speed (issue 9): dailyKpis and kpiSeries over one campaign-day of 1,000,000 contacts
 * (facts, agent segments and state intervals for 300 agents, written by generate_series), against
 * a raw single-pass `count/sum … GROUP BY queue_id` over the same rows. Target: daily report ≤ 2 s.
 *
 *   npm run bench:kpi-report                     1,000,000 contacts (≈ 2–4 min)
 *   npm run bench:kpi-report -- --rows 100000    a quicker run
 *   npm run bench:kpi-report -- --quick          50,000 contacts
 *   npm run bench:kpi-report -- --no-report      print only
 *
 * Runs on the running PostgreSQL (TEST_DATABASE_URL) in a schema of its own, dropped at the end.
 * Writes bench/reports/kpi-report-latest.md.
 */
import { runBench } from './bench-main.js';
import { parseKpiReportOptions } from './kpi-report/options.js';
import { dailyMet, summaryLines, writeKpiReport } from './kpi-report/report.js';
import { runKpiReportBench } from './kpi-report/run-kpi-report.js';
import { runConfig, runEnvironment } from './router-db/run-env.js';

async function main(): Promise<void> {
  const options = parseKpiReportOptions(process.argv.slice(2));
  await runBench({
    name: 'kpi-report',
    budgetMs: 20 * 60_000,
    async run({ log, dropAtEnd, attempt }) {
      const config = dropAtEnd(runConfig(runEnvironment('kpireport', { LOG_LEVEL: 'warn' })));
      return attempt(null, () => runKpiReportBench({ settings: options.settings, config, log }));
    },
    conclude: (report) => ({
      writeReport: options.report ? () => writeKpiReport(report) : null,
      summary: summaryLines(report),
      broken: !report.result || !report.result.verified || !dailyMet(report.result),
    }),
  });
}

await main();
