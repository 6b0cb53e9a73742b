import type { LatencySummary } from './stats.js';

/** IPC between ingest.bench.ts and its bench-hub-process.ts children. */
export type ParentRequest =
  | { type: 'usage' }
  | { type: 'job-stats'; phase: string }
  | { type: 'sql-stats'; reset?: boolean }
  /** Remove every waiting job of the inbound queue (after the API-only measurement). */
  | { type: 'drain-inbound' }
  | { type: 'stop' };

export interface JobStats {
  count: number;
  /** Webhook receipt → job added (API process). */
  enqueueMs: LatencySummary;
  /** Job added → picked up by the worker. */
  queueWaitMs: LatencySummary;
  /** Picked up → finished (the ingest transaction and the publish). */
  processingMs: LatencySummary;
}

export interface SqlStatementStat {
  statement: string;
  count: number;
  totalMs: number;
  meanMs: number;
  maxMs: number;
}

export interface SqlStats {
  statements: SqlStatementStat[];
  /** Waiting for a pooled connection. */
  poolWaitMs: LatencySummary;
  /** BEGIN sent → COMMIT answered, per transaction. */
  transactionMs: LatencySummary;
  roundTripsPerTransaction: number;
}

export type ChildReply =
  | { type: 'ready'; url: string | null; pid: number }
  | { type: 'usage'; userUs: number; systemUs: number; eluActiveMs: number; eluIdleMs: number }
  | { type: 'job-stats'; phase: string; stats: JobStats }
  | { type: 'sql-stats'; stats: SqlStats | [] }
  | { type: 'drained'; waitingBefore: number }
  | { type: 'stopped' };
