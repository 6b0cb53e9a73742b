import { performance } from 'node:perf_hooks';
import type { BenchChild } from './bench-children.js';
import { cpuDelta, cpuSnapshot, type CpuSnapshot } from './cpu-sampler.js';
import type { ProcessCpu } from './ingest-report.js';
import { round } from './stats.js';

/** Our processes' CPU and event-loop counters, to turn two snapshots into per-phase usage. */
export interface UsageSnapshot {
  cpu: CpuSnapshot;
  processes: Record<string, { cpuUs: number; eluActiveMs: number; eluIdleMs: number }>;
}

export async function usageSnapshot(children: BenchChild[]): Promise<UsageSnapshot> {
  const processes: UsageSnapshot['processes'] = {};
  for (const child of children) {
    const u = await child.request({ type: 'usage' }, 'usage');
    processes[child.name] = { cpuUs: u.userUs + u.systemUs, eluActiveMs: u.eluActiveMs, eluIdleMs: u.eluIdleMs };
  }
  const own = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  processes['bench'] = { cpuUs: own.user + own.system, eluActiveMs: elu.active, eluIdleMs: elu.idle };
  return { cpu: cpuSnapshot(), processes };
}

export function usageDelta(from: UsageSnapshot, to: UsageSnapshot, cores: number): ProcessCpu {
  const machine = cpuDelta(from.cpu, to.cpu, cores);
  const result: ProcessCpu = { cores: {}, eventLoop: {}, machine };
  for (const [name, end] of Object.entries(to.processes)) {
    const start = from.processes[name];
    if (!start) continue;
    result.cores[name] = round((end.cpuUs - start.cpuUs) / 1e6 / machine.wallSeconds, 3);
    const active = end.eluActiveMs - start.eluActiveMs;
    const idle = end.eluIdleMs - start.eluIdleMs;
    result.eventLoop[name] = round(active / (active + idle), 3);
  }
  for (const [name, v] of Object.entries(machine.servicesCores)) result.cores[name] = round(v, 3);
  return result;
}
