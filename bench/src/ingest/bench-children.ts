import { fork, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildReply, ParentRequest } from './child-protocol.js';

const CHILD_ENTRY = fileURLToPath(new URL('../bench-hub-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

type ReplyOf<T extends ChildReply['type']> = Extract<ChildReply, { type: T }>;

export interface ChildOptions {
  name: string;
  env: Record<string, string>;
  /** Where the child's stdout/stderr go (its pino logs). */
  logFile: string;
  /** Directory for V8 CPU profiles written when the child exits (--cpu-prof), one subdirectory per child. */
  cpuProfDir?: string;
  startTimeoutMs?: number;
}

/** A bench-hub-process.ts child (hub role or hello-world baseline), started with tsx. */
export class BenchChild {
  private readonly waiters = new Map<string, Array<(reply: ChildReply) => void>>();
  private exited = false;
  private readonly exitPromise: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly url: string | null,
    readonly pid: number,
  ) {
    this.exitPromise = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', () => {
      this.exited = true;
    });
    child.on('message', (message: ChildReply) => {
      const queue = this.waiters.get(message.type);
      queue?.shift()?.(message);
    });
  }

  static async start(options: ChildOptions): Promise<BenchChild> {
    const log = openSync(options.logFile, 'a');
    const execArgv = ['--import', 'tsx'];
    // One directory per child: every thread (main, tsx's loader thread) writes its own profile.
    if (options.cpuProfDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${join(options.cpuProfDir, options.name)}`);
    const child = fork(CHILD_ENTRY, [], {
      cwd: REPO_ROOT,
      execArgv,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', log, log, 'ipc'],
    });
    closeSync(log);
    try {
      const ready = await new Promise<ReplyOf<'ready'>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${options.name}: not ready after ${options.startTimeoutMs ?? 30_000} ms (see ${options.logFile})`)), options.startTimeoutMs ?? 30_000);
        child.on('message', (message: ChildReply) => {
          if (message.type === 'ready') {
            clearTimeout(timer);
            resolve(message);
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`${options.name} exited with code ${code} before it was ready (see ${options.logFile})`));
        });
      });
      return new BenchChild(options.name, child, ready.url, ready.pid);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  request<T extends ChildReply['type']>(message: ParentRequest, replyType: T, timeoutMs = 10_000): Promise<ReplyOf<T>> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no ${replyType} reply`)), timeoutMs);
      const queue = this.waiters.get(replyType) ?? [];
      queue.push((reply) => {
        clearTimeout(timer);
        resolve(reply as ReplyOf<T>);
      });
      this.waiters.set(replyType, queue);
      this.child.send(message);
    });
  }

  /** Graceful stop (lets --cpu-prof write its file); SIGKILL after the grace period. */
  async stop(graceMs = 12_000): Promise<void> {
    if (this.exited) return;
    if (this.child.connected) this.child.send({ type: 'stop' } satisfies ParentRequest);
    else this.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!this.exited) this.child.kill('SIGKILL');
    }, graceMs);
    await this.exitPromise;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
