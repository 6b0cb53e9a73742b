import type { BenchChild } from './bench-children.js';
import { buildPhaseMessages } from './bench-messages.js';
import { cpuDelta, cpuSnapshot } from './cpu-sampler.js';
import { LoopbackClient, openLoop, type LoopResult } from './http-load.js';
import type { AckOnlyResult } from './ingest-report.js';
import type { Options } from './options.js';
import { perSecond, round, summarize } from './stats.js';

/**
 * Webhook acknowledgement alone (SPEC §8: p99 ≤ 50 ms at 2,000 req/s): the API process runs,
 * the worker is not started yet; the jobs it queued are dropped afterwards.
 */
export async function runAckOnly(input: {
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
