/**
 * Wallboard update latency (issue 9 item 4: "updated ≤ 1 s after events"): N campaigns of agents
 * and queues on one hub process, a supervisor socket per board, a stream of agent state changes;
 * event → snapshot received at the socket p50/p95/p99, the hub's own event → emit, snapshots/s,
 * and a raw socket.io emit in the same process as the baseline.
 *
 *   npm run bench:wallboard                       10 campaigns × 20 agents, 40 changes/s for 20 s
 *   npm run bench:wallboard -- --quick            3 campaigns × 10 agents, 20/s for 8 s
 *   npm run bench:wallboard -- --campaigns 20 --agents 30 --rate 80 --seconds 30
 *
 * PostgreSQL and Redis are the running servers; the run's schema and prefix are dropped at the end.
 * Writes bench/reports/wallboard-latest.md.
 */
import { runBench } from './bench-main.js';
import { runConfig, runEnvironment } from './router-db/run-env.js';
import { summaryLines, writeReport, percentile } from './wallboard/report.js';
import { runWallboard, type WallboardSettings } from './wallboard/run-wallboard.js';

function parse(argv: string[]): WallboardSettings {
  const quick = argv.includes('--quick');
  const settings: WallboardSettings = quick ? { campaigns: 3, queues: 2, agents: 10, rate: 20, seconds: 8 } : { campaigns: 10, queues: 2, agents: 20, rate: 40, seconds: 20 };
  for (const key of ['campaigns', 'queues', 'agents', 'rate', 'seconds'] as const) {
    const at = argv.indexOf(`--${key}`);
    if (at < 0) continue;
    const value = Number(argv[at + 1]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${key} necesita un entero ≥ 1 / needs an integer ≥ 1`);
    settings[key] = value;
  }
  return settings;
}

await runBench({
  name: 'wallboard',
  budgetMs: 5 * 60_000,
  async run({ log, dropAtEnd, attempt }) {
    const settings = parse(process.argv.slice(2));
    const config = dropAtEnd(runConfig(runEnvironment('wallboard', { HUB_ROLE: 'all', PORT: '0', HOST: '127.0.0.1' })));
    return attempt(null, () => runWallboard(config, settings, log));
  },
  conclude: (report) => ({
    writeReport: () => writeReport(report),
    summary: summaryLines(report),
    // Figures to distrust: events whose snapshot never came, or a p99 over the 1-s requirement.
    broken: !report.result || report.result.matched < report.result.events || percentile(report.result.clientLatencyMs, 99) > 1000,
  }),
});
