import { readdirSync, readFileSync } from 'node:fs';

/** Linux /proc accounting: CPU time of the whole machine and of the shared services. */
export interface CpuSnapshot {
  at: number;
  /** Jiffies (1/100 s) since boot, all CPUs. */
  machineBusy: number;
  machineTotal: number;
  /** CPU seconds of processes by command name (postgres, redis-server). */
  services: Record<string, number>;
}

const TICKS_PER_SECOND = 100;
const SERVICES = ['postgres', 'redis-server'];

function readMachine(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

function readServices(): Record<string, number> {
  const totals: Record<string, number> = Object.fromEntries(SERVICES.map((s) => [s, 0]));
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return totals;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(open + 1, close);
      if (!SERVICES.includes(comm)) continue;
      const rest = stat.slice(close + 2).split(' ');
      // Fields after the comm: state is index 0, utime index 11, stime index 12.
      const ticks = Number(rest[11]) + Number(rest[12]);
      totals[comm] = (totals[comm] ?? 0) + ticks / TICKS_PER_SECOND;
    } catch {
      // The process went away while we read it.
    }
  }
  return totals;
}

export function cpuSnapshot(): CpuSnapshot {
  const machine = readMachine();
  return { at: Date.now(), machineBusy: machine.busy, machineTotal: machine.total, services: readServices() };
}

export interface CpuDelta {
  wallSeconds: number;
  /** Busy share of all cores, 0..1. */
  machineBusy: number;
  /** Cores kept busy on average (machineBusy × cores). */
  machineBusyCores: number;
  /** Cores used on average by each shared service. */
  servicesCores: Record<string, number>;
}

export function cpuDelta(from: CpuSnapshot, to: CpuSnapshot, cores: number): CpuDelta {
  const wallSeconds = (to.at - from.at) / 1000;
  const total = to.machineTotal - from.machineTotal;
  const busy = total > 0 ? (to.machineBusy - from.machineBusy) / total : NaN;
  const servicesCores: Record<string, number> = {};
  // Processes that exited between snapshots make a service's total drop; clamp at zero.
  for (const name of SERVICES) servicesCores[name] = wallSeconds > 0 ? Math.max(0, ((to.services[name] ?? 0) - (from.services[name] ?? 0)) / wallSeconds) : NaN;
  return { wallSeconds, machineBusy: busy, machineBusyCores: busy * cores, servicesCores };
}
