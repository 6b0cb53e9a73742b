import { cpuDelta, cpuSnapshot, type CpuDelta, type CpuSnapshot } from '../ingest/cpu-sampler.js';
import { round } from '../ingest/stats.js';
import { ownUsage } from './own-usage.js';
import type { ProcessUsage } from './protocol.js';

/** CPU and event-loop use of the benchmark's processes over a phase (cf. ingest/process-usage.ts). */
export interface UsageProbe {
  name: string;
  usage(): Promise<ProcessUsage>;
}

export interface UsageSnapshot {
  cpu: CpuSnapshot;
  processes: Record<string, ProcessUsage>;
}

export interface PhaseCpu {
  /** Cores used on average, by process (bench, server, fleets) and shared service (postgres, redis-server). */
  cores: Record<string, number>;
  /** Event-loop utilisation 0..1 by process. */
  eventLoop: Record<string, number>;
  machine: CpuDelta;
}

export async function usageSnapshot(probes: UsageProbe[]): Promise<UsageSnapshot> {
  const processes: Record<string, ProcessUsage> = {};
  const answers = await Promise.all(probes.map(async (p) => [p.name, await p.usage()] as const));
  for (const [name, usage] of answers) processes[name] = usage;
  processes['bench'] = ownUsage();
  return { cpu: cpuSnapshot(), processes };
}

export function usageDelta(from: UsageSnapshot, to: UsageSnapshot, cores: number): PhaseCpu {
  const machine = cpuDelta(from.cpu, to.cpu, cores);
  const result: PhaseCpu = { cores: {}, eventLoop: {}, machine };
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
