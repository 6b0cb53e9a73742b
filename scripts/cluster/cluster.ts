import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startLoadBalancer, type LoadBalancer } from './load-balancer.js';

const MAIN = fileURLToPath(new URL('../../hub/src/main.ts', import.meta.url));

/**
 * The scale-out topology of issue 12 on one machine: `apis` hub processes with HUB_ROLE=api on
 * consecutive ports, `workers` with HUB_ROLE=worker, and the round-robin load balancer in front
 * of the API ones. All share one PostgreSQL schema and one Redis prefix (the env given). Used by
 * `npm run cluster` (scripts/cluster/main.ts) and by test/scale-out and test/fault-injection, so
 * the tests exercise the same code the command runs. Nothing here restarts a dead process on its
 * own — `restart()` is what a supervisor would do, and the tests call it.
 */

export type HubRole = 'api' | 'worker';

export interface ClusterOptions {
  /** Environment of every hub process (DATABASE_URL, REDIS_URL, JWT_SECRET, …). */
  env: Record<string, string | undefined>;
  apis?: number;
  workers?: number;
  host?: string;
  /** Load balancer port (0 = any free port). */
  port: number;
  /** One port per API process (the CLI uses a range: 3001, 3002, 3003). */
  apiPorts: readonly number[];
  /** Each output line of a process (the CLI prints them, tests keep warnings). */
  onLine?: (name: string, line: string) => void;
  /** How long a process may take to start (a cold tsx start on a busy 2-core machine is slow). */
  startTimeoutMs?: number;
}

export interface HubChild {
  readonly name: string;
  readonly role: HubRole;
  /** API processes only. */
  readonly port: number | null;
  readonly url: string | null;
  readonly process: ChildProcess;
  /** Times it was started (1 = never restarted). */
  readonly starts: number;
  alive(): boolean;
  /** Sends a signal and waits for the exit (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
  /** Starts it again with the same name, role and port; resolves when it is ready. */
  restart(): Promise<void>;
}

export interface Cluster {
  readonly lb: LoadBalancer;
  readonly apis: HubChild[];
  readonly workers: HubChild[];
  readonly all: HubChild[];
  /** SIGTERM to every process (graceful shutdown), then the balancer. */
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const host = options.host ?? '127.0.0.1';
  const apiCount = options.apis ?? 3;
  const workerCount = options.workers ?? 2;
  if (options.apiPorts.length < apiCount) throw new Error(`need ${apiCount} API ports, got ${options.apiPorts.length}`);
  const specs = [
    ...Array.from({ length: apiCount }, (_, i) => ({ name: `api-${i + 1}`, role: 'api' as const, port: options.apiPorts[i] ?? 0 })),
    ...Array.from({ length: workerCount }, (_, i) => ({ name: `worker-${i + 1}`, role: 'worker' as const, port: null })),
  ];
  const children: HubChild[] = [];
  try {
    // The first one applies the migrations; the rest start together (migrations serialise anyway).
    const [first, ...rest] = specs;
    if (first) children.push(await startHubChild({ ...first, host, options }));
    children.push(...(await Promise.all(rest.map((s) => startHubChild({ ...s, host, options })))));
  } catch (error) {
    await Promise.all(children.map((c) => c.stop('SIGKILL')));
    throw error;
  }
  const apis = children.filter((c) => c.role === 'api');
  const lb = await startLoadBalancer({
    host,
    port: options.port,
    backends: apis.map((a) => ({ host, port: a.port ?? 0 })),
    onBackendChange: (b, alive) => options.onLine?.('lb', JSON.stringify({ level: alive ? 30 : 40, msg: `backend ${b.host}:${b.port} ${alive ? 'up' : 'down'}` })),
  });
  return {
    lb,
    apis,
    workers: children.filter((c) => c.role === 'worker'),
    all: children,
    async stop() {
      await Promise.all(children.map((c) => c.stop('SIGTERM')));
      await lb.stop();
    },
  };
}

interface ChildSpec {
  name: string;
  role: HubRole;
  port: number | null;
  host: string;
  options: ClusterOptions;
}

async function startHubChild(spec: ChildSpec): Promise<HubChild> {
  let current = await spawnReady(spec);
  let starts = 1;
  const url = spec.port === null ? null : `http://${spec.host}:${spec.port}`;
  const child: HubChild = {
    name: spec.name,
    role: spec.role,
    port: spec.port,
    url,
    get process() {
      return current;
    },
    get starts() {
      return starts;
    },
    alive: () => current.exitCode === null && current.signalCode === null,
    stop: (signal = 'SIGTERM', graceMs = 20_000) => stopChild(current, signal, graceMs),
    async restart() {
      await stopChild(current, 'SIGKILL', 0);
      current = await spawnReady(spec);
      starts += 1;
    },
  };
  return child;
}

function stopChild(proc: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const force = graceMs > 0 ? setTimeout(() => proc.kill('SIGKILL'), graceMs) : null;
    proc.once('exit', () => {
      if (force) clearTimeout(force);
      resolve();
    });
    proc.kill(signal);
  });
}

/**
 * Spawns hub/src/main.ts and resolves once it is ready: an API process when /healthz answers, a
 * worker on its "hub started" line (it has no port). Workers log at `info` for that line; request
 * logs would cost the API processes more than the work itself, so they log at the level asked.
 */
async function spawnReady(spec: ChildSpec): Promise<ChildProcess> {
  const { options } = spec;
  const level = options.env['LOG_LEVEL'] ?? 'warn';
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...options.env,
    HUB_ROLE: spec.role,
    HOST: spec.host,
    PORT: String(spec.port ?? 0),
    LOG_PRETTY: 'false',
    LOG_LEVEL: spec.role === 'worker' && !['info', 'debug', 'trace'].includes(level) ? 'info' : level,
  };
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let started = false;
  let exited: string | null = null;
  const tail: string[] = [];
  const forward = (line: string) => {
    if (line.trim() === '') return;
    if (line.includes('"hub started"')) started = true;
    tail.push(line);
    if (tail.length > 40) tail.shift();
    // A worker's own info lines are not what the caller asked for.
    if (spec.role === 'worker' && level !== 'info' && /"level":30[,}]/.test(line)) return;
    options.onLine?.(spec.name, line);
  };
  const lines = (stream: NodeJS.ReadableStream) => {
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      parts.forEach(forward);
    });
  };
  if (proc.stdout) lines(proc.stdout);
  if (proc.stderr) lines(proc.stderr);
  proc.once('exit', (code, signal) => (exited = `${code ?? signal}`));
  const timeoutMs = options.startTimeoutMs ?? 90_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== null) throw new Error(`${spec.name} exited with ${exited} while starting:\n${tail.join('\n')}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${spec.name} not ready in ${timeoutMs} ms:\n${tail.join('\n')}`);
    }
    if (spec.port === null ? started : await healthy(spec.host, spec.port)) return proc;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function healthy(host: string, port: number): Promise<boolean> {
  return fetch(`http://${host}:${port}/healthz`, { signal: AbortSignal.timeout(2000) })
    .then((r) => r.ok)
    .catch(() => false);
}
