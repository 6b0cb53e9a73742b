/**
 * A child process of the ingest benchmark (bench/src/ingest.bench.ts), driven over IPC.
 *
 *   BENCH_ROLE=hub    a hub process (HUB_ROLE api|worker|all, configured from the env like main.ts)
 *   BENCH_ROLE=hello  the Fastify hello-world baseline server
 *
 * Messages from the parent: `usage` (CPU and event-loop use so far), `job-stats` (ingest job
 * timings of one phase, worker role), `sql-stats` (per-statement timings when BENCH_TRACE_SQL=1),
 * `drain-inbound` (drop waiting inbound jobs, API role), `stop`. The process also stops when its
 * parent goes away, so it never outlives the bench.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { performance } from 'node:perf_hooks';
import { startHubProcess, loadConfig, type HubProcess } from '@ventanilla/hub';
import { installSqlTrace, type SqlTrace } from './ingest/sql-trace.js';
import { JobTimings } from './ingest/job-timings.js';
import type { ChildReply, ParentRequest } from './ingest/child-protocol.js';

function send(message: ChildReply): void {
  if (process.connected) process.send?.(message);
}

async function main(): Promise<void> {
  const role = process.env['BENCH_ROLE'] ?? 'hub';
  const sqlTrace: SqlTrace | null = process.env['BENCH_TRACE_SQL'] === '1' ? await installSqlTrace() : null;
  let hub: HubProcess | null = null;
  let hello: FastifyInstance | null = null;
  const timings = new JobTimings();
  let url: string | null = null;

  if (role === 'hello') {
    hello = Fastify({ logger: false });
    hello.post('/hello', async () => ({ received: 1 }));
    url = await hello.listen({ host: '127.0.0.1', port: 0 });
  } else {
    const config = loadConfig(process.env);
    hub = await startHubProcess(config, { migrate: false });
    url = hub.url;
    const ingest = hub.workers?.workers.find((w) => w.name === 'inbound');
    ingest?.on('completed', (job) => timings.record(job));
  }

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(code || 1), 10_000);
    force.unref();
    try {
      await hub?.stop();
      await hello?.close();
    } finally {
      send({ type: 'stopped' });
      // Give the IPC message a moment to leave, then exit (writes --cpu-prof output).
      setTimeout(() => process.exit(code), 50);
    }
  };

  process.on('message', (raw: ParentRequest) => {
    switch (raw.type) {
      case 'usage': {
        const cpu = process.cpuUsage();
        const elu = performance.eventLoopUtilization();
        send({ type: 'usage', userUs: cpu.user, systemUs: cpu.system, eluActiveMs: elu.active, eluIdleMs: elu.idle });
        break;
      }
      case 'job-stats':
        send({ type: 'job-stats', phase: raw.phase, stats: timings.summary(raw.phase) });
        break;
      case 'sql-stats':
        send({ type: 'sql-stats', stats: sqlTrace?.snapshot(raw.reset ?? false) ?? [] });
        break;
      case 'drain-inbound': {
        const queue = hub?.ctx.queues.inbound;
        if (!queue) {
          send({ type: 'drained', waitingBefore: 0 });
          break;
        }
        void queue
          .getWaitingCount()
          .then(async (waitingBefore) => {
            await queue.drain(true);
            send({ type: 'drained', waitingBefore });
          })
          .catch(() => send({ type: 'drained', waitingBefore: -1 }));
        break;
      }
      case 'stop':
        void stop(0);
        break;
    }
  });
  process.on('disconnect', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  send({ type: 'ready', url, pid: process.pid });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
