/**
 * Fuzzing of every webhook decoder and of the widget protocol (issue 12 item 5), at full size:
 * 100,000 inputs per pure decoder (random JSON, random bytes, mutations of the recorded provider
 * fixtures; signed and forged) and 100,000 requests per webhook POST route, widget REST and widget
 * socket through a real hub (PostgreSQL, Redis, workers), 10,000 per handshake route. A target
 * fails on a throw other than DecodeError, an invalid event, a forged request accepted, a 5xx, a
 * bad socket ack; the run also counts unhandled rejections and checks /healthz at the end.
 * `npm test` runs the same targets smaller (test/fuzz).
 *
 *   npm run bench:fuzz                                  the full run (tens of minutes)
 *   npm run bench:fuzz -- --runs 10000 --http-runs 2000 a quicker run
 *   npm run bench:fuzz -- --seed 42 --no-report
 *
 * Writes bench/reports/fuzz-latest.md: per target the inputs run, the outcomes or statuses seen
 * and the duration.
 */
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startHubProcess, type Config, type HubProcess } from '@ventanilla/hub';
import { decoderTargets } from '../../test/fuzz/decoder-targets.js';
import { FUZZ_SEED } from '../../test/fuzz/fuzz-arbitraries.js';
import { runFuzzTarget } from '../../test/fuzz/fuzz-runner.js';
import { createWebhookChannels, invalidInboundJobs, voiceRoute, webhookRoutes, type StatusCounts } from '../../test/fuzz/webhook-http-fuzz.js';
import { connectFuzzSocket, fuzzWidgetRest, fuzzWidgetSocket } from '../../test/fuzz/widget-fuzz.js';
import { createCampaign } from '../../test/support/factories.js';
import { createWebchatChannel, startVisitor } from '../../test/webchat/widget-harness.js';
import { runBench } from './bench-main.js';
import { writeReportFile, type BenchReport } from './bench-report.js';
import { n0, n1 } from './report-format.js';
import { runConfig, runEnvironment, type BenchLog } from './router-db/run-env.js';

const REPORT = fileURLToPath(new URL('../reports/fuzz-latest.md', import.meta.url));

interface Settings {
  readonly runs: number;
  readonly httpRuns: number;
  readonly seed: number;
  readonly report: boolean;
}

interface TargetRow {
  readonly layer: 'decoder' | 'http' | 'socket';
  readonly name: string;
  readonly inputs: number;
  /** Outcomes (decoders), statuses (HTTP) or acks (socket), by count. */
  readonly seen: StatusCounts;
  readonly durationMs: number;
  /** Null when it held; else the first line of the failure (the whole report is in the errors). */
  readonly failure: string | null;
}

interface FuzzBenchResult {
  readonly settings: Settings;
  readonly rows: TargetRow[];
  readonly unhandledRejections: string[];
  readonly invalidJobs: string[];
  readonly healthz: number | null;
}

function parseSettings(argv: readonly string[]): Settings {
  const num = (flag: string, fallback: number) => {
    const at = argv.indexOf(flag);
    const value = at >= 0 ? Number(argv[at + 1]) : fallback;
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${flag} must be a positive integer`);
    return value;
  };
  return { runs: num('--runs', 100_000), httpRuns: num('--http-runs', 100_000), seed: num('--seed', FUZZ_SEED), report: !argv.includes('--no-report') };
}

/** Runs one target, timing it; a failure becomes the row's status and a report error. */
async function measure(rows: TargetRow[], errors: string[], log: BenchLog, row: Pick<TargetRow, 'layer' | 'name'>, body: () => Promise<{ inputs: number; seen: StatusCounts }>): Promise<void> {
  const t0 = performance.now();
  try {
    const { inputs, seen } = await body();
    rows.push({ ...row, inputs, seen, durationMs: performance.now() - t0, failure: null });
    log(`${row.name}: ${n0(inputs)} inputs, ${n1((performance.now() - t0) / 1000)} s — ${JSON.stringify(seen)}`);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    rows.push({ ...row, inputs: 0, seen: {}, durationMs: performance.now() - t0, failure: text.split('\n').find((l) => l.trim() !== '') ?? 'failed' });
    errors.push(`${row.name}: ${text}${error instanceof Error && error.cause instanceof Error ? `\n  caused by: ${error.cause.stack ?? error.cause.message}` : ''}`);
    log(`${row.name}: FAILED — ${text.split('\n')[0]}`);
  }
}

async function runFuzzBench(settings: Settings, config: Config, log: BenchLog, errors: string[]): Promise<FuzzBenchResult> {
  const rows: TargetRow[] = [];
  const rejections: string[] = [];
  const onRejection = (reason: unknown) => void rejections.push(reason instanceof Error ? (reason.stack ?? reason.message) : String(reason));
  process.on('unhandledRejection', onRejection);
  log(`seed ${settings.seed}; ${n0(settings.runs)} inputs per decoder, ${n0(settings.httpRuns)} requests per route`);

  for (const target of decoderTargets()) {
    await measure(rows, errors, log, { layer: 'decoder', name: target.name }, async () => {
      const r = runFuzzTarget(target, settings.runs, settings.seed);
      return { inputs: r.runs, seen: r.outcomes };
    });
  }

  let hub: HubProcess | null = null;
  let invalidJobs: string[] = [];
  let healthz: number | null = null;
  try {
    hub = await startHubProcess(config);
    const app = hub.app;
    if (!app) throw new Error('the hub process serves no HTTP');
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db, { prefix: 'FUZZ' });
    const channels = await createWebhookChannels(db, campaign.id);
    const options = { numRuns: settings.httpRuns, seed: settings.seed };
    for (const route of webhookRoutes(channels)) {
      const numRuns = route.name.startsWith('GET') ? Math.max(1, Math.round(settings.httpRuns / 10)) : settings.httpRuns;
      await measure(rows, errors, log, { layer: 'http', name: route.name }, async () => ({ inputs: numRuns, seen: await route.run(app, { ...options, numRuns }) }));
    }
    for (const leaf of ['incoming', 'status'] as const) {
      const route = voiceRoute(channels.voiceChannelId, leaf);
      await measure(rows, errors, log, { layer: 'http', name: route.name }, async () => ({ inputs: settings.httpRuns, seen: await route.run(app, options) }));
    }

    const webchat = await createWebchatChannel(db, campaign.id);
    const token = (await startVisitor(app, webchat.id)).visitorToken;
    await measure(rows, errors, log, { layer: 'http', name: 'widget REST /widget/v1/*' }, async () => ({ inputs: settings.httpRuns, seen: await fuzzWidgetRest(app, { channelId: webchat.id, token }, options) }));
    const socket = await connectFuzzSocket(hub.url ?? '', token);
    try {
      await measure(rows, errors, log, { layer: 'socket', name: 'widget socket /widget' }, async () => {
        const r = await fuzzWidgetSocket(socket, options);
        if (!socket.connected) throw new Error('the widget socket was disconnected');
        return { inputs: r.emitted, seen: r.acks };
      });
    } finally {
      socket.disconnect();
    }
    invalidJobs = await invalidInboundJobs(hub.ctx);
    healthz = (await app.inject({ method: 'GET', url: '/healthz' })).statusCode;
  } finally {
    await hub?.stop();
    process.off('unhandledRejection', onRejection);
  }
  return { settings, rows, unhandledRejections: rejections, invalidJobs, healthz };
}

function seenText(seen: StatusCounts): string {
  return Object.entries(seen)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${n0(v)}`)
    .join(', ');
}

function broken(r: FuzzBenchResult): boolean {
  return r.rows.some((row) => row.failure !== null) || r.unhandledRejections.length > 0 || r.invalidJobs.length > 0 || r.healthz !== 200;
}

function summaryLines(report: BenchReport<FuzzBenchResult | null>): string[] {
  const r = report.result;
  if (!r) return ['fuzz: no result', ...report.errors];
  return [
    `fuzz: seed ${r.settings.seed}, ${r.rows.length} targets, ${r.rows.filter((row) => row.failure !== null).length} failed`,
    ...r.rows.map((row) => `  ${row.failure === null ? 'ok  ' : 'FAIL'} ${row.name}: ${n0(row.inputs)} inputs in ${n1(row.durationMs / 1000)} s${row.failure ? ` — ${row.failure}` : ''}`),
    `  unhandled rejections: ${r.unhandledRejections.length}; acknowledged jobs the worker would refuse: ${r.invalidJobs.length}; /healthz after: ${r.healthz ?? 'no answer'}`,
  ];
}

function writeFuzzReport(report: BenchReport<FuzzBenchResult | null>): string {
  const r = report.result;
  const m = report.machine;
  const body = r
    ? [
        `Seed ${r.settings.seed} (replay one target with \`FUZZ_SEED=${r.settings.seed}\` in test/fuzz, or \`--seed\` here).`,
        `${n0(r.settings.runs)} inputs per pure decoder; ${n0(r.settings.httpRuns)} requests per POST route, widget REST and socket (handshake GET routes: a tenth).`,
        ``,
        `| Layer | Target | Inputs | Seen | Duration | Status |`,
        `|---|---|---:|---|---:|---|`,
        ...r.rows.map((row) => `| ${row.layer} | ${row.name} | ${n0(row.inputs)} | ${seenText(row.seen) || '—'} | ${n1(row.durationMs / 1000)} s | ${row.failure === null ? 'ok' : `**failed**: ${row.failure.replaceAll('|', '\\|')}`} |`),
        ``,
        `Unhandled rejections: ${r.unhandledRejections.length}. Acknowledged webhook jobs the ingest worker would refuse: ${r.invalidJobs.length}. \`/healthz\` afterwards: ${r.healthz ?? 'no answer'}.`,
        ``,
        `Decoder outcomes: \`signed\`/\`signed-refused\` = the correctly signed variant verified or not (forged variants must always be refused);`,
        `then \`events\`, \`unsupported\`, \`no_events\` or \`decode_error\` (DecodeError → 400). HTTP: status codes. Socket: acks by \`ok\` or error code.`,
        ...(r.unhandledRejections.length > 0 ? ['', '## Unhandled rejections', '', ...r.unhandledRejections.slice(0, 20).map((e) => `- ${e.split('\n')[0]}`)] : []),
        ...(r.invalidJobs.length > 0 ? ['', '## Jobs the worker would refuse', '', ...r.invalidJobs.slice(0, 20).map((e) => `- ${e}`)] : []),
      ]
    : ['No result.'];
  return writeReportFile(
    REPORT,
    [
      `# Fuzzing benchmark (\`npm run bench:fuzz\`)`,
      ``,
      `- Started ${report.startedAt}, ${n1(report.durationSeconds)} s; command \`${report.command}\``,
      `- Machine: ${m.cpus} × ${m.cpuModel}; Node ${m.node}; PostgreSQL ${m.postgres}; load ${m.loadAverageAtStart.join(' / ')} → ${m.loadAverageAtEnd.join(' / ')}`,
      ``,
      ...body,
      ...(report.errors.length > 0 ? ['', '## Errors', '', ...report.errors.map((e) => `- ${e.replaceAll('\n', '\n  ')}`)] : []),
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2));
  const errors: string[] = [];
  await runBench({
    name: 'fuzz',
    budgetMs: 120 * 60_000,
    async run({ log, dropAtEnd, attempt }) {
      const config = dropAtEnd(runConfig(runEnvironment('fuzz', { LOG_LEVEL: 'silent', HUB_ROLE: 'all', PORT: '0', NODE_ENV: 'test', WEBHOOK_BAD_SIGNATURES_PER_IP_PER_MINUTE: '1000000' })));
      const result = await attempt(null, () => runFuzzBench(settings, config, log, errors));
      return result;
    },
    conclude: (report) => {
      const full = { ...report, errors: [...report.errors, ...errors] };
      return {
        writeReport: settings.report ? () => writeFuzzReport(full) : null,
        summary: summaryLines(full),
        broken: !report.result || broken(report.result),
      };
    },
  });
}

await main();
