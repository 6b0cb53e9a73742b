import type { CpuDelta } from '../ingest/cpu-sampler.js';

/**
 * Cores kept busy over a phase by our processes, the shared servers, everything else on the
 * machine ("others": the machine is shared, and a busy neighbour explains a slow run) and the
 * machine as a whole.
 */
export function machineShare(machine: CpuDelta, ours: Record<string, number>): Record<string, number> {
  const known = { ...ours, ...machine.servicesCores };
  const accounted = Object.values(known).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  return { ...known, others: Math.max(0, machine.machineBusyCores - accounted), machine: machine.machineBusyCores };
}
