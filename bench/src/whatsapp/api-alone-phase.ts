import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { BenchChild } from '../ingest/bench-children.js';
import { cpuDelta, cpuSnapshot } from '../ingest/cpu-sampler.js';
import { LoopbackClient, openLoop, type PreparedPost } from '../ingest/http-load.js';
import { perSecond, round } from '../ingest/stats.js';
import { ackFigures, type AckFigures } from './ack-figures.js';
import { machineShare } from './machine-share.js';
import { checkStoredOnce, type StoredOnceCheck } from './stored-once.js';

export interface ApiAloneAckResult extends AckFigures {
  apiCpuMsPerAck: number;
  /** Share of the API's event loop that was busy during the load (0–1). */
  apiEventLoop: number;
  /** Cores kept busy during the load: api, bench, postgres, redis-server, others (every other user), machine. */
  cpuCores: Record<string, number>;
  /** The measured webhooks, stored by the worker started after the load; drainSeconds from its ready. */
  stored: StoredOnceCheck;
  /** The warm-up's webhooks, queued before the measured ones: stored exactly once too. */
  warmupStored: StoredOnceCheck;
  /** End of the load → the worker process was ready. */
  workerStartSeconds: number;
  /** Messages (warm-up and measured) the worker stored per second while it drained the backlog. */
  drainedPerSecond: number;
  /** Worker CPU over the drain, per stored message (warm-up and measured). */
  workerCpuMsPerMessage: number;
}

type Usage = { userUs: number; systemUs: number };
const cpuMs = (before: Usage, after: Usage) => (after.userUs + after.systemUs - before.userUs - before.systemUs) / 1000;

/**
 * SPEC §8's webhook acknowledgement target (p99 ≤ 50 ms at 2,000 req/s) is about the
 * acknowledgement, so it is measured as the ingest bench does: the API process alone, the
 * worker not started, signed Cloud API posts at a fixed rate (open loop). Unlike the ingest
 * bench the queued jobs are kept: `startWorker` is called after the load, and every acknowledged
 * webhook (warm-up included) must then be stored exactly once — the ack is a promise to store.
 */
export async function runApiAloneAckPhase(input: {
  api: BenchChild;
  /** Starts the worker process (called once, after the load). */
  startWorker: () => Promise<BenchChild>;
  verify: pg.Pool;
  channelId: string;
  rate: number;
  connections: number;
  warmup: PreparedPost[];
  posts: PreparedPost[];
  wamidPrefix: string;
  warmupWamidPrefix: string;
}): Promise<ApiAloneAckResult> {
  const { posts, rate, verify, channelId } = input;
  const { warm, loop, apiBefore, apiAfter, machine, benchUsage } = await offerLoad(input);
  const loadMs = loop.finished - loop.started;

  const loadEnded = performance.now();
  const worker = await input.startWorker();
  const workerStartSeconds = (performance.now() - loadEnded) / 1000;
  const workerBefore = await worker.request({ type: 'usage' }, 'usage');
  // The measured posts were queued after the warm-up's, so once they are stored the backlog is.
  const stored = await checkStoredOnce({ verify, channelId, wamidPrefix: input.wamidPrefix, ackAt: loop.ackAt });
  const warmupStored = await checkStoredOnce({ verify, channelId, wamidPrefix: input.warmupWamidPrefix, ackAt: warm.ackAt });
  const workerAfter = await worker.request({ type: 'usage' }, 'usage');
  const drained = stored.rows + warmupStored.rows;

  const eluActive = apiAfter.eluActiveMs - apiBefore.eluActiveMs;
  const eluIdle = apiAfter.eluIdleMs - apiBefore.eluIdleMs;
  return {
    ...ackFigures(loop, { rate, messages: posts.length, connections: input.connections }),
    apiCpuMsPerAck: cpuMs(apiBefore, apiAfter) / Math.max(1, loop.completed),
    apiEventLoop: round(eluActive / (eluActive + eluIdle), 3),
    cpuCores: machineShare(machine, {
      api: cpuMs(apiBefore, apiAfter) / loadMs,
      bench: (benchUsage.user + benchUsage.system) / 1000 / loadMs,
    }),
    stored,
    warmupStored,
    workerStartSeconds,
    drainedPerSecond: perSecond(drained, stored.drainSeconds * 1000),
    workerCpuMsPerMessage: cpuMs(workerBefore, workerAfter) / Math.max(1, drained),
  };
}

/** The warm-up, then the measured load, with the API's and the machine's CPU over the latter. */
async function offerLoad(input: { api: BenchChild; rate: number; connections: number; warmup: PreparedPost[]; posts: PreparedPost[] }) {
  const { api, rate, posts } = input;
  const client = new LoopbackClient(api.url ?? '', input.connections);
  try {
    // Warm-up at the measured rate, not measured: connections, JIT and caches are ready.
    const warm = await openLoop({ rate, count: input.warmup.length, run: async (i) => (await client.post(input.warmup[i]!)).status });
    const apiBefore = await api.request({ type: 'usage' }, 'usage');
    const machineBefore = cpuSnapshot();
    const benchBefore = process.cpuUsage();
    const loop = await openLoop({ rate, count: posts.length, run: async (i) => (await client.post(posts[i]!)).status });
    const machine = cpuDelta(machineBefore, cpuSnapshot(), cpus().length);
    const benchUsage = process.cpuUsage(benchBefore);
    const apiAfter = await api.request({ type: 'usage' }, 'usage');
    return { warm, loop, apiBefore, apiAfter, machine, benchUsage };
  } finally {
    client.close();
  }
}
