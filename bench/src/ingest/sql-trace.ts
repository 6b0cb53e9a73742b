import { performance } from 'node:perf_hooks';
import type { SqlStats } from './child-protocol.js';
import { summarize } from './stats.js';

export interface SqlTrace {
  snapshot(reset: boolean): SqlStats;
}

type QueryFn = (...args: unknown[]) => unknown;
type ConnectFn = (...args: unknown[]) => unknown;

const MAX_SAMPLES = 500_000;

function statementKey(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 140 ? `${flat.slice(0, 137)}...` : flat;
}

/**
 * Times every statement the process sends through `pg` (bench-only instrumentation: it patches
 * pg.Client.prototype.query and pg.Pool.prototype.connect in this child process, no hub change).
 */
export async function installSqlTrace(): Promise<SqlTrace> {
  const { default: pg } = await import('pg');
  const perStatement = new Map<string, { count: number; totalMs: number; maxMs: number }>();
  let poolWait: number[] = [];
  let transactions: number[] = [];
  let queriesInTransactions = 0;
  const openTx = new WeakMap<object, { at: number; queries: number }>();

  const clientProto = pg.Client.prototype as unknown as { query: QueryFn };
  const originalQuery = clientProto.query;
  clientProto.query = function tracedQuery(this: object, ...args: unknown[]): unknown {
    const first = args[0];
    const text = typeof first === 'string' ? first : typeof first === 'object' && first && 'text' in first ? String(first.text) : '';
    const started = performance.now();
    const result = originalQuery.apply(this, args);
    if (text === '' || !(result instanceof Promise)) return result;
    const upper = text.trimStart().slice(0, 8).toUpperCase();
    if (upper.startsWith('BEGIN')) openTx.set(this, { at: started, queries: 0 });
    const tx = openTx.get(this);
    if (tx) tx.queries++;
    const done = () => {
      const ms = performance.now() - started;
      const key = statementKey(text);
      const stat = perStatement.get(key) ?? { count: 0, totalMs: 0, maxMs: 0 };
      stat.count++;
      stat.totalMs += ms;
      stat.maxMs = Math.max(stat.maxMs, ms);
      perStatement.set(key, stat);
      if (tx && (upper.startsWith('COMMIT') || upper.startsWith('ROLLBACK'))) {
        if (transactions.length < MAX_SAMPLES) transactions.push(performance.now() - tx.at);
        queriesInTransactions += tx.queries;
        openTx.delete(this);
      }
    };
    result.then(done, done);
    return result;
  };

  const poolProto = pg.Pool.prototype as unknown as { connect: ConnectFn };
  const originalConnect = poolProto.connect;
  poolProto.connect = function tracedConnect(this: object, ...args: unknown[]): unknown {
    const started = performance.now();
    const result = originalConnect.apply(this, args);
    if (result instanceof Promise) {
      result.then(
        () => {
          if (poolWait.length < MAX_SAMPLES) poolWait.push(performance.now() - started);
        },
        () => undefined,
      );
    }
    return result;
  };

  return {
    snapshot(reset) {
      const statements = [...perStatement.entries()]
        .map(([statement, s]) => ({ statement, count: s.count, totalMs: s.totalMs, meanMs: s.totalMs / s.count, maxMs: s.maxMs }))
        .sort((a, b) => b.totalMs - a.totalMs);
      const stats: SqlStats = {
        statements,
        poolWaitMs: summarize(poolWait),
        transactionMs: summarize(transactions),
        roundTripsPerTransaction: transactions.length > 0 ? queriesInTransactions / transactions.length : 0,
      };
      if (reset) {
        perStatement.clear();
        poolWait = [];
        transactions = [];
        queriesInTransactions = 0;
      }
      return stats;
    },
  };
}
