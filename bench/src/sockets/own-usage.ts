import { performance } from 'node:perf_hooks';
import type { ProcessUsage } from './protocol.js';

/** This process's CPU time and event-loop counters since it started (two readings make a phase's use). */
export function ownUsage(): ProcessUsage {
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  return { cpuUs: cpu.user + cpu.system, eluActiveMs: elu.active, eluIdleMs: elu.idle };
}
