import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const TICKS_PER_SECOND = 100;

export interface ProcessFigures {
  name: string;
  pid: number;
  /** CPU of one core, percent, over each sampling interval. */
  cpuPercentMean: number;
  cpuPercentMax: number;
  rssMiBMean: number;
  rssMiBMax: number;
}

interface Series {
  name: string;
  pid: number;
  lastTicks: number;
  lastAt: number;
  cpu: number[];
  rss: number[];
}

/**
 * CPU and RSS of our processes from /proc/<pid>/stat and /proc/<pid>/status, every `intervalMs`
 * (Linux only; a process that has gone away is skipped). Also samples `extra()` each time — the
 * API's event-loop lag from its /metrics — so both share one timeline.
 */
export class ProcessSampler {
  private readonly series: Series[];
  private timer: NodeJS.Timeout | null = null;
  readonly extra: number[] = [];

  constructor(
    processes: Array<{ name: string; pid: number }>,
    private readonly intervalMs: number,
    private readonly sampleExtra: (() => Promise<number>) | null = null,
  ) {
    this.series = processes.map((p) => ({ ...p, lastTicks: ticks(p.pid), lastAt: performance.now(), cpu: [], rss: [] }));
  }

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private sample(): void {
    const now = performance.now();
    for (const s of this.series) {
      const t = ticks(s.pid);
      if (!Number.isFinite(t)) continue;
      s.cpu.push((((t - s.lastTicks) / TICKS_PER_SECOND) * 100_000) / (now - s.lastAt));
      s.lastTicks = t;
      s.lastAt = now;
      const rss = rssBytes(s.pid);
      if (Number.isFinite(rss)) s.rss.push(rss / 1048576);
    }
    if (this.sampleExtra) void this.sampleExtra().then((v) => Number.isFinite(v) && this.extra.push(v)).catch(() => undefined);
  }

  figures(): ProcessFigures[] {
    return this.series.map((s) => ({
      name: s.name,
      pid: s.pid,
      cpuPercentMean: mean(s.cpu),
      cpuPercentMax: s.cpu.length > 0 ? Math.max(...s.cpu) : NaN,
      rssMiBMean: mean(s.rss),
      rssMiBMax: s.rss.length > 0 ? Math.max(...s.rss) : NaN,
    }));
  }
}

function mean(values: number[]): number {
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

function ticks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the comm: state is field 0, utime 11, stime 12.
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return NaN;
  }
}

function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}
