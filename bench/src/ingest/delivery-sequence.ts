import { performance } from 'node:perf_hooks';
import { postStatus, runDeliveryPhase, type DeliveryContext, type PhaseSpec } from './delivery-phase.js';
import { closedLoop, type PreparedPost } from './http-load.js';
import type { PhaseResult } from './ingest-report.js';

/** Warm-up: JIT, pools, channel cache; not measured. */
export async function warmUp(ctx: DeliveryContext, posts: PreparedPost[]): Promise<void> {
  const { options, receiver, backlog, worker, client, log } = ctx;
  const tracker = receiver.track('p0', posts.length);
  await closedLoop({ concurrency: 16, count: posts.length, run: (i) => postStatus(client, posts, i) });
  await tracker.waitForAll({ idleMs: 10_000, deadline: performance.now() + 30_000 });
  await backlog.waitEmpty(10_000);
  log(`warm-up: ${tracker.distinct}/${posts.length} delivered`);
  if (options.traceSql) await worker.request({ type: 'sql-stats', reset: true }, 'sql-stats');
}

/**
 * Phase 1 (max throughput, closed loop) then phase 2 (fixed rate, open loop), as selected by
 * --phases. Pushes to `notes` when phase 2 had to start on top of phase 1's backlog.
 */
export async function runDeliveryPhases(ctx: DeliveryContext, notes: string[]): Promise<PhaseResult[]> {
  const { options, backlog, log } = ctx;
  const phases: PhaseResult[] = [];
  const runPhase = (spec: PhaseSpec) => runDeliveryPhase(ctx, spec);
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
  return phases;
}
