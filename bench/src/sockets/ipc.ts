import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Request/reply IPC with the socket benchmark's child processes (a socket server, the client
 * fleets). The child is started through `sh -c 'ulimit -n …; exec node …'` so that its open-file
 * limit can be raised up to the hard limit (10,000 sockets need 10,000 descriptors in the server
 * and in the clients), and with the "advanced" serialization so typed arrays cross as they are.
 */
export type Api = Record<string, { request: unknown; reply: unknown }>;

interface Envelope {
  id: number;
  type: string;
  payload: unknown;
}
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
type Ready = { type: 'ready'; url: string | null; pid: number };

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface StartOptions {
  name: string;
  /** Absolute path of the child's entry (run with tsx). */
  entry: string;
  env: Record<string, string>;
  logFile: string;
  /** Extra node flags, e.g. --expose-gc. */
  nodeFlags?: string[];
  /** Soft limit of open files to ask for (capped by the hard limit). */
  fdLimit?: number;
  startTimeoutMs?: number;
}

export class IpcChild<A extends Api> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  private exited = false;
  private readonly exitPromise: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly url: string | null,
    readonly pid: number,
  ) {
    this.exitPromise = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) => {
      this.exited = true;
      for (const [, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new Error(`${name} exited (${signal ?? code}) with a request pending`));
      }
      this.pending.clear();
    });
    child.on('message', (message: Reply | Ready) => {
      if (!('id' in message)) return;
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      clearTimeout(p.timer);
      if (message.ok) p.resolve(message.value);
      else p.reject(new Error(`${name}: ${message.error}`));
    });
  }

  static async start<A extends Api>(options: StartOptions): Promise<IpcChild<A>> {
    const log = openSync(options.logFile, 'a');
    const fd = options.fdLimit ?? 65_536;
    // `ulimit -n` fails above the hard limit: then try the hard limit itself, then keep what we have.
    const script = `ulimit -n ${fd} 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"`;
    const child = spawn('/bin/sh', ['-c', script, process.execPath, '--import', 'tsx', ...(options.nodeFlags ?? []), options.entry], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', log, log, 'ipc'],
      serialization: 'advanced',
    });
    closeSync(log);
    const timeoutMs = options.startTimeoutMs ?? 60_000;
    try {
      const ready = await new Promise<Ready>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${options.name}: not ready after ${timeoutMs} ms (see ${options.logFile})`)), timeoutMs);
        child.on('message', (message: Ready | Reply) => {
          if ('type' in message && message.type === 'ready') {
            clearTimeout(timer);
            resolve(message);
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`${options.name} exited with code ${code} before it was ready (see ${options.logFile})`));
        });
      });
      return new IpcChild<A>(options.name, child, ready.url, ready.pid);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  call<K extends keyof A & string>(type: K, payload: A[K]['request'], timeoutMs = 30_000): Promise<A[K]['reply']> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
    const id = this.nextId++;
    return new Promise<A[K]['reply']>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: no reply to ${type} after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.child.send({ id, type, payload } satisfies Envelope);
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Asks the child to stop (it answers `stop` and exits); SIGKILL after the grace period. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    const timer = setTimeout(() => this.kill(), graceMs);
    try {
      if (this.child.connected) await this.call('stop' as keyof A & string, undefined as A[keyof A & string]['request'], graceMs).catch(() => undefined);
      else this.child.kill('SIGTERM');
      await this.exitPromise;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

export type Handlers<A extends Api> = { [K in keyof A]: (payload: A[K]['request']) => Promise<A[K]['reply']> | A[K]['reply'] };

/**
 * The child's side: answers each request with its handler, tells the parent it is ready, and
 * exits when asked to stop or when the parent goes away (it never outlives the benchmark).
 */
export function serveParent<A extends Api>(handlers: Handlers<A>, ready: { url: string | null }, onStop: () => Promise<void>): void {
  const send = (message: Reply | Ready): void => {
    if (process.connected) process.send?.(message);
  };
  let stopping = false;
  const stop = async (id: number | null): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 8_000);
    force.unref();
    try {
      await onStop();
    } finally {
      if (id !== null) send({ id, ok: true, value: null });
      setTimeout(() => process.exit(0), 50);
    }
  };
  process.on('message', (message: Envelope) => {
    if (message.type === 'stop') {
      void stop(message.id);
      return;
    }
    const handler = handlers[message.type] as ((payload: unknown) => unknown) | undefined;
    if (!handler) {
      send({ id: message.id, ok: false, error: `unknown request ${message.type}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.payload))
      .then(
        (value) => send({ id: message.id, ok: true, value }),
        (error: unknown) => send({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
  process.on('disconnect', () => void stop(null));
  process.on('SIGTERM', () => void stop(null));
  process.on('SIGINT', () => void stop(null));
  send({ type: 'ready', url: ready.url, pid: process.pid });
}

/** A child's entry failed before it was ready. */
export function failChild(label: string, error: unknown): never {
  process.stderr.write(`${label} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
