import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { BenchChild } from './bench-children.js';
import { cpuSnapshot } from './cpu-sampler.js';
import { closedLoop, LoopbackClient, type PreparedPost } from './http-load.js';
import { perSecond, summarize, type LatencySummary } from './stats.js';

export interface BaselineResult {
  name: string;
  what: string;
  seconds: number;
  concurrency: number;
  completed: number;
  errors: number;
  perSecond: number;
  latencyMs: LatencySummary;
  /** CPU milliseconds per operation spent by the server side (Fastify process / PostgreSQL). */
  serverCpuMsPerOp: number;
}

/** Fastify hello-world in its own process, hit by the same client loop as the webhook. */
export async function fastifyHelloBaseline(options: {
  posts: PreparedPost[];
  concurrency: number;
  seconds: number;
  logFile: string;
}): Promise<BaselineResult> {
  const child = await BenchChild.start({ name: 'hello', env: { BENCH_ROLE: 'hello' }, logFile: options.logFile });
  const client = new LoopbackClient(child.url ?? '', options.concurrency);
  try {
    const hello = options.posts.map((p) => ({ ...p, path: '/hello' }));
    // Warm-up (JIT, connections), not measured.
    await closedLoop({ concurrency: options.concurrency, durationMs: 500, run: async (i) => (await client.post(hello[i % hello.length]!)).status });
    const before = await child.request({ type: 'usage' }, 'usage');
    const result = await closedLoop({
      concurrency: options.concurrency,
      durationMs: options.seconds * 1000,
      run: async (i) => (await client.post(hello[i % hello.length]!)).status,
    });
    const after = await child.request({ type: 'usage' }, 'usage');
    const elapsed = result.finished - result.started;
    const serverCpuMs = (after.userUs + after.systemUs - before.userUs - before.systemUs) / 1000;
    return {
      name: 'fastify-hello',
      what: 'Fastify 5 hello-world (POST of the same signed bodies, JSON reply, logger off), own process, keep-alive client',
      seconds: elapsed / 1000,
      concurrency: options.concurrency,
      completed: result.completed,
      errors: result.errors,
      perSecond: perSecond(result.completed, elapsed),
      latencyMs: summarize(result.latencies),
      serverCpuMsPerOp: serverCpuMs / result.completed,
    };
  } finally {
    client.close();
    await child.stop();
  }
}

/** Autocommitted single-row INSERTs through a pg Pool: the floor of any durable write. */
export async function pgInsertBaseline(options: {
  databaseUrl: string;
  schema: string;
  poolSize: number;
  concurrency: number;
  seconds: number;
}): Promise<BaselineResult> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize, options: `-c search_path=${options.schema}` });
  try {
    await pool.query(`CREATE TABLE IF NOT EXISTS bench_raw_insert (
      id bigserial PRIMARY KEY, phone text NOT NULL, body text NOT NULL, created_at timestamptz(3) NOT NULL DEFAULT now())`);
    const insert = (i: number) =>
      pool.query({ name: 'bench-raw-insert', text: 'INSERT INTO bench_raw_insert (phone, body) VALUES ($1, $2)', values: [`+5255${10_000_000 + (i % 5000)}`, `mensaje ${i}`] });
    await closedLoop({ concurrency: options.concurrency, durationMs: 500, run: async (i) => (await insert(i), 200) });
    const t0 = performance.now();
    const cpuBefore = cpuSnapshot();
    const result = await closedLoop({ concurrency: options.concurrency, durationMs: options.seconds * 1000, run: async (i) => (await insert(i), 200) });
    const cpuAfter = cpuSnapshot();
    const elapsed = result.finished - t0;
    const postgresCpuMs = ((cpuAfter.services['postgres'] ?? 0) - (cpuBefore.services['postgres'] ?? 0)) * 1000;
    return {
      name: 'pg-insert',
      what: `raw single-row INSERT, autocommit, pg.Pool max ${options.poolSize}, ${options.concurrency} in flight`,
      seconds: elapsed / 1000,
      concurrency: options.concurrency,
      completed: result.completed,
      errors: result.errors,
      perSecond: perSecond(result.completed, elapsed),
      latencyMs: summarize(result.latencies),
      serverCpuMsPerOp: postgresCpuMs / result.completed,
    };
  } finally {
    await pool.end();
  }
}
