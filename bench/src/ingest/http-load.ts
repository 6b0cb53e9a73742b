import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/** One prepared request: exact bytes and headers (signature already computed). */
export interface PreparedPost {
  path: string;
  body: Buffer;
  headers: Record<string, string>;
}

export interface PostResult {
  status: number;
}

/**
 * A keep-alive HTTP/1.1 client over node:http (no extra dependency): at most `maxSockets`
 * connections, further requests wait in the agent's queue (that wait counts as latency).
 */
export class LoopbackClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets: number) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'fifo' });
  }

  post(prepared: PreparedPost): Promise<PostResult> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          host: this.host,
          port: this.port,
          method: 'POST',
          path: prepared.path,
          headers: { ...prepared.headers, 'content-length': String(prepared.body.length) },
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(prepared.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface ClosedLoopOptions {
  concurrency: number;
  /** Stop after this many requests (indexes 0..count-1)… */
  count?: number;
  /** …or after this many milliseconds, whichever comes first. */
  durationMs?: number;
  /** Runs request `index`; resolves with the HTTP status (200 = success). */
  run(index: number): Promise<number>;
}

export interface LoopResult {
  started: number;
  finished: number;
  completed: number;
  errors: number;
  /** Failures by kind: `http 503`, `ECONNRESET`… */
  errorKinds: Record<string, number>;
  /** Per-request latency in ms, index = request index (NaN when it failed or never ran). */
  latencies: Float64Array;
  /** performance.now() at which each request was sent (or scheduled, open loop). */
  sentAt: Float64Array;
  ackAt: Float64Array;
}

/** Closed loop: `concurrency` workers, each sends its next request as soon as the last one is answered. */
function errorKind(outcome: number | unknown): string {
  if (typeof outcome === 'number') return `http ${outcome}`;
  if (outcome && typeof outcome === 'object' && 'code' in outcome && typeof outcome.code === 'string') return outcome.code;
  return outcome instanceof Error ? outcome.message.slice(0, 60) : String(outcome);
}

export async function closedLoop(options: ClosedLoopOptions): Promise<LoopResult> {
  const capacity = options.count ?? 2_000_000;
  const latencies = new Float64Array(capacity).fill(NaN);
  const sentAt = new Float64Array(capacity).fill(NaN);
  const ackAt = new Float64Array(capacity).fill(NaN);
  const started = performance.now();
  const deadline = options.durationMs === undefined ? Infinity : started + options.durationMs;
  let next = 0;
  let completed = 0;
  let errors = 0;
  const errorKinds: Record<string, number> = {};
  const worker = async () => {
    for (;;) {
      if (next >= capacity || performance.now() >= deadline) return;
      const index = next++;
      const t0 = performance.now();
      sentAt[index] = t0;
      let outcome: unknown;
      try {
        outcome = await options.run(index);
      } catch (error) {
        outcome = error;
      }
      const t1 = performance.now();
      if (outcome === 200) {
        ackAt[index] = t1;
        latencies[index] = t1 - t0;
        completed++;
      } else {
        errors++;
        const kind = errorKind(outcome);
        errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const finished = performance.now();
  return { started, finished, completed, errors, errorKinds, latencies: latencies.subarray(0, next), sentAt: sentAt.subarray(0, next), ackAt: ackAt.subarray(0, next) };
}

export interface OpenLoopOptions {
  /** Requests per second, paced from a fixed schedule (not from responses). */
  rate: number;
  count: number;
  /** Runs request `index`; resolves with the HTTP status (200 = success). */
  run(index: number): Promise<number>;
}

/**
 * Open loop: request i is due at start + i/rate whatever happened to the earlier ones, and its
 * latency is measured from that due time, so a slow server cannot hide its queueing
 * (no coordinated omission).
 */
export async function openLoop(options: OpenLoopOptions): Promise<LoopResult & { maxLagMs: number }> {
  const { rate, count } = options;
  const latencies = new Float64Array(count).fill(NaN);
  const sentAt = new Float64Array(count).fill(NaN);
  const ackAt = new Float64Array(count).fill(NaN);
  const intervalMs = 1000 / rate;
  const started = performance.now();
  let sent = 0;
  let completed = 0;
  let errors = 0;
  const errorKinds: Record<string, number> = {};
  let maxLagMs = 0;
  const inFlight = new Set<Promise<void>>();

  const fire = (index: number) => {
    const due = started + index * intervalMs;
    sentAt[index] = due;
    const p = options
      .run(index)
      .catch((error: unknown) => error)
      .then((outcome: unknown) => {
        const t1 = performance.now();
        if (outcome === 200) {
          ackAt[index] = t1;
          latencies[index] = t1 - due;
          completed++;
        } else {
          errors++;
          const kind = errorKind(outcome);
          errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
        }
        inFlight.delete(p);
      });
    inFlight.add(p);
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(count, Math.floor((now - started) / intervalMs) + 1);
      if (due > sent) maxLagMs = Math.max(maxLagMs, now - (started + sent * intervalMs));
      while (sent < due) fire(sent++);
      if (sent >= count) resolve();
      else setTimeout(tick, Math.max(0, started + sent * intervalMs - performance.now()));
    };
    tick();
  });
  while (inFlight.size > 0) await Promise.all(inFlight);
  const finished = performance.now();
  return { started, finished, completed, errors, errorKinds, latencies, sentAt, ackAt, maxLagMs };
}
