import { BenchChild } from '../ingest/bench-children.js';
import { LoopbackClient, openLoop, type PreparedPost } from '../ingest/http-load.js';
import { perSecond, summarize, type LatencySummary } from '../ingest/stats.js';

export interface HelloAtRateResult {
  rate: number;
  seconds: number;
  ok: number;
  errors: number;
  ackedPerSecond: number;
  latencyMs: LatencySummary;
  serverCpuMsPerRequest: number;
}

/**
 * The Fastify hello-world (bench-hub-process.ts, role hello) offered the same signed bodies at
 * the same rate with the same open-loop client as the webhook: the floor of an HTTP ack on this
 * machine, so the webhook's p99 can be read as a ratio. The capacity figure (closed loop) is
 * the ingest bench's fastifyHelloBaseline.
 */
export async function helloAtRate(input: { posts: PreparedPost[]; rate: number; connections: number; logFile: string }): Promise<HelloAtRateResult> {
  const child = await BenchChild.start({ name: 'hello', env: { BENCH_ROLE: 'hello' }, logFile: input.logFile });
  const client = new LoopbackClient(child.url ?? '', input.connections);
  const hello = input.posts.map((p) => ({ ...p, path: '/hello' }));
  try {
    // Warm-up (JIT, connections), not measured.
    await openLoop({ rate: input.rate, count: Math.min(hello.length, input.rate), run: async (i) => (await client.post(hello[i]!)).status });
    const before = await child.request({ type: 'usage' }, 'usage');
    const loop = await openLoop({ rate: input.rate, count: hello.length, run: async (i) => (await client.post(hello[i]!)).status });
    const after = await child.request({ type: 'usage' }, 'usage');
    return {
      rate: input.rate,
      seconds: hello.length / input.rate,
      ok: loop.completed,
      errors: loop.errors,
      ackedPerSecond: perSecond(loop.completed, loop.finished - loop.started),
      latencyMs: summarize(loop.latencies),
      serverCpuMsPerRequest: (after.userUs + after.systemUs - before.userUs - before.systemUs) / 1000 / Math.max(1, loop.completed),
    };
  } finally {
    client.close();
    await child.stop();
  }
}
