import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../../hub/src/main.ts', import.meta.url));

/**
 * Hub processes for the router stress test: real OS processes running hub/src/main.ts. Unlike
 * test/support/child-hub.ts they log at `warn` (request logs of a few thousand requests a second
 * would cost the 2-core machine more than the router does) on a port chosen here, and are ready
 * when /healthz answers. Only warnings and errors are kept, for the report.
 */
export interface StressHub {
  readonly name: string;
  readonly url: string;
  readonly process: ChildProcess;
  /** Log lines at warn or above (JSON as printed), and anything on stderr. */
  readonly problems: string[];
  stop(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startStressHub(name: string, env: Record<string, string>, timeoutMs = 45_000): Promise<StressHub> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', LOG_PRETTY: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const problems: string[] = [];
  let exited: number | null | undefined;
  const keep = (line: string) => {
    if (line.trim() === '') return;
    if (problems.length < 2000) problems.push(line.length > 2000 ? `${line.slice(0, 2000)}…` : line);
  };
  let pendingOut = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pendingOut += chunk.toString();
    const lines = pendingOut.split('\n');
    pendingOut = lines.pop() ?? '';
    lines.forEach(keep);
  });
  child.stderr.on('data', (chunk: Buffer) => chunk.toString().split('\n').forEach(keep));
  child.on('exit', (code) => (exited = code));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== undefined) throw new Error(`hub ${name} exited with ${exited}:\n${problems.join('\n')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`hub ${name} not ready in ${timeoutMs} ms:\n${problems.join('\n')}`);
    }
    const ok = await fetch(`${url}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name,
    url,
    process: child,
    problems,
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', (code) => {
          clearTimeout(force);
          resolve(code);
        });
        child.kill(signal);
      }),
  };
}
