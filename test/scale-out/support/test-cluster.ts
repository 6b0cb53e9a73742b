import { startCluster, type Cluster } from '../../../scripts/cluster/cluster.js';
import { freePort } from '../../multiprocess/router-stress/hub-cluster.js';

/**
 * The `npm run cluster` topology for a test (3 HUB_ROLE=api + 2 HUB_ROLE=worker processes behind
 * the round-robin balancer, scripts/cluster), on free ports, with each process's warnings and
 * errors kept by name for the assertions and the report.
 */
export interface TestCluster extends Cluster {
  /** Process name → log lines at warn or above, and stderr. */
  readonly problems: Map<string, string[]>;
}

export async function startTestCluster(env: Record<string, string>, counts: { apis?: number; workers?: number } = {}): Promise<TestCluster> {
  const apis = counts.apis ?? 3;
  const apiPorts: number[] = [];
  // Distinct ports, picked one after the other (freePort releases each before returning).
  while (apiPorts.length < apis) {
    const port = await freePort();
    if (!apiPorts.includes(port)) apiPorts.push(port);
  }
  const problems = new Map<string, string[]>();
  const cluster = await startCluster({
    env: { LOG_LEVEL: 'warn', ...env },
    apis,
    workers: counts.workers ?? 2,
    port: 0,
    apiPorts,
    // Cold tsx starts of five processes on a shared, busy 2-core machine have taken minutes.
    startTimeoutMs: 240_000,
    onLine: (name, line) => {
      const list = problems.get(name) ?? [];
      if (list.length < 2000) list.push(line.length > 2000 ? compact(line) : line);
      problems.set(name, list);
    },
  });
  return Object.assign(cluster, { problems });
}

/** A long pino line (an error with its stack) without the stack, so its message survives the cut. */
function compact(line: string): string {
  try {
    const parsed = JSON.parse(line) as { level?: number; msg?: string; err?: { type?: string; message?: string; stack?: string } };
    return JSON.stringify({ level: parsed.level, msg: parsed.msg, err: parsed.err && { type: parsed.err.type, message: parsed.err.message, stack: parsed.err.stack?.slice(0, 1200) } });
  } catch {
    return `${line.slice(0, 2000)}…`;
  }
}

/** "message: error message" of a pino JSON line, for counting what went wrong in the hubs. */
export function describeLogLine(line: string): string {
  try {
    const parsed = JSON.parse(line) as { msg?: string; err?: { message?: string } };
    return `${parsed.msg ?? '?'}${parsed.err?.message ? `: ${parsed.err.message}` : ''}`;
  } catch {
    return line.slice(0, 160);
  }
}
