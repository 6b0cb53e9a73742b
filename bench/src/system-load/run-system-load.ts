import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { openDatabase, type Config } from '@ventanilla/hub';
import { createQueues } from '../../../hub/src/queues/queues.js';
import type { BenchScope, StoppableChild } from '../bench-main.js';
import { BenchChild } from '../ingest/bench-children.js';
import { cpuDelta, cpuSnapshot, type CpuDelta } from '../ingest/cpu-sampler.js';
import { SmtpSink } from '../mass-mail/smtp-sink.js';
import { REDIS_URL } from '../router-db/run-env.js';
import { AgentFleet } from './agent-fleet.js';
import { runHelloBaseline, type HelloBaseline } from './baseline.js';
import { prepareLoadWorld } from './fixtures.js';
import { HubHttp } from './hub-http.js';
import { driveLoad } from './load-driver.js';
import { LoadMetrics, parseReplyMarker, type ChannelFigures, type LoadChannel } from './load-metrics.js';
import { channelLoad, type ChannelLoad } from './load-profile.js';
import type { SystemLoadOptions } from './options.js';
import { ProcessSampler, type ProcessFigures } from './process-sampler.js';
import { Waiters } from '../widget/waiters.js';
import { startProviderDouble } from './provider-double.js';
import { freePort } from '../../../test/multiprocess/router-stress/hub-cluster.js';

export interface SystemLoadResult {
  options: Pick<SystemLoadOptions, 'minutes' | 'scale' | 'agents' | 'textSessions' | 'acceptDelayMs' | 'replyDelayMs' | 'citizenDelayMs'>;
  load: ChannelLoad;
  /** Expected webhook-style requests per second (for the baseline's rate). */
  expectedRequestsPerSecond: number;
  measuredSeconds: number;
  channels: Record<LoadChannel, ChannelFigures>;
  errors: Record<string, number>;
  allAckMs: ChannelFigures['ackMs'];
  allE2eMs: ChannelFigures['e2eMs'];
  fleet: { offers: number; accepted: number; acceptFailed: number; ronaReturns: number; resolved: number; heldAtEnd: number; waitingAtEnd: number };
  /** Samples of the fleet during the window: conversations held by an agent / waiting for one. */
  heldSamples: number[];
  waitingSamples: number[];
  providers: Record<string, number>;
  smtpAccepted: number;
  processes: ProcessFigures[];
  eventLoopUtilization: Record<string, number>;
  apiLagP99Ms: number[];
  machine: CpuDelta;
  baseline: HelloBaseline | null;
  checks: { overCapacityAgents: number; duplicateInbound: number; storedInbound: number; storedOutbound: number; openConversations: number };
}

/**
 * The system load test: provider doubles, the world, the Fastify baseline at the run's rate, the
 * hub as deployed (API and worker processes), 200 agents over socket.io, then the mixed profile
 * for `minutes` (after a warm-up that is not counted), then the figures and the checks.
 */
export async function runSystemLoad(input: { options: SystemLoadOptions; env: Record<string, string>; config: Config; logFile: string; scope: Pick<BenchScope<StoppableChild>, 'log' | 'children' | 'attempt'> }): Promise<SystemLoadResult> {
  const { options, config, scope } = input;
  const { log } = scope;
  const load = channelLoad(options.scale);
  for (const line of load.arithmetic) log(line);
  const metrics = new LoadMetrics();
  const replies = new Waiters();
  const auth = { graphToken: '', twilio: new Map<string, string>() };
  const provider = await startProviderDouble({
    auth,
    onSend: (_kind, text, at) => {
      const marker = parseReplyMarker(text);
      if (marker) replies.settle(`[re ${marker.key} ${marker.n}]`, at);
    },
  });
  const sink = await SmtpSink.start();
  scope.children.push({ stop: () => sink.stop(), kill: () => void sink.stop() });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createQueues(redis, config.REDIS_PREFIX);
  let http: HubHttp | null = null;
  let fleet: AgentFleet | null = null;
  try {
    const world = await prepareLoadWorld(config, { agents: options.agents, textSessions: options.textSessions, providerUrl: provider.url, smtpPort: sink.port });
    auth.graphToken = world.graphToken;
    auth.twilio.set(world.channels.sms.accountSid, world.channels.sms.authToken);
    auth.twilio.set(world.channels.voice.accountSid, world.channels.voice.authToken);
    log(`world: ${world.agents.length} agents in ${world.campaignIds.length} campaigns; schema ${config.DATABASE_SCHEMA}; provider double ${provider.url}; SMTP sink :${sink.port}`);

    const expected = expectedRate(load, options);
    const baseline = await scope.attempt('baseline', () => runHelloBaseline({ rate: Math.max(20, Math.round(expected)), seconds: options.baselineSeconds, logFile: input.logFile }));
    if (baseline) log(`baseline: Fastify hello-world at ${baseline.rate}/s: p50/p99 ${baseline.latencyMs.p50.toFixed(1)}/${baseline.latencyMs.p99.toFixed(1)} ms`);

    // A fixed port: Twilio signs the public URL, so the hub must know it before it listens.
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const start = async (role: 'api' | 'worker') => {
      const child = await BenchChild.start({
        name: role,
        env: { ...input.env, LOG_LEVEL: options.logLevel, PORT: role === 'api' ? String(port) : '0', PUBLIC_URL: url, BENCH_ROLE: 'hub', HUB_ROLE: role },
        logFile: input.logFile,
      });
      scope.children.push(child);
      return child;
    };
    const api = await start('api');
    const worker = await start('worker');
    log(`hub: api pid ${api.pid} at ${url}, worker pid ${worker.pid}`);

    http = new HubHttp(url, 256);
    fleet = new AgentFleet(url, http, metrics, options);
    await fleet.connect(world.agents);
    log(`${world.agents.length} agents connected`);

    const ctx = { url, http, channels: world.channels, metrics, replies, queues, citizenDelayMs: options.citizenDelayMs, patienceMs: 180_000, runId: randomBytes(2).toString('hex') };
    const measureMs = options.minutes * 60_000;
    const warmupMs = Math.min(60_000, Math.max(10_000, measureMs / 10));
    const t0 = performance.now();
    const deadline = t0 + warmupMs + measureMs;
    log(`load: warm-up ${warmupMs / 1000} s, then ${options.minutes} min measured (≈ ${expected.toFixed(0)} requests/s expected)`);
    const driving = driveLoad(ctx, load, deadline);

    await sleepUntil(t0 + warmupMs);
    const lag = async () => {
      const res = await http?.request('GET', '/metrics', null, null);
      const match = /^hub_nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(res?.body ?? '');
      return match?.[1] ? Number(match[1]) * 1000 : NaN;
    };
    const sampler = new ProcessSampler([...[api, worker].map((c) => ({ name: c.name, pid: c.pid })), { name: `bench (load + ${world.agents.length} agents)`, pid: process.pid }], 5000, lag);
    const heldSamples: number[] = [];
    const waitingSamples: number[] = [];
    const fleetTimer = setInterval(() => {
      heldSamples.push(fleet?.held() ?? 0);
      waitingSamples.push(fleet?.waiting() ?? 0);
    }, 5000);
    const eluBefore = await Promise.all([api, worker].map((c) => c.request({ type: 'usage' }, 'usage')));
    const cpuBefore = cpuSnapshot();
    sampler.start();
    metrics.startMeasuring();
    const progress = setInterval(() => log(`  ${summaryLine(metrics, fleet)}`), 30_000);

    await sleepUntil(deadline);
    metrics.stopMeasuring();
    clearInterval(progress);
    clearInterval(fleetTimer);
    sampler.stop();
    const cpuAfter = cpuSnapshot();
    const eluAfter = await Promise.all([api, worker].map((c) => c.request({ type: 'usage' }, 'usage')));
    log(`load window over: ${summaryLine(metrics, fleet)}; letting the last conversations finish`);
    // Citizens mid-conversation finish (or give up); nothing after the window is counted.
    await within(driving, 60_000);
    fleet.stop();
    // Whoever still waits gives up now (not counted: the window is closed), so the run can end.
    replies.cancelAll();
    await within(driving, 20_000);

    const eventLoopUtilization: Record<string, number> = {};
    [api, worker].forEach((c, i) => {
      const a = eluAfter[i];
      const b = eluBefore[i];
      if (a && b) eventLoopUtilization[c.name] = (a.eluActiveMs - b.eluActiveMs) / (a.eluActiveMs - b.eluActiveMs + a.eluIdleMs - b.eluIdleMs);
    });
    const checks = await verify(config, options.textSessions);
    const smtp = await sink.count().catch(() => ({ messages: NaN }));
    return {
      options: { minutes: options.minutes, scale: options.scale, agents: options.agents, textSessions: options.textSessions, acceptDelayMs: options.acceptDelayMs, replyDelayMs: options.replyDelayMs, citizenDelayMs: options.citizenDelayMs },
      load,
      expectedRequestsPerSecond: expected,
      measuredSeconds: (metrics.measureEndedAt - metrics.measureStartedAt) / 1000,
      channels: metrics.figures(),
      errors: metrics.errors,
      allAckMs: metrics.allAcks(),
      allE2eMs: metrics.allE2e(),
      fleet: { offers: fleet.offers, accepted: fleet.accepted, acceptFailed: fleet.acceptFailed, ronaReturns: fleet.ronaReturns, resolved: fleet.resolved, heldAtEnd: fleet.held(), waitingAtEnd: fleet.waiting() },
      heldSamples,
      waitingSamples,
      providers: { ...provider.counts },
      smtpAccepted: smtp.messages,
      processes: sampler.figures(),
      eventLoopUtilization,
      apiLagP99Ms: sampler.extra,
      machine: cpuDelta(cpuBefore, cpuAfter, cpus().length),
      baseline,
      checks,
    };
  } finally {
    fleet?.close();
    http?.close();
    await queues.close().catch(() => undefined);
    redis.disconnect();
    await provider.stop();
  }
}

/** Requests per second the profile should produce: chat messages from the think times, plus the open loops. */
function expectedRate(load: ChannelLoad, options: SystemLoadOptions): number {
  const mid = ([a, b]: [number, number]) => (a + b) / 2;
  const cycleSeconds = (mid(options.replyDelayMs) + mid(options.citizenDelayMs)) / 1000 + 0.2;
  const chats = (load.webchatCitizens + load.whatsappCitizens) / cycleSeconds;
  return chats + load.smsConversationsPerSecond * load.smsMessagesPerConversation + load.emailsPerSecond + load.voiceEventsPerSecond;
}

function summaryLine(metrics: LoadMetrics, fleet: AgentFleet | null): string {
  const f = metrics.figures();
  const parts = Object.entries(f).map(([c, v]) => `${c} ${v.acked}/${v.delivered}/${v.replies}`);
  const errors = Object.values(metrics.errors).reduce((a, b) => a + b, 0);
  return `acked/delivered/replied: ${parts.join(', ')}; held ${fleet?.held() ?? 0}, waiting ${fleet?.waiting() ?? 0}; errors ${errors}`;
}

/** What must hold after any load: no agent over capacity, no inbound message stored twice. */
async function verify(config: Config, textSessions: number): Promise<SystemLoadResult['checks']> {
  const db = await openDatabase(config);
  try {
    const k = db.kysely;
    const over = await sql<{ n: string }>`
      SELECT count(*) AS n FROM (
        SELECT c.assignee_id FROM conversations c JOIN channels ch ON ch.id = c.channel_id
         WHERE c.assignee_id IS NOT NULL AND c.closed_at IS NULL AND ch.kind IN ('whatsapp', 'webchat', 'sms')
         GROUP BY c.assignee_id HAVING count(*) > ${textSessions}) t`.execute(k);
    const dup = await sql<{ n: string }>`
      SELECT count(*) AS n FROM (SELECT 1 FROM messages WHERE direction = 'inbound' AND provider_message_id IS NOT NULL GROUP BY channel_id, provider_message_id HAVING count(*) > 1) t`.execute(k);
    const counts = await sql<{ direction: string; n: string }>`SELECT direction, count(*) AS n FROM messages GROUP BY direction`.execute(k);
    const open = await sql<{ n: string }>`SELECT count(*) AS n FROM conversations WHERE closed_at IS NULL`.execute(k);
    const n = (rows: Array<{ n: string }>) => Number(rows[0]?.n ?? NaN);
    return {
      overCapacityAgents: n(over.rows),
      duplicateInbound: n(dup.rows),
      storedInbound: Number(counts.rows.find((r) => r.direction === 'inbound')?.n ?? 0),
      storedOutbound: Number(counts.rows.find((r) => r.direction === 'outbound')?.n ?? 0),
      openConversations: n(open.rows),
    };
  } finally {
    await db.close();
  }
}

/** Waits for `p`, at most `ms` (a timer that does not hold the process open). */
async function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  await Promise.race([p, timeout]);
  clearTimeout(timer);
}

function sleepUntil(at: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));
}
