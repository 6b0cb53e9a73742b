import { randomBytes } from 'node:crypto';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openDatabase, type Config } from '@ventanilla/hub';
import { BenchChild } from '../ingest/bench-children.js';
import { LoopbackClient, openLoop, type LoopResult } from '../ingest/http-load.js';
import type { SqlStatementStat } from '../ingest/child-protocol.js';
import type { ProcessCpu } from '../ingest/ingest-report.js';
import { usageDelta, usageSnapshot } from '../ingest/process-usage.js';
import { summarize, type LatencySummary } from '../ingest/stats.js';
import { prepareLiveWorld } from './live-fixtures.js';
import { LiveObserver } from './live-observer.js';
import { citizenPosts } from './live-posts.js';
import type { BenchLog } from './run-env.js';
import { verifyStorm, type StormVerification } from './storm-verify.js';

/**
 * Arrival → offer on a live hub (issue 3): hub child processes (bench-hub-process.ts: API and
 * worker apart, or one "all" process), citizens posting signed webhooks at a fixed rate from
 * distinct phones (open loop: latency counts from each post's due time), a supervisor's socket
 * timestamping message.created (ingest done) and conversation.offered (router done) on the same
 * clock. Agents are all available with room to spare, so every conversation can be offered at once.
 */

export interface LiveOptions {
  env: Record<string, string>;
  config: Config;
  agents: number;
  rate: number;
  seconds: number;
  warmup: number;
  topology: 'split' | 'single';
  log: BenchLog;
  /** Receives each child as it starts, so that the caller's cleanup can stop it. */
  children: BenchChild[];
}

export interface LiveResult {
  topology: 'split' | 'single';
  agents: number;
  textSlots: number;
  rate: number;
  seconds: number;
  posts: number;
  acked: number;
  errors: number;
  errorKinds: Record<string, number>;
  /** Posts sent per second over the sending window. */
  achievedRate: number;
  maxSendLagMs: number;
  ackMs: LatencySummary;
  /** Due time → message.created on the socket: the ingest alone (stored, published). */
  ingestMs: LatencySummary;
  /** Due time → conversation.offered on the socket. */
  offerMs: LatencySummary;
  /** message.created → conversation.offered, per conversation: the router's own share. */
  routerMs: LatencySummary;
  offered: number;
  notOffered: number;
  reoffers: number;
  /** First post due → last offer seen. */
  offersPerSecond: number;
  waitOutcome: string;
  db: {
    /** interaction_events occurred_at (PostgreSQL clock): conversation.opened → conversation.offered. */
    openedToOfferedMs: LatencySummary;
    openedToQueuedMs: LatencySummary;
    queuedToOfferedMs: LatencySummary;
    /** Transactions that claimed offers for the measured conversations (distinct xmin of the offers rows). */
    claimTransactions: number;
    offersPerClaim: LatencySummary;
  };
  cpu: ProcessCpu;
  /** Statements of the worker (the router's process) during the measured phase, most total time first. */
  workerSql: SqlStatementStat[];
  verification: StormVerification;
  logFile: string;
}

export async function runLive(options: LiveOptions): Promise<LiveResult> {
  const { config, log } = options;
  const runId = randomBytes(3).toString('hex');
  const logFile = join(tmpdir(), `ventanilla-router-db-${runId}.log`);
  log(`live: schema ${config.DATABASE_SCHEMA}, ${options.agents} agents, hub logs ${logFile}`);
  const fixtures = await prepareLiveWorld(config, options.agents);

  // The process running the router times its statements (bench-hub-process.ts, BENCH_TRACE_SQL).
  const childEnv = (role: string): Record<string, string> => ({ ...options.env, HUB_ROLE: role, PORT: '0', BENCH_ROLE: 'hub', ...(role === 'api' ? {} : { BENCH_TRACE_SQL: '1' }) });
  const start = async (name: string, role: string): Promise<BenchChild> => {
    const child = await BenchChild.start({ name, env: childEnv(role), logFile });
    options.children.push(child);
    return child;
  };
  const api = options.topology === 'split' ? await start('api', 'api') : await start('hub', 'all');
  const worker = options.topology === 'split' ? await start('worker', 'worker') : api;
  const url = api.url ?? '';
  log(`live: hub ${options.topology} (${options.children.map((c) => `${c.name} pid ${c.pid}`).join(', ')}) at ${url}`);

  const observer = new LiveObserver();
  const client = new LoopbackClient(url, 64);
  try {
    await observer.connect(url, fixtures.observerToken);
    const send = (phase: string, count: number, rate: number, firstCitizen: number) => {
      const posts = citizenPosts({ channelId: fixtures.channelId, secret: fixtures.secret, phase, count, firstCitizen, runId });
      observer.track(phase, count);
      return openLoop({ rate, count, run: async (i) => (await client.post(posts[i] as (typeof posts)[number])).status });
    };

    // Warm-up at half rate (JIT, pools, first passes), then the measured phase.
    const warm = await send('w', options.warmup, Math.max(50, Math.floor(options.rate / 2)), 0);
    await observer.waitForOffers('w', warm.completed, { idleMs: 5_000, deadline: performance.now() + 30_000 });
    log(`live: warm-up ${options.warmup} posts, ${observer.offeredCount('w')} offered`);

    const count = options.rate * options.seconds;
    await worker.request({ type: 'sql-stats', reset: true }, 'sql-stats');
    const before = await usageSnapshot(options.children);
    const loop = await send('m', count, options.rate, options.warmup);
    const waitOutcome = await observer.waitForOffers('m', loop.completed, { idleMs: 10_000, deadline: performance.now() + 60_000 });
    const after = await usageSnapshot(options.children);
    const sqlStats = await worker.request({ type: 'sql-stats' }, 'sql-stats');
    const workerSql = Array.isArray(sqlStats.stats) ? [] : sqlStats.stats.statements.slice(0, 15);
    log(`live: sent ${count} at ${options.rate}/s, ${loop.completed} acked, ${observer.offeredCount('m')} offered (${waitOutcome})`);

    const measured = measure(loop, observer, 'm');
    const db = await dbTimings(config, measured.conversationIds);
    const verification = await verifyLive(config);
    return {
      topology: options.topology,
      agents: options.agents,
      textSlots: 4,
      rate: options.rate,
      seconds: options.seconds,
      posts: count,
      acked: loop.completed,
      errors: loop.errors,
      errorKinds: loop.errorKinds,
      achievedRate: (count * 1000) / (loop.finished - loop.started),
      maxSendLagMs: loop.maxLagMs,
      ackMs: summarize(loop.latencies),
      ...measured.latencies,
      reoffers: observer.reoffers,
      waitOutcome,
      db,
      cpu: usageDelta(before, after, cpus().length),
      workerSql,
      verification,
      logFile,
    };
  } finally {
    observer.close();
    client.close();
  }
}

function measure(loop: LoopResult & { maxLagMs: number }, observer: LiveObserver, phase: string) {
  const { createdAt, offeredAt, conversationIds } = observer.timesOf(phase);
  const n = loop.sentAt.length;
  const ingest = new Float64Array(n).fill(NaN);
  const offer = new Float64Array(n).fill(NaN);
  const router = new Float64Array(n).fill(NaN);
  let offered = 0;
  let lastOffer = -Infinity;
  for (let i = 0; i < n; i++) {
    const due = loop.sentAt[i] ?? NaN;
    const created = createdAt[i] ?? NaN;
    const off = offeredAt[i] ?? NaN;
    ingest[i] = created - due;
    offer[i] = off - due;
    router[i] = off - created;
    if (Number.isFinite(off)) {
      offered++;
      lastOffer = Math.max(lastOffer, off);
    }
  }
  return {
    conversationIds: conversationIds.filter((id): id is string => id !== undefined),
    latencies: {
      ingestMs: summarize(ingest),
      offerMs: summarize(offer),
      routerMs: summarize(router),
      offered,
      notOffered: n - offered,
      offersPerSecond: offered > 0 ? (offered * 1000) / (lastOffer - loop.started) : 0,
    },
  };
}

async function dbTimings(config: Config, conversationIds: string[]): Promise<LiveResult['db']> {
  const db = await openDatabase(config);
  try {
    const rows = (
      await sql<{ opened: number | null; queued: number | null; offered: number | null }>`
        SELECT extract(epoch FROM min(occurred_at) FILTER (WHERE type = 'conversation.opened')) * 1000 AS opened,
               extract(epoch FROM min(occurred_at) FILTER (WHERE type = 'conversation.queued')) * 1000 AS queued,
               extract(epoch FROM min(occurred_at) FILTER (WHERE type = 'conversation.offered')) * 1000 AS offered
          FROM interaction_events WHERE conversation_id = ANY(${conversationIds}::uuid[]) GROUP BY conversation_id`.execute(db.kysely)
    ).rows;
    const diff = (a: number | null, b: number | null): number => (a === null || b === null ? NaN : Number(b) - Number(a));
    const claims = (
      await sql<{ n: string }>`
        SELECT count(*) AS n FROM offers WHERE conversation_id = ANY(${conversationIds}::uuid[]) GROUP BY xmin::text`.execute(db.kysely)
    ).rows;
    return {
      openedToOfferedMs: summarize(rows.map((r) => diff(r.opened, r.offered))),
      openedToQueuedMs: summarize(rows.map((r) => diff(r.opened, r.queued))),
      queuedToOfferedMs: summarize(rows.map((r) => diff(r.queued, r.offered))),
      claimTransactions: claims.length,
      offersPerClaim: summarize(claims.map((c) => Number(c.n))),
    };
  } finally {
    await db.close();
  }
}

async function verifyLive(config: Config): Promise<StormVerification> {
  const db = await openDatabase(config);
  try {
    return await verifyStorm(db.kysely);
  } finally {
    await db.close();
  }
}
