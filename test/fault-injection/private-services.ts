import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../multiprocess/router-stress/hub-cluster.js';

const run = promisify(execFile);

/**
 * A PostgreSQL and a Redis of the fault-injection test's own, on loopback and free ports, so
 * killing and restarting them never touches the shared services other tests use. PostgreSQL
 * refuses to run as root: as root, its commands run as the `postgres` user (runuser).
 */

function pgBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  throw new Error('initdb not found under /usr/lib/postgresql/*/bin');
}

export interface PrivatePostgres {
  readonly url: string;
  readonly port: number;
  /** `pg_ctl restart -m immediate`: every backend killed, crash recovery at start (like kill -9 of the server). */
  restartImmediate(downMs?: number): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = pgBinDir();
  const dir = mkdtempSync('/tmp/fault-pg-');
  const asRoot = userInfo().uid === 0;
  if (asRoot) chownSync(dir, Number((await run('id', ['-u', 'postgres'])).stdout.trim()), Number((await run('id', ['-g', 'postgres'])).stdout.trim()));
  chmodSync(dir, 0o700);
  const pg = (tool: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args));
  const data = join(dir, 'data');
  const port = await freePort();
  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  // Enough connections for 5 hub processes, the test's own pool and the load driver's.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=64MB`;
  const ctl = (args: string[]) => pg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, ...args]);
  await ctl(['-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async restartImmediate(downMs = 0) {
      await ctl(['-m', 'immediate', '-w', 'stop']);
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await ctl(['-w', 'start']);
    },
    async destroy() {
      await ctl(['-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** kill -9 of redis-server, then the same server (same port, same append-only file) again. */
  killAndRestart(downMs?: number): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * Redis as the README («Despliegue en producción») documents it for production: append-only file on
 * (`appendfsync everysec` writes each command to the file before answering, so a killed process
 * loses nothing acknowledged; only a host crash can lose the last second), `noeviction` so BullMQ
 * keys are never evicted, no RDB snapshots.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = mkdtempSync('/tmp/fault-redis-');
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction', '--protected-mode', 'no'];
  let proc: ChildProcess = await spawnRedis(args, port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async killAndRestart(downMs = 0) {
      await kill(proc);
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      proc = await spawnRedis(args, port);
    },
    async destroy() {
      await kill(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function kill(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

async function spawnRedis(args: string[], port: number): Promise<ChildProcess> {
  const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-4000)));
  proc.stderr?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-4000)));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}:\n${out}`);
    // Loading the append-only file comes before "Ready to accept connections".
    if (out.includes('Ready to accept connections')) return proc;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`redis-server on ${port} not ready:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
