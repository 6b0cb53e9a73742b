/**
 * Ingest benchmark (issue 2, SPEC §8): citizen messages posted to the API-channel webhook →
 * stored in PostgreSQL → delivered to a connected agent's socket.
 *
 *   npm run bench:ingest                       full run (≈ 2–3 min)
 *   npm run bench:ingest -- --quick            ≈ 20–30 s smoke run
 *   npm run bench:ingest -- --messages 20000 --concurrency 64 --rate 1000 --seconds 15
 *   npm run bench:ingest -- --topology single  API and worker in one hub process
 *   npm run bench:ingest -- --profile          V8 CPU profiles of the hub children
 *   npm run bench:ingest -- --trace-sql        per-statement timings inside the worker
 *
 * Topology (default "split"): the hub API (HTTP + socket.io) and the ingest worker run as two
 * child processes (bench-hub-process.ts); this process generates the load and holds the agent
 * socket. PostgreSQL and Redis are the running servers; everything goes over loopback. A random
 * schema and Redis prefix are used and dropped at the end; children are stopped (killed if need be).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Redis } from 'ioredis';
import { loadConfig, migrate, openDatabase } from '@ventanilla/hub';
import { dropNamespaces, TEST_DATABASE_URL, TEST_JWT_SECRET, TEST_REDIS_URL } from '../../test/support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../../test/support/factories.js';
import { tokenFor } from '../../test/support/auth.js';
import { AgentReceiver, type PhaseTracker } from './ingest/agent-receiver.js';
import { fastifyHelloBaseline, pgInsertBaseline, type BaselineResult } from './ingest/baselines.js';
import { BenchChild } from './ingest/bench-children.js';
import { buildPhaseMessages } from './ingest/bench-messages.js';
import type { JobStats, SqlStats } from './ingest/child-protocol.js';
import { cpuDelta, cpuSnapshot, type CpuSnapshot } from './ingest/cpu-sampler.js';
import { closedLoop, LoopbackClient, openLoop, type LoopResult } from './ingest/http-load.js';
import { markdown, textTable, type IngestReport, type PhaseResult, type ProcessCpu } from './ingest/ingest-report.js';
import { perSecond, round, summarize } from './ingest/stats.js';
import type { AckOnlyResult } from './ingest/ingest-report.js';

const REPORTS_DIR = fileURLToPath(new URL('../reports/', import.meta.url));

interface Options {
  quick: boolean;
  messages: number;
  rate: number;
  seconds: number;
  concurrency: number;
  citizens: number;
  baselineSeconds: number;
  topology: 'split' | 'single';
  ingestConcurrency: number | null;
  poolSize: number | null;
  logLevel: string;
  profile: boolean;
  traceSql: boolean;
  baselines: boolean;
  report: boolean;
  phases: Set<string>;
  ackRate: number;
  ackSeconds: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      messages: { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      concurrency: { type: 'string' },
      citizens: { type: 'string' },
      'baseline-seconds': { type: 'string' },
      topology: { type: 'string', default: 'split' },
      'ingest-concurrency': { type: 'string' },
      'pool-size': { type: 'string' },
      'log-level': { type: 'string', default: 'warn' },
      profile: { type: 'boolean', default: false },
      'trace-sql': { type: 'boolean', default: false },
      'no-baselines': { type: 'boolean', default: false },
      'no-report': { type: 'boolean', default: false },
      phases: { type: 'string', default: 'ack,throughput,rate' },
      'ack-rate': { type: 'string' },
      'ack-seconds': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      [
        'npm run bench:ingest -- [options]',
        '  --quick                 ~20-30 s smoke run (1,500 messages, 300 msg/s for 4 s, 1 s baselines)',
        '  --messages N            phase 1 (max throughput) messages            [20000]',
        '  --concurrency N         in-flight webhook requests (phase 1, baselines) [64]',
        '  --rate N --seconds S    phase 2 fixed rate (open loop)                [1000, 15]',
        '  --citizens N            distinct phones per phase                    [5000]',
        '  --baseline-seconds S    duration of each baseline                    [5]',
        '  --topology split|single API and worker in 2 processes, or 1          [split]',
        '  --ingest-concurrency N  INGEST_CONCURRENCY of the worker             [hub default]',
        '  --pool-size N           DATABASE_POOL_SIZE of the hub processes      [hub default]',
        '  --log-level L           LOG_LEVEL of the hub processes               [warn]',
        '  --ack-rate N --ack-seconds S  API-only webhook ack phase (split)      [2000, 5]',
        '  --phases ack,throughput,rate  which phases to run',
        '  --profile               --cpu-prof on the hub children (files listed at the end)',
        '  --trace-sql             time every SQL statement inside the worker',
        '  --no-baselines, --no-report',
        '',
      ].join('\n'),
    );
    process.exit(0);
  }
  const quick = values.quick;
  const int = (raw: string | undefined, fallback: number, name: string) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  const topology = values.topology;
  if (topology !== 'split' && topology !== 'single') throw new Error('--topology must be split or single');
  return {
    quick,
    messages: int(values.messages, quick ? 1500 : 20_000, 'messages'),
    rate: int(values.rate, quick ? 300 : 1000, 'rate'),
    seconds: int(values.seconds, quick ? 4 : 15, 'seconds'),
    concurrency: int(values.concurrency, 64, 'concurrency'),
    citizens: int(values.citizens, quick ? 1000 : 5000, 'citizens'),
    baselineSeconds: int(values['baseline-seconds'], quick ? 1 : 5, 'baseline-seconds'),
    topology,
    ingestConcurrency: values['ingest-concurrency'] === undefined ? null : int(values['ingest-concurrency'], 64, 'ingest-concurrency'),
    poolSize: values['pool-size'] === undefined ? null : int(values['pool-size'], 20, 'pool-size'),
    logLevel: values['log-level'],
    profile: values.profile,
    traceSql: values['trace-sql'],
    baselines: !values['no-baselines'],
    report: !values['no-report'],
    phases: new Set(values.phases.split(',').map((s) => s.trim())),
    ackRate: int(values['ack-rate'], 2000, 'ack-rate'),
    ackSeconds: int(values['ack-seconds'], quick ? 2 : 5, 'ack-seconds'),
  };
}

/** Our processes' CPU and event-loop counters, to turn two snapshots into per-phase usage. */
interface UsageSnapshot {
  cpu: CpuSnapshot;
  processes: Record<string, { cpuUs: number; eluActiveMs: number; eluIdleMs: number }>;
}

async function usageSnapshot(children: BenchChild[]): Promise<UsageSnapshot> {
  const processes: UsageSnapshot['processes'] = {};
  for (const child of children) {
    const u = await child.request({ type: 'usage' }, 'usage');
    processes[child.name] = { cpuUs: u.userUs + u.systemUs, eluActiveMs: u.eluActiveMs, eluIdleMs: u.eluIdleMs };
  }
  const own = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  processes['bench'] = { cpuUs: own.user + own.system, eluActiveMs: elu.active, eluIdleMs: elu.idle };
  return { cpu: cpuSnapshot(), processes };
}

function usageDelta(from: UsageSnapshot, to: UsageSnapshot, cores: number): ProcessCpu {
  const machine = cpuDelta(from.cpu, to.cpu, cores);
  const result: ProcessCpu = { cores: {}, eventLoop: {}, machine };
  for (const [name, end] of Object.entries(to.processes)) {
    const start = from.processes[name];
    if (!start) continue;
    result.cores[name] = round((end.cpuUs - start.cpuUs) / 1e6 / machine.wallSeconds, 3);
    const active = end.eluActiveMs - start.eluActiveMs;
    const idle = end.eluIdleMs - start.eluIdleMs;
    result.eventLoop[name] = round(active / (active + idle), 3);
  }
  for (const [name, v] of Object.entries(machine.servicesCores)) result.cores[name] = round(v, 3);
  return result;
}

/** Peak depth of the inbound queue (waiting + active jobs), sampled from Redis. */
class BacklogSampler {
  peak = 0;
  private timer: NodeJS.Timeout | null = null;
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}
  async depth(): Promise<number> {
    const base = `${this.prefix}:bull:inbound`;
    const [wait, active, prioritized, delayed] = await Promise.all([
      this.redis.llen(`${base}:wait`),
      this.redis.llen(`${base}:active`),
      this.redis.zcard(`${base}:prioritized`),
      this.redis.zcard(`${base}:delayed`),
    ]);
    return wait + active + prioritized + delayed;
  }
  start(): void {
    this.peak = 0;
    this.timer = setInterval(() => {
      this.depth()
        .then((d) => {
          this.peak = Math.max(this.peak, d);
        })
        .catch(() => undefined);
    }, 250);
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
  async waitEmpty(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if ((await this.depth()) === 0) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }
}

/**
 * Webhook acknowledgement alone (SPEC §8: p99 ≤ 50 ms at 2,000 req/s): the API process runs,
 * the worker is not started yet; the jobs it queued are dropped afterwards.
 */
async function runAckOnly(input: {
  api: BenchChild;
  options: Options;
  runId: string;
  channelId: string;
  secret: string;
  cores: number;
}): Promise<AckOnlyResult> {
  const { api, options } = input;
  const count = options.ackRate * options.ackSeconds;
  // Warm-up at the measured rate (1 s, not measured): connections, JIT, caches are ready.
  const warm = options.ackRate;
  const messages = buildPhaseMessages({ runId: input.runId, phase: 'pa', count: count + warm, citizens: options.citizens, citizenOffset: 80_000, channelId: input.channelId, secret: input.secret, seed: 3 });
  const client = new LoopbackClient(api.url ?? '', Math.max(options.concurrency, 64));
  try {
    const warmLoop = await openLoop({ rate: options.ackRate, count: warm, run: async (i) => (await client.post(messages.posts[count + i]!)).status });
    const warmup = summarize(warmLoop.latencies);
    const before = await api.request({ type: 'usage' }, 'usage');
    const cpuBefore = cpuSnapshot();
    const loop = await openLoop({ rate: options.ackRate, count, run: async (i) => (await client.post(messages.posts[i]!)).status });
    const after = await api.request({ type: 'usage' }, 'usage');
    const machine = cpuDelta(cpuBefore, cpuSnapshot(), input.cores);
    const drained = await api.request({ type: 'drain-inbound' }, 'drained', 60_000);
    const activeMs = after.eluActiveMs - before.eluActiveMs;
    const idleMs = after.eluIdleMs - before.eluIdleMs;
    const lastScheduled = loop.sentAt[count - 1] ?? loop.finished;
    return {
      rate: options.ackRate,
      seconds: options.ackSeconds,
      messages: count,
      achievedSendRate: perSecond(count - 1, lastScheduled - loop.started),
      ok: loop.completed,
      errors: loop.errors,
      errorKinds: loop.errorKinds,
      latencyMs: summarize(loop.latencies),
      schedulerMaxLagMs: loop.maxLagMs,
      apiCpuMsPerAck: (after.userUs + after.systemUs - before.userUs - before.systemUs) / 1000 / Math.max(1, loop.completed),
      apiEventLoop: round(activeMs / (activeMs + idleMs), 3),
      machineBusyCores: round(machine.machineBusyCores, 2),
      queuedJobsDropped: drained.waitingBefore,
      slowWindows: slowWindows(loop, 100, 50),
      warmupLatencyMs: warmup,
    };
  } finally {
    client.close();
  }
}

/** Windows of `windowMs` (by send time) whose worst ack latency exceeded `thresholdMs`: stalls, not noise. */
function slowWindows(loop: LoopResult, windowMs: number, thresholdMs: number): Array<{ atSeconds: number; requests: number; maxMs: number }> {
  const windows = new Map<number, { requests: number; maxMs: number }>();
  for (let i = 0; i < loop.latencies.length; i++) {
    const latency = loop.latencies[i] ?? NaN;
    const sent = loop.sentAt[i] ?? NaN;
    if (!Number.isFinite(latency) || !Number.isFinite(sent)) continue;
    const key = Math.floor((sent - loop.started) / windowMs);
    const w = windows.get(key) ?? { requests: 0, maxMs: 0 };
    w.requests++;
    w.maxMs = Math.max(w.maxMs, latency);
    windows.set(key, w);
  }
  return [...windows.entries()]
    .filter(([, w]) => w.maxMs > thresholdMs)
    .map(([key, w]) => ({ atSeconds: round((key * windowMs) / 1000, 1), requests: w.requests, maxMs: round(w.maxMs, 1) }));
}

function childLogEmpty(file: string): boolean {
  try {
    return statSync(file).size === 0;
  } catch {
    return true;
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const t0 = performance.now();
  const cores = cpus().length;
  const runId = randomBytes(4).toString('hex');
  const workDir = join(tmpdir(), `ventanilla-bench-${runId}`);
  mkdirSync(workDir, { recursive: true });
  const logFile = join(workDir, 'children.log');
  const notes: string[] = [];
  const log = (line: string) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);

  const hubEnv: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: `bench_${runId}`,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `bench${runId}`,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: options.logLevel,
    PORT: '0',
    BENCH_ROLE: 'hub',
  };
  if (options.ingestConcurrency) hubEnv['INGEST_CONCURRENCY'] = String(options.ingestConcurrency);
  if (options.poolSize) hubEnv['DATABASE_POOL_SIZE'] = String(options.poolSize);
  const config = loadConfig(hubEnv);

  const children: BenchChild[] = [];
  const receiver = new AgentReceiver();
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
  const verify = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2, options: `-c search_path=${config.DATABASE_SCHEMA}` });
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    receiver.close();
    await Promise.all(children.map((c) => c.stop().catch(() => c.kill())));
    await verify.end().catch(() => undefined);
    redis.disconnect();
    await dropNamespaces(config).catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
  };
  // Bounded: whatever happens, the run ends, cleans up and exits.
  const budgetMs = (options.quick ? 120 : 360) * 1000 + options.seconds * 1000;
  const watchdog = setTimeout(() => {
    log(`watchdog: still running after ${budgetMs / 1000} s, aborting`);
    void cleanup().finally(() => process.exit(2));
  }, budgetMs);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    // 1. Schema, campaign, API channel, one agent with a session.
    log(`schema ${config.DATABASE_SCHEMA}, redis prefix ${config.REDIS_PREFIX}, child logs ${logFile}`);
    const db = await openDatabase(config);
    let channelId: string;
    let secret: string;
    let token: string;
    let postgresVersion = '';
    try {
      await migrate(db);
      const campaign = await createCampaign(db.kysely, { prefix: 'BN', name: 'Bench' });
      ({ channel: { id: channelId }, secret } = await createApiChannel(db.kysely, campaign.id, { name: 'bench' }));
      const agent = await createUser(db.kysely, { roles: ['agent'], campaignIds: [campaign.id] });
      token = await tokenFor(db.kysely, agent.id);
    } finally {
      await db.close();
    }
    postgresVersion = String((await verify.query<{ v: string }>("SELECT split_part(version(), ' on ', 1) AS v")).rows[0]?.v ?? '');

    const warmup = buildPhaseMessages({ runId, phase: 'p0', count: options.quick ? 150 : 500, citizens: 200, citizenOffset: 90_000, channelId, secret, seed: 7 });

    // 2. Baselines, before the hub starts (nothing else of ours is running).
    let fastifyHello: BaselineResult | null = null;
    let pgInsert: BaselineResult | null = null;
    if (options.baselines) {
      log(`baseline: Fastify hello-world, ${options.baselineSeconds} s at c=${options.concurrency}`);
      fastifyHello = await fastifyHelloBaseline({ posts: warmup.posts, concurrency: options.concurrency, seconds: options.baselineSeconds, logFile });
      log(`  ${Math.round(fastifyHello.perSecond)} req/s, p99 ${fastifyHello.latencyMs.p99.toFixed(1)} ms`);
      log(`baseline: raw pg INSERT, ${options.baselineSeconds} s at c=${options.concurrency}`);
      pgInsert = await pgInsertBaseline({
        databaseUrl: TEST_DATABASE_URL,
        schema: config.DATABASE_SCHEMA,
        poolSize: config.DATABASE_POOL_SIZE,
        concurrency: options.concurrency,
        seconds: options.baselineSeconds,
      });
      log(`  ${Math.round(pgInsert.perSecond)} inserts/s, p99 ${pgInsert.latencyMs.p99.toFixed(1)} ms`);
    }

    // 3. The hub: API and worker in separate processes (split) or one "all" process (single).
    const childEnv = (role: string): Record<string, string> => ({
      ...hubEnv,
      HUB_ROLE: role,
      ...(options.traceSql ? { BENCH_TRACE_SQL: '1' } : {}),
    });
    const profileDir = options.profile ? join(workDir, 'profiles') : undefined;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const start = (name: string, role: string) =>
      BenchChild.start({ name, env: childEnv(role), logFile, ...(profileDir ? { cpuProfDir: profileDir } : {}) });
    let api: BenchChild;
    let worker: BenchChild;
    let ackOnly: AckOnlyResult | null = null;
    if (options.topology === 'split') {
      api = await start('api', 'api');
      children.push(api);
      if (options.phases.has('ack')) {
        log(`API only (no worker yet): webhook acks at ${options.ackRate}/s for ${options.ackSeconds} s`);
        ackOnly = await runAckOnly({ api, options, runId, channelId, secret, cores });
        log(`  ack p50/p99 ${ackOnly.latencyMs.p50.toFixed(1)}/${ackOnly.latencyMs.p99.toFixed(1)} ms, ${ackOnly.errors} errors, API CPU ${ackOnly.apiCpuMsPerAck.toFixed(3)} ms/ack`);
      }
      worker = await start('worker', 'worker');
      children.push(worker);
    } else {
      api = await start('hub', 'all');
      worker = api;
      children.push(api);
    }
    const url = api.url ?? '';
    log(`hub ${options.topology}: ${children.map((c) => `${c.name} pid ${c.pid}`).join(', ')} at ${url}`);
    await receiver.connect(url, token);
    const client = new LoopbackClient(url, Math.max(options.concurrency, 64));
    const backlog = new BacklogSampler(redis, config.REDIS_PREFIX);
    const post = async (posts: { path: string; body: Buffer; headers: Record<string, string> }[], i: number) => (await client.post(posts[i]!)).status;

    // Warm-up: JIT, pools, channel cache; not measured.
    {
      const tracker = receiver.track('p0', warmup.posts.length);
      await closedLoop({ concurrency: 16, count: warmup.posts.length, run: (i) => post(warmup.posts, i) });
      await tracker.waitForAll({ idleMs: 10_000, deadline: performance.now() + 30_000 });
      await backlog.waitEmpty(10_000);
      log(`warm-up: ${tracker.distinct}/${warmup.posts.length} delivered`);
      if (options.traceSql) await worker.request({ type: 'sql-stats', reset: true }, 'sql-stats');
    }

    const phases: PhaseResult[] = [];
    const runPhase = async (spec: {
      phase: string;
      title: string;
      mode: 'closed-loop' | 'open-loop';
      count: number;
      citizenOffset: number;
      seed: number;
      drainMs: number;
    }): Promise<PhaseResult> => {
      const messages = buildPhaseMessages({ runId, phase: spec.phase, count: spec.count, citizens: options.citizens, citizenOffset: spec.citizenOffset, channelId, secret, seed: spec.seed });
      const tracker: PhaseTracker = receiver.track(spec.phase, spec.count);
      const before = await usageSnapshot(children);
      backlog.start();
      let loop: LoopResult;
      let schedulerMaxLagMs: number | null = null;
      if (spec.mode === 'closed-loop') {
        loop = await closedLoop({ concurrency: options.concurrency, count: spec.count, run: (i) => post(messages.posts, i) });
      } else {
        const open = await openLoop({ rate: options.rate, count: spec.count, run: (i) => post(messages.posts, i) });
        schedulerMaxLagMs = open.maxLagMs;
        loop = open;
      }
      const sendEnd = performance.now();
      log(`  sent ${loop.completed} (${loop.errors} errors) in ${((sendEnd - loop.started) / 1000).toFixed(1)} s; waiting for deliveries`);
      const waitOutcome = await tracker.waitForAll({ idleMs: 10_000, deadline: sendEnd + spec.drainMs });
      backlog.stop();
      // One instant for every delivery counter (deliveries may still trickle in afterwards).
      const seen = { distinct: tracker.distinct, missing: tracker.missing, duplicates: tracker.duplicates, duplicateEventIds: tracker.duplicateEventIds, lastAt: tracker.lastAt };
      const hits = Uint16Array.from(tracker.hits);
      const backlogAtEnd = await backlog.depth();
      const after = await usageSnapshot(children);
      const cpu = usageDelta(before, after, cores);
      // E2E latency: socket receipt − send (closed loop) or scheduled send time (open loop).
      const e2e = new Float64Array(spec.count);
      for (let i = 0; i < spec.count; i++) e2e[i] = (tracker.receivedAt[i] ?? NaN) - (loop.sentAt[i] ?? NaN);
      const lastAck = loop.ackAt.reduce((a, b) => (Number.isFinite(b) && b > a ? b : a), -Infinity);
      // Only acknowledged messages must arrive; a refused one is the provider's to retry.
      let lostAfterAck = 0;
      let deliveredWithoutAck = 0;
      for (let i = 0; i < spec.count; i++) {
        const acked = Number.isFinite(loop.ackAt[i] ?? NaN);
        const delivered = (hits[i] ?? 0) > 0;
        if (acked && !delivered) lostAfterAck++;
        if (!acked && delivered) deliveredWithoutAck++;
      }
      const stored = await verify.query<{ rows: number; ids: number }>(
        'SELECT count(*)::int AS rows, count(DISTINCT provider_message_id)::int AS ids FROM messages WHERE channel_id = $1 AND provider_message_id LIKE $2',
        [channelId, `bench-${runId}-${spec.phase}-%`],
      );
      const jobStats: JobStats | null = (await worker.request({ type: 'job-stats', phase: spec.phase }, 'job-stats')).stats;
      let sql: SqlStats | null = null;
      if (options.traceSql) {
        const reply = await worker.request({ type: 'sql-stats', reset: true }, 'sql-stats');
        sql = Array.isArray(reply.stats) ? null : reply.stats;
      }
      const sendSeconds = (sendEnd - loop.started) / 1000;
      const lastScheduled = loop.sentAt[spec.count - 1] ?? sendEnd;
      return {
        phase: spec.phase,
        title: spec.title,
        mode: spec.mode,
        messages: spec.count,
        citizens: messages.citizens,
        concurrency: spec.mode === 'closed-loop' ? options.concurrency : Math.max(options.concurrency, 64),
        targetRate: spec.mode === 'open-loop' ? options.rate : null,
        sendSeconds,
        achievedSendRate: spec.mode === 'open-loop' ? perSecond(spec.count - 1, lastScheduled - loop.started) : perSecond(loop.completed, sendEnd - loop.started),
        schedulerMaxLagMs,
        acks: {
          ok: loop.completed,
          errors: loop.errors,
          errorKinds: loop.errorKinds,
          perSecond: perSecond(loop.completed, lastAck - loop.started),
          latencyMs: summarize(loop.latencies),
        },
        endToEnd: {
          delivered: seen.distinct,
          missing: seen.missing,
          missingAfterAck: lostAfterAck,
          deliveredWithoutAck,
          duplicates: seen.duplicates,
          duplicateEventIds: seen.duplicateEventIds,
          waitOutcome,
          seconds: (seen.lastAt - loop.started) / 1000,
          perSecond: perSecond(seen.distinct, seen.lastAt - loop.started),
          latencyMs: summarize(e2e),
        },
        stored: { rows: stored.rows[0]?.rows ?? 0, distinctProviderIds: stored.rows[0]?.ids ?? 0 },
        backlogPeak: backlog.peak,
        backlogAtEnd,
        worker: jobStats,
        cpu,
        cpuMsPerMessage: Object.fromEntries(
          [...Object.entries(cpu.cores), ['all of the above', Object.values(cpu.cores).reduce((a, b) => a + b, 0)] as const].map(([k, v]) => [
            k,
            round((v * cpu.machine.wallSeconds * 1000) / Math.max(1, seen.distinct), 3),
          ]),
        ),
        sql,
      };
    };

    if (options.phases.has('throughput')) {
      log(`phase 1 (max throughput): ${options.messages} messages, c=${options.concurrency}, ${options.citizens} citizens`);
      const p1 = await runPhase({ phase: 'p1', title: 'Phase 1 max throughput', mode: 'closed-loop', count: options.messages, citizenOffset: 0, seed: 1, drainMs: options.quick ? 20_000 : 60_000 });
      phases.push(p1);
      log(`  ${Math.round(p1.acks.perSecond)} acks/s, ${Math.round(p1.endToEnd.perSecond)} msgs/s e2e, p99 ${p1.endToEnd.latencyMs.p99.toFixed(0)} ms, missing ${p1.endToEnd.missing}`);
      if (options.phases.has('rate') && !(await backlog.waitEmpty(options.quick ? 15_000 : 30_000))) {
        notes.push(`The inbound queue still held ${await backlog.depth()} jobs when phase 2 started: phase 2 latencies include that backlog.`);
      }
    }
    if (options.phases.has('rate')) {
      const count = options.rate * options.seconds;
      log(`phase 2 (fixed rate): ${options.rate} msg/s for ${options.seconds} s = ${count} messages, ${options.citizens} new citizens`);
      const p2 = await runPhase({ phase: 'p2', title: `Phase 2 at ${options.rate}/s`, mode: 'open-loop', count, citizenOffset: options.citizens, seed: 2, drainMs: options.quick ? 15_000 : 50_000 });
      phases.push(p2);
      log(`  ack p99 ${p2.acks.latencyMs.p99.toFixed(1)} ms, e2e p50/p95/p99 ${p2.endToEnd.latencyMs.p50.toFixed(1)}/${p2.endToEnd.latencyMs.p95.toFixed(1)}/${p2.endToEnd.latencyMs.p99.toFixed(1)} ms, missing ${p2.endToEnd.missing}, duplicates ${p2.endToEnd.duplicates}`);
    }
    client.close();

    // 4. Report.
    const p1 = phases.find((p) => p.phase === 'p1');
    const p2 = phases.find((p) => p.phase === 'p2');
    const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 && Number.isFinite(a) ? round(a / b, 4) : null);
    const ratios: IngestReport['ratios'] = {
      'API-only ack p99 ÷ Fastify hello p99': ratio(ackOnly?.latencyMs.p99, fastifyHello?.latencyMs.p99),
      'API-only CPU per ack ÷ Fastify hello CPU per request': ratio(ackOnly?.apiCpuMsPerAck, fastifyHello?.serverCpuMsPerOp),
      'webhook acks/s ÷ Fastify hello req/s (phase 1)': ratio(p1?.acks.perSecond, fastifyHello?.perSecond),
      'webhook ack p99 ÷ Fastify hello p99 (phase 1)': ratio(p1?.acks.latencyMs.p99, fastifyHello?.latencyMs.p99),
      'end-to-end msgs/s ÷ Fastify hello req/s': ratio(p1?.endToEnd.perSecond, fastifyHello?.perSecond),
      'end-to-end msgs/s ÷ raw pg inserts/s': ratio(p1?.endToEnd.perSecond, pgInsert?.perSecond),
      'hub API CPU per message ÷ Fastify hello CPU per request (phase 1)': ratio(p1?.cpuMsPerMessage['api'] ?? p1?.cpuMsPerMessage['hub'], fastifyHello?.serverCpuMsPerOp),
      'PostgreSQL CPU per message ÷ per raw insert (phase 1)': ratio(p1?.cpuMsPerMessage['postgres'], pgInsert?.serverCpuMsPerOp),
    };
    const targets: IngestReport['targets'] = [];
    if (ackOnly) {
      targets.push({
        what: `webhook ack p99 at ${options.ackRate}/s (API only)`,
        target: '≤ 50 ms at 2,000 req/s',
        measured: `${ackOnly.latencyMs.p99.toFixed(1)} ms, ${ackOnly.errors} errors`,
        met: ackOnly.latencyMs.p99 <= 50 && ackOnly.errors === 0 && options.ackRate >= 2000,
      });
    }
    if (p1) targets.push({ what: 'end-to-end throughput', target: '≥ 2,000 msgs/s', measured: `${Math.round(p1.endToEnd.perSecond)} msgs/s`, met: p1.endToEnd.perSecond >= 2000 && p1.endToEnd.missingAfterAck === 0 });
    if (p2) {
      targets.push({
        what: `end-to-end p99 at ${options.rate}/s`,
        target: options.rate === 1000 ? '≤ 100 ms at 1,000/s' : '≤ 100 ms (spec: at 1,000/s)',
        measured: `${p2.endToEnd.latencyMs.p99.toFixed(1)} ms`,
        met: p2.endToEnd.latencyMs.p99 <= 100 && p2.endToEnd.missing === 0,
      });
    }
    for (const p of phases) {
      targets.push({
        what: `exactly once (${p.title})`,
        target: 'every acked message stored and delivered once',
        measured: `${p.endToEnd.missingAfterAck} acked but not delivered, ${p.endToEnd.duplicates} duplicated, ${p.stored.rows} stored for ${p.acks.ok} acked`,
        met:
          p.endToEnd.missingAfterAck > 0 && p.backlogAtEnd > 0
            ? null
            : p.endToEnd.missingAfterAck === 0 && p.endToEnd.duplicates === 0 && p.stored.rows === p.stored.distinctProviderIds && p.stored.rows >= p.acks.ok,
      });
      if (p.backlogAtEnd > 0) notes.push(`${p.title}: the wait for deliveries ended (${p.endToEnd.waitOutcome}) with ${p.backlogAtEnd} jobs still queued: the hub had not caught up, so exactly-once could not be verified for the undelivered part.`);
      if (p.acks.errors > 0) notes.push(`${p.title}: ${p.acks.errors} webhook requests were not acknowledged (${Object.entries(p.acks.errorKinds).map(([k, v]) => `${v} × ${k}`).join(', ')}); the provider would retry them, they are not counted as lost.`);
      if (p.endToEnd.missing > 0) notes.push(`${p.title}: ${p.endToEnd.missing} messages not delivered when the wait ended (${p.endToEnd.waitOutcome}), ${p.endToEnd.missingAfterAck} of them acknowledged; end-to-end figures count delivered messages only.`);
    }
    if (p2 && p2.schedulerMaxLagMs !== null && p2.schedulerMaxLagMs > 20) notes.push(`Phase 2: the load generator's schedule slipped by up to ${p2.schedulerMaxLagMs.toFixed(0)} ms (latencies are measured from the scheduled time, so this counts against us).`);
    if (receiver.unmatched > 0) notes.push(`${receiver.unmatched} message.created events did not carry a bench marker.`);
    notes.push(
      `Latency is measured in the bench process with one monotonic clock: from the moment a request is handed to the HTTP client (phase 1) or is due by the schedule (phase 2) to the moment the agent socket's message.created handler runs. Marker "[bench <phase> <index>]" in the message text correlates them.`,
    );
    const report: IngestReport = {
      benchmark: 'ingest',
      startedAt: startedAt.toISOString(),
      durationSeconds: round((performance.now() - t0) / 1000, 1),
      quick: options.quick,
      machine: { cpus: cores, node: process.versions.node, postgres: postgresVersion, loadAverageAtStart: loadavg().map((v) => round(v, 2)) },
      topology:
        options.topology === 'split'
          ? {
              name: 'split',
              description: 'hub API (HTTP + socket.io, HUB_ROLE=api) and ingest worker (HUB_ROLE=worker) in two child processes; load generator and agent socket in the bench process; PostgreSQL and Redis servers on loopback.',
              processes: { api: `pid ${api.pid}`, worker: `pid ${worker.pid}` },
            }
          : {
              name: 'single',
              description: 'one hub child process (HUB_ROLE=all: HTTP + socket.io + ingest worker); load generator and agent socket in the bench process; PostgreSQL and Redis servers on loopback.',
              processes: { hub: `pid ${api.pid}` },
            },
      settings: {
        messages: options.messages,
        concurrency: options.concurrency,
        rate: options.rate,
        seconds: options.seconds,
        citizens: options.citizens,
        INGEST_CONCURRENCY: config.INGEST_CONCURRENCY,
        DATABASE_POOL_SIZE: config.DATABASE_POOL_SIZE,
        LOG_LEVEL: config.LOG_LEVEL,
        traceSql: options.traceSql,
      },
      baselines: { fastifyHello, pgInsert },
      ackOnly,
      phases,
      ratios,
      targets,
      conversationsOpened: receiver.conversationsOpened,
      notes,
    };
    await cleanup();
    clearTimeout(watchdog);

    process.stdout.write(`\n${textTable(report)}\n`);
    if (options.report) {
      mkdirSync(REPORTS_DIR, { recursive: true });
      const day = startedAt.toISOString().slice(0, 10);
      const suffix = options.quick ? '-quick' : '';
      const jsonName = `ingest-${day}${suffix}.json`;
      writeFileSync(join(REPORTS_DIR, jsonName), `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(join(REPORTS_DIR, `ingest-latest${suffix}.md`), markdown(report, `bench/reports/${jsonName}`));
      process.stdout.write(`\nReports: bench/reports/${jsonName}, bench/reports/ingest-latest${suffix}.md\n`);
    }
    if (profileDir) process.stdout.write(`CPU profiles: ${profileDir} (summarise: node --import tsx bench/src/cpu-profile-summary.ts <dir>/<child>/CPU.*.0.001.cpuprofile)\n`);
    else if (childLogEmpty(logFile)) rmSync(workDir, { recursive: true, force: true });
    else process.stdout.write(`Hub child logs (warnings/errors): ${logFile}\n`);
  } catch (error) {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    log(`child logs: ${logFile}`);
    await cleanup();
    process.exitCode = 1;
  } finally {
    clearTimeout(watchdog);
  }
}

await main();
