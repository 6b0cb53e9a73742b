import type pg from 'pg';
import { cpus } from 'node:os';
import type { BenchChild } from '../ingest/bench-children.js';
import { cpuDelta, cpuSnapshot } from '../ingest/cpu-sampler.js';
import { machineShare } from './machine-share.js';
import { LoopbackClient, openLoop, type PreparedPost } from '../ingest/http-load.js';
import { ackFigures, type AckFigures } from './ack-figures.js';
import { checkStoredOnce, type StoredOnceCheck } from './stored-once.js';

export interface WebhookAckResult extends AckFigures {
  apiCpuMsPerAck: number;
  /** Worker CPU over the load and the drain, per stored message. */
  workerCpuMsPerMessage: number;
  /** Cores kept busy during the load: api, worker, bench, postgres, redis-server, others (every other user), machine. */
  cpuCores: Record<string, number>;
  stored: StoredOnceCheck;
}

type Usage = { userUs: number; systemUs: number };
const cpuMs = (before: Usage, after: Usage) => (after.userUs + after.systemUs - before.userUs - before.systemUs) / 1000;

/**
 * The WhatsApp webhook "with storage": signed Cloud API posts at a fixed rate (open loop) to
 * `POST /webhooks/whatsapp/:channelId` while the worker ingests them on the same machine, then
 * every acknowledged message must be stored exactly once. `warmup` posts go first at the same
 * rate, not measured. SPEC §8's acknowledgement target itself is api-alone-phase.ts.
 */
export async function runWebhookAckPhase(input: {
  api: BenchChild;
  worker: BenchChild;
  verify: pg.Pool;
  channelId: string;
  rate: number;
  connections: number;
  warmup: PreparedPost[];
  posts: PreparedPost[];
  wamidPrefix: string;
  warmupWamidPrefix: string;
}): Promise<WebhookAckResult> {
  const { api, worker, posts, rate } = input;
  const client = new LoopbackClient(api.url ?? '', input.connections);
  try {
    const warm = await openLoop({ rate, count: input.warmup.length, run: async (i) => (await client.post(input.warmup[i]!)).status });
    // The measured load starts once the worker has caught up with the warm-up: a steady state.
    await checkStoredOnce({ verify: input.verify, channelId: input.channelId, wamidPrefix: input.warmupWamidPrefix, ackAt: warm.ackAt });
    const apiBefore = await api.request({ type: 'usage' }, 'usage');
    const workerBefore = await worker.request({ type: 'usage' }, 'usage');
    const machineBefore = cpuSnapshot();
    const benchBefore = process.cpuUsage();
    const loop = await openLoop({ rate, count: posts.length, run: async (i) => (await client.post(posts[i]!)).status });
    const machine = cpuDelta(machineBefore, cpuSnapshot(), cpus().length);
    const benchUsage = process.cpuUsage(benchBefore);
    const apiAfter = await api.request({ type: 'usage' }, 'usage');
    const workerDuringLoad = await worker.request({ type: 'usage' }, 'usage');
    const loadMs = loop.finished - loop.started;
    const stored = await checkStoredOnce({ verify: input.verify, channelId: input.channelId, wamidPrefix: input.wamidPrefix, ackAt: loop.ackAt });
    const workerAfter = await worker.request({ type: 'usage' }, 'usage');
    return {
      ...ackFigures(loop, { rate, messages: posts.length, connections: input.connections }),
      apiCpuMsPerAck: cpuMs(apiBefore, apiAfter) / Math.max(1, loop.completed),
      workerCpuMsPerMessage: cpuMs(workerBefore, workerAfter) / Math.max(1, stored.rows),
      cpuCores: machineShare(machine, {
        api: cpuMs(apiBefore, apiAfter) / loadMs,
        worker: cpuMs(workerBefore, workerDuringLoad) / loadMs,
        bench: (benchUsage.user + benchUsage.system) / 1000 / loadMs,
      }),
      stored,
    };
  } finally {
    client.close();
  }
}
