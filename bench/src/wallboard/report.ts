import { join } from 'node:path';
import type { BenchReport } from '../bench-report.js';
import { writeReportFile } from '../bench-report.js';
import { n0, n1, ratio } from '../report-format.js';
import type { WallboardResult } from './run-wallboard.js';

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const row = (label: string, v: readonly number[]) => `| ${label} | ${n0(v.length)} | ${n1(percentile(v, 50))} | ${n1(percentile(v, 95))} | ${n1(percentile(v, 99))} | ${n1(Math.max(...v))} |`;

export function summaryLines(report: BenchReport<WallboardResult | null>): string[] {
  const r = report.result;
  if (!r) return ['wallboard: no result', ...report.errors];
  return [
    `wallboard: ${r.settings.campaigns} campaigns × ${r.settings.agents} agents, ${r.events} state changes at ${r.settings.rate}/s`,
    `  event → snapshot at the socket: p50 ${n1(percentile(r.clientLatencyMs, 50))} ms, p95 ${n1(percentile(r.clientLatencyMs, 95))} ms, p99 ${n1(percentile(r.clientLatencyMs, 99))} ms (${r.matched}/${r.events} matched)`,
    `  hub event → emit: p50 ${n1(percentile(r.hubLatencyMs, 50))} ms, p99 ${n1(percentile(r.hubLatencyMs, 99))} ms; ${n1(r.snapshotsPerSecond)} snapshots/s, ≤ ${r.maxPerCampaignSecond} per campaign-second`,
    `  baseline raw socket.io emit: p50 ${n1(percentile(r.baselineMs, 50))} ms, p99 ${n1(percentile(r.baselineMs, 99))} ms`,
  ];
}

export function writeReport(report: BenchReport<WallboardResult | null>): string {
  const r = report.result;
  const lines = [
    '# Wallboard update latency (`npm run bench:wallboard`)',
    '',
    `Run ${report.startedAt}, ${n1(report.durationSeconds)} s, \`${report.command}\`; ${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}, ${report.machine.postgres}; load ${report.machine.loadAverageAtStart.join(' / ')} → ${report.machine.loadAverageAtEnd.join(' / ')} (shared machine).`,
    '',
  ];
  if (r) {
    lines.push(
      `One hub process (HUB_ROLE=all) with ${r.settings.campaigns} campaigns × ${r.settings.agents} agents × ${r.settings.queues} queues and one supervisor socket watching each board. ${r.events} agent state changes through \`PUT /agents/me/state\` at ${r.settings.rate}/s over ${r.settings.seconds} s.`,
      '',
      '**Client latency** = request sent → the first `wallboard.updated` received whose row for that agent shows the change (or a later one). **Hub latency** = the snapshot’s own `latencyMs` (the event announced → snapshot emitted, also in `hub_wallboard_update_latency_seconds`). **Baseline** = a raw socket.io server emitting a payload of the mean snapshot size to one client in the same process.',
      '',
      '| Latency (ms) | n | p50 | p95 | p99 | max |',
      '|---|---:|---:|---:|---:|---:|',
      row('event → snapshot at the socket', r.clientLatencyMs),
      row('hub: event → emit', r.hubLatencyMs),
      row('baseline: raw socket.io emit', r.baselineMs),
      '',
      `Snapshots: ${n0(r.snapshots)} (${n1(r.snapshotsPerSecond)}/s), mean ${n0(r.meanSnapshotBytes)} bytes; at most ${r.maxPerCampaignSecond} per campaign in any second (coalescing: one per 250 ms). Matched ${r.matched} of ${r.events} events. p50 against the baseline: ${ratio(percentile(r.clientLatencyMs, 50), percentile(r.baselineMs, 50))}.`,
    );
  }
  if (report.errors.length > 0) lines.push('', '## Errors', '', ...report.errors.map((e) => `- ${e.split('\n')[0]}`));
  return writeReportFile(join(process.cwd(), 'bench/reports/wallboard-latest.md'), `${lines.join('\n')}\n`);
}
