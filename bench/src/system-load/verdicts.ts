import { n0, n1 } from '../report-format.js';
import { CHANNELS } from './load-metrics.js';
import type { SystemLoadResult } from './run-system-load.js';

export interface Verdict {
  row: string;
  target: string;
  measured: string;
  status: 'met' | 'not met' | 'not exercised';
  why: string;
}

/**
 * Hub processes whose event loop was busy ≥ 80 % of the window while they got < 50 % of a core
 * on a machine ≥ 90 % busy: runnable, waiting for the CPU (a shared machine), not working.
 */
export function starvedProcesses(r: SystemLoadResult): string[] {
  if (r.machine.machineBusy < 0.9) return [];
  return r.processes.filter((p) => (p.name === 'api' || p.name === 'worker') && (r.eventLoopUtilization[p.name] ?? 0) >= 0.8 && p.cpuPercentMean < 50).map((p) => p.name);
}

const E2E_P99_MS = 100;
const ACK_P99_MS = 50;

/**
 * SPEC §8, row by row, against what this run measured. The mixed profile at ×10 is far below
 * the rates some rows name (2,000/s): a row this run cannot reach is "not exercised" with the
 * benchmark that does measure it, never "met"; a latency row is judged at this run's rate (a
 * necessary condition: missing it here means missing it at the row's higher rate too).
 */
export function systemLoadVerdicts(r: SystemLoadResult): Verdict[] {
  const seconds = r.measuredSeconds;
  const inboundRate = CHANNELS.filter((c) => c !== 'voice').reduce((n, c) => n + r.channels[c].delivered, 0) / seconds;
  const ackRate = CHANNELS.reduce((n, c) => n + r.channels[c].acked, 0) / seconds;
  const e2e = r.allE2eMs;
  const ack = r.allAckMs;
  const sent = CHANNELS.filter((c) => c !== 'voice').reduce((n, c) => n + r.channels[c].acked, 0);
  const delivered = CHANNELS.filter((c) => c !== 'voice').reduce((n, c) => n + r.channels[c].delivered, 0);
  const errorCount = Object.values(r.errors).reduce((a, b) => a + b, 0);
  const starved = starvedProcesses(r);
  const cause = starved.length > 0 ? `; the ${starved.join(' and ')} process${starved.length > 1 ? 'es were' : ' was'} CPU-starved on a shared machine (see "CPU, memory, event loop"), so this says more about the machine than the hub` : '';
  return [
    {
      row: 'Inbound end to end (webhook → stored → routed → agent socket)',
      target: `≥ 2,000/s sustained; p99 ≤ ${E2E_P99_MS} ms at 1,000/s`,
      measured: `${n1(inboundRate)} msg/s delivered; p99 ${n1(e2e.p99)} ms (p50 ${n1(e2e.p50)})`,
      status: e2e.count === 0 || e2e.p99 > E2E_P99_MS ? 'not met' : 'not exercised',
      why:
        e2e.count === 0
          ? 'nothing was delivered to an agent socket'
          : e2e.p99 > E2E_P99_MS
            ? `p99 is over ${E2E_P99_MS} ms already at ${n1(inboundRate)} msg/s, far below 1,000/s; see the CPU table (2 shared cores: hub, PostgreSQL, Redis and this generator with its agents)${cause}`
            : `p99 within ${E2E_P99_MS} ms at this run's ${n1(inboundRate)} msg/s (10× the seed's profile is far below 1,000/s); the 2,000/s and 1,000/s figures are measured by \`npm run bench:ingest\``,
    },
    {
      row: 'Webhook acknowledgement',
      target: `p99 ≤ ${ACK_P99_MS} ms at 2,000 req/s`,
      measured: `${n1(ackRate)} req/s; p99 ${n1(ack.p99)} ms (p50 ${n1(ack.p50)})`,
      status: ack.count === 0 || ack.p99 > ACK_P99_MS ? 'not met' : 'not exercised',
      why:
        ack.count === 0
          ? 'no request was acknowledged'
          : ack.p99 > ACK_P99_MS
            ? `p99 over ${ACK_P99_MS} ms at only ${n1(ackRate)} req/s (per channel below: the slowest channel is the cause)${cause}`
            : `p99 within ${ACK_P99_MS} ms at ${n1(ackRate)} req/s; 2,000 req/s is \`npm run bench:whatsapp\` / \`bench:ingest\``,
    },
    { row: 'Router core, 10,000 agents × 4 slots, 100,000 waiting', target: '≥ 50,000 decisions/s, p99 ≤ 1 ms', measured: `${n0(r.fleet.offers)} offers to ${r.options.agents} agents`, status: 'not exercised', why: 'a pure-core figure: `npm run bench:router`' },
    { row: 'Shift-start storm', target: '40,000 assignments persisted ≤ 10 s', measured: '—', status: 'not exercised', why: '`npm run bench:router-db`' },
    {
      row: 'Sockets per hub process',
      target: '10,000 at ≤ 25 KB each',
      measured: `${r.options.agents} agent + up to ${r.load.webchatCitizens} visitor sockets; API RSS max ${n0(r.processes.find((p) => p.name === 'api')?.rssMiBMax ?? NaN)} MiB`,
      status: 'not exercised',
      why: 'this run holds hundreds of sockets, not 10,000; `npm run bench:sockets` measures the per-socket memory',
    },
    {
      row: 'Faults (0 lost, 0 duplicated, 0 over-capacity)',
      target: '0 / 0 / 0 under kill -9 and restarts',
      measured: `no faults injected; ${n0(r.checks.duplicateInbound)} duplicated, ${n0(r.checks.overCapacityAgents)} agents over capacity; ${n0(delivered)} of ${n0(sent)} acked messages seen on an agent socket within the window; ${n0(errorCount)} errors`,
      status: r.checks.duplicateInbound > 0 || r.checks.overCapacityAgents > 0 ? 'not met' : 'not exercised',
      why:
        r.checks.duplicateInbound > 0 || r.checks.overCapacityAgents > 0
          ? 'duplicates or over-capacity even without faults'
          : 'no duplicates and no over-capacity under load without faults; kill -9 / restarts are the fault tests (test:stress). Acked − delivered counts messages acked near the end of the window whose delivery came after it, not only losses',
    },
  ];
}
