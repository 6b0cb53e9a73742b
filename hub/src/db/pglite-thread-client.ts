import { inspect } from 'node:util';
import { Worker } from 'node:worker_threads';
import {
  DB_ERROR_FIELDS,
  isThreadResponse,
  type SerializedDbError,
  type ThreadInit,
  type ThreadRequest,
  type ThreadResponse,
} from './pglite-thread-protocol.js';

/** The embedded PostgreSQL, running in its own thread; the main thread only posts messages. */
export interface PGliteThread {
  query<R>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  /** Runs a multi-statement script (simple query protocol). */
  exec(sql: string): Promise<void>;
  /** Closes PGlite (flushing it to disk) and ends the thread. Idempotent. */
  close(): Promise<void>;
}

/**
 * A PostgreSQL error raised inside the thread, rebuilt with the fields node-postgres' DatabaseError
 * has (code, constraint, detail…), so code that matches `error.code === '23505'` works on both backends.
 */
export class EmbeddedDatabaseError extends Error {
  // `declare`: only the fields PostgreSQL sent become own properties, which keeps logged errors short.
  declare code?: string;
  declare severity?: string;
  declare detail?: string;
  declare hint?: string;
  declare position?: string;
  declare internalPosition?: string;
  declare internalQuery?: string;
  declare where?: string;
  declare schema?: string;
  declare table?: string;
  declare column?: string;
  declare dataType?: string;
  declare constraint?: string;
  declare file?: string;
  declare line?: string;
  declare routine?: string;

  constructor(serialized: SerializedDbError) {
    super(serialized.message);
    // node-postgres and PGlite both name these 'error'; keep whatever the thread saw.
    this.name = serialized.name;
    for (const field of DB_ERROR_FIELDS) {
      const value = serialized.fields[field];
      if (value !== undefined) this[field] = value;
    }
  }
}

const THREAD_ENTRY = new URL('./pglite.thread.ts', import.meta.url);
/** How long close() waits for the thread to exit on its own before terminating it. */
const EXIT_GRACE_MS = 5_000;

type Reply = Extract<ThreadResponse, { type: 'result' | 'error' }>;
/** Omit distributed over a union, so `op` still discriminates the request before it gets its id. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type RequestBody = WithoutId<ThreadRequest>;

export interface PGliteThreadOptions extends ThreadInit {
  /** The thread's entry module; tests swap in a misbehaving thread to check crash handling. */
  entry?: URL;
}

/**
 * Starts the thread, opens the database in dataDir and resolves once it is ready (or rejects
 * with the error PGlite raised while opening it).
 */
export async function startPGliteThread(options: PGliteThreadOptions): Promise<PGliteThread> {
  const { entry = THREAD_ENTRY, ...init } = options;
  const worker = spawn(entry, init);
  const client = new ThreadClient(worker);
  await client.ready;
  return client;
}

function spawn(entry: URL, init: ThreadInit): Worker {
  const options = { workerData: init };
  try {
    return new Worker(entry, { ...options, execArgv: [...inheritedExecArgv(), ...tsxExecArgv()] });
  } catch (error) {
    // Setting execArgv makes Node validate it, and process-wide flags the parent may run with
    // (--max-old-space-size, --expose-gc…) are refused in workers. The thread only needs tsx.
    if (error instanceof Error && 'code' in error && error.code === 'ERR_WORKER_INVALID_EXEC_ARGV') {
      return new Worker(entry, { ...options, execArgv: tsxExecArgv() });
    }
    throw error;
  }
}

/**
 * The entry is TypeScript, so the thread must load it through tsx. `--import tsx` in the parent is
 * not enough: on Node 20 tsx only registers its hooks on the main thread (and vitest's forks do not
 * load tsx at all), so the thread registers tsx itself through its API, resolved from here so the
 * current directory does not matter.
 */
export function tsxExecArgv(): string[] {
  const api = import.meta.resolve('tsx/esm/api');
  const register = `import { register } from ${JSON.stringify(api)}; register();`;
  return ['--import', `data:text/javascript,${encodeURIComponent(register)}`];
}

const TSX_SPECIFIER = /(^|[\\/])tsx([\\/]|$)/;
const VALUE_FLAGS = new Set(['--import', '--loader', '--experimental-loader', '--require', '-r']);

/** The parent's flags (conditions, source maps…) minus any tsx loading, which tsxExecArgv() replaces. */
export function inheritedExecArgv(): string[] {
  const kept: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (VALUE_FLAGS.has(flag)) {
      const value = eq === -1 ? (argv[i + 1] ?? '') : arg.slice(eq + 1);
      const pair = eq === -1 ? [arg, value] : [arg];
      if (eq === -1) i++;
      if (!TSX_SPECIFIER.test(value)) kept.push(...pair);
      continue;
    }
    kept.push(arg);
  }
  return kept;
}

class ThreadClient implements PGliteThread {
  readonly ready: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  /** Set once the thread is gone: every later request fails with it. */
  private exitError: Error | undefined;
  private crash: Error | undefined;
  private closing: Promise<void> | undefined;
  private readonly exited: Promise<void>;
  /** Requests in flight plus start-up/close: the thread keeps the process alive only while > 0. */
  private holds = 0;

  constructor(private readonly worker: Worker) {
    this.hold();
    let settleReady!: { resolve: () => void; reject: (error: Error) => void };
    this.ready = new Promise<void>((resolve, reject) => (settleReady = { resolve, reject }));
    this.ready.then(
      () => this.release(),
      () => this.release(),
    );

    worker.on('message', (message: unknown) => {
      if (!isThreadResponse(message)) {
        this.crash = new Error(`Embedded PostgreSQL thread sent an unexpected message: ${inspect(message, { depth: 2 })}`);
        void worker.terminate();
        return;
      }
      switch (message.type) {
        case 'ready':
          settleReady.resolve();
          return;
        case 'failed':
          settleReady.reject(new EmbeddedDatabaseError(message.error));
          void worker.terminate();
          return;
        default: {
          const waiter = this.pending.get(message.id);
          this.pending.delete(message.id);
          waiter?.resolve(message);
        }
      }
    });
    // An uncaught exception in the thread (e.g. a WebAssembly abort) arrives here, then 'exit'.
    worker.on('error', (error) => {
      this.crash ??= error;
    });
    this.exited = new Promise<void>((resolve) => {
      worker.once('exit', (code) => {
        const cause = this.crash;
        this.exitError = new Error(
          this.closing && !cause
            ? 'The embedded database is closed'
            : `The embedded PostgreSQL thread stopped (exit code ${code})${cause ? `: ${cause.message}` : ''}`,
          cause ? { cause } : undefined,
        );
        settleReady.reject(this.exitError);
        for (const waiter of this.pending.values()) waiter.reject(this.exitError);
        this.pending.clear();
        resolve();
      });
    });
  }

  async query<R>(sql: string, params: readonly unknown[] = []): Promise<{ rows: R[]; affectedRows?: number }> {
    const reply = await this.request({ op: 'query', sql, params: [...params] });
    // Built here, after the await, so the stack shows the async callers that ran the query.
    if (reply.type === 'error') throw new EmbeddedDatabaseError(reply.error);
    // The rows are whatever the SQL selected; R is the caller's claim about them, as with pg.
    const rows = reply.rows as R[];
    return reply.affectedRows === undefined ? { rows } : { rows, affectedRows: reply.affectedRows };
  }

  async exec(sql: string): Promise<void> {
    const reply = await this.request({ op: 'exec', sql });
    if (reply.type === 'error') throw new EmbeddedDatabaseError(reply.error);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    if (this.exitError) return;
    this.hold();
    try {
      const reply = await this.request({ op: 'close' }).catch(() => undefined);
      const grace = new Promise<'timeout'>((resolve) => setTimeout(resolve, EXIT_GRACE_MS, 'timeout').unref());
      // The thread closes its port after PGlite closed, and exits; a thread stuck in WebAssembly is terminated.
      if ((await Promise.race([this.exited, grace])) === 'timeout') await this.worker.terminate();
      await this.exited;
      if (reply?.type === 'error') throw new EmbeddedDatabaseError(reply.error);
    } finally {
      this.release();
    }
  }

  private request(body: RequestBody): Promise<Reply> {
    if (this.exitError) return Promise.reject(this.exitError);
    if (this.closing && body.op !== 'close') return Promise.reject(new Error('The embedded database is closed'));
    const id = this.nextId++;
    const message: ThreadRequest = { ...body, id };
    return new Promise<Reply>((resolve, reject) => {
      try {
        // Parameters are structured-cloned: a value that cannot be (a function, a symbol) fails here.
        this.worker.postMessage(message);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      this.hold();
      this.pending.set(id, {
        resolve: (reply) => {
          this.release();
          resolve(reply);
        },
        reject: (error) => {
          this.release();
          reject(error);
        },
      });
    });
  }

  // An idle embedded database must not keep the process alive (in-process PGlite never did),
  // but a pending query must: otherwise a script awaiting it could exit with the work unfinished.
  private hold(): void {
    if (this.holds++ === 0) this.worker.ref();
  }

  private release(): void {
    if (--this.holds === 0) this.worker.unref();
  }
}
