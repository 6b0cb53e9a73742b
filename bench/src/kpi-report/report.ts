import { fileURLToPath } from 'node:url';
import { writeReportFile, type BenchReport } from '../bench-report.js';
import { n0, n1, ratio } from '../report-format.js';
import { DAILY_TARGET_MS, type KpiReportResult } from './run-kpi-report.js';

const REPORT = fileURLToPath(new URL('../../reports/kpi-report-latest.md', import.meta.url));

export function dailyMet(result: KpiReportResult): boolean {
  const daily = result.timings[0];
  return daily !== undefined && daily.medianMs <= DAILY_TARGET_MS;
}

export function summaryLines(report: BenchReport<KpiReportResult | null>): string[] {
  const result = report.result;
  if (!result) return ['kpi-report: no result', ...report.errors];
  const lines = [
    `kpi-report: ${n0(result.seed.facts)} contacts, ${n0(result.seed.segments)} segments, ${n0(result.seed.intervals)} intervals (${result.settings.agents} agents), median of ${result.settings.repeats}`,
    `  ${result.baseline.name}: ${n1(result.baseline.medianMs)} ms`,
    ...result.timings.map((t) => `  ${t.name}: ${n1(t.medianMs)} ms (${ratio(t.medianMs, result.baseline.medianMs)} baseline, ${n0(t.rows)} rows)`),
    `  daily report target ≤ ${n0(DAILY_TARGET_MS)} ms: ${dailyMet(result) ? 'met' : 'NOT met'}; ${result.verified ? 'verified' : 'VERIFICATION FAILED'}: ${result.verification}`,
  ];
  return [...lines, ...report.errors.map((e) => `  error: ${e}`)];
}

export function writeKpiReport(report: BenchReport<KpiReportResult | null>): string {
  const result = report.result;
  const m = report.machine;
  const body = result
    ? [
        `## Data`,
        ``,
        `One campaign-day (2026-11-25, America/Mexico_City) seeded with generate_series: ${n0(result.seed.facts)} contact facts,`,
        `${n0(result.seed.segments)} agent segments, ${n0(result.seed.intervals)} state intervals for ${result.settings.agents} agents,`,
        `${result.settings.queues} queues, 3 channel kinds (seed ${n1(result.seed.seedMs / 1000)} s, ANALYZE ${n1(result.seed.analyzeMs / 1000)} s).`,
        ``,
        `## Timings (median of ${result.settings.repeats})`,
        ``,
        `| Query | Median | Runs (ms) | × baseline | Rows |`,
        `|---|---:|---|---:|---:|`,
        `| ${result.baseline.name} | ${n1(result.baseline.medianMs)} ms | ${result.baseline.runsMs.map(n0).join(', ')} | 1.00× | ${n0(result.baseline.rows)} |`,
        ...result.timings.map((t) => `| ${t.name} | ${n1(t.medianMs)} ms | ${t.runsMs.map(n0).join(', ')} | ${ratio(t.medianMs, result.baseline.medianMs)} | ${n0(t.rows)} |`),
        ``,
        `Target: the daily report (dailyKpis) ≤ ${n0(DAILY_TARGET_MS)} ms — **${dailyMet(result) ? 'met' : 'not met'}**.`,
        ``,
        `Verification: ${result.verified ? 'ok' : 'FAILED'} — ${result.verification}.`,
      ]
    : ['No result.'];
  const markdown = [
    `# KPI report benchmark (\`npm run bench:kpi-report\`)`,
    ``,
    `- Started ${report.startedAt}, ${n1(report.durationSeconds)} s; command \`${report.command}\``,
    `- Machine: ${m.cpus} × ${m.cpuModel}; Node ${m.node}; ${m.postgres}; load ${m.loadAverageAtStart.join(' / ')} → ${m.loadAverageAtEnd.join(' / ')}`,
    ``,
    ...body,
    ...(report.errors.length > 0 ? ['', '## Errors', '', ...report.errors.map((e) => `- ${e}`)] : []),
    '',
  ].join('\n');
  return writeReportFile(REPORT, markdown);
}
