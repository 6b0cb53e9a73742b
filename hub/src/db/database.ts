import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config/config.js';
import { PGliteDialect } from './pglite-dialect.js';
import { startPGliteThread } from './pglite-thread-client.js';
import type { Database } from './schema.js';

/** A raw session able to run multi-statement SQL scripts (migrations) inside one transaction. */
export interface ScriptSession {
  exec(script: string): Promise<void>;
  query<R>(text: string, params?: unknown[]): Promise<R[]>;
}

export interface Db {
  readonly kind: 'postgres' | 'embedded';
  readonly schema: string;
  readonly kysely: Kysely<Database>;
  /** Runs fn in one transaction holding a database-wide advisory lock named by key. */
  withScriptTransaction<T>(lockKey: string, fn: (session: ScriptSession) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DbOptions = Pick<Config, 'DATABASE_URL' | 'DATABASE_SCHEMA' | 'DATABASE_POOL_SIZE' | 'DATA_DIR'>;

export async function openDatabase(options: DbOptions): Promise<Db> {
  return options.DATABASE_URL ? openPostgres(options.DATABASE_URL, options) : openEmbedded(options);
}

function openPostgres(url: string, options: DbOptions): Db {
  const schema = options.DATABASE_SCHEMA;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.DATABASE_POOL_SIZE,
    options: `-c search_path=${schema}`,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (PostgreSQL restart) must not crash the process.
  pool.on('error', () => undefined);
  // Nor one checked out: pg-pool listens for errors only on idle clients, and a client whose
  // server went away (pg_ctl restart -m immediate) emits 'error' while a query holds it — an
  // uncaught exception. The query itself still rejects, so nothing is swallowed.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    schema,
    kysely,
    async withScriptTransaction(lockKey, fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey]);
        const result = await fn({
          exec: async (script) => {
            await client.query(script);
          },
          query: async <R>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as R[],
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async ping() {
      await sql`SELECT 1`.execute(kysely);
    },
    async close() {
      await kysely.destroy();
    },
  };
}

async function openEmbedded(options: DbOptions): Promise<Db> {
  const dir = resolve(options.DATA_DIR, 'pgdata');
  mkdirSync(dir, { recursive: true });
  const schema = options.DATABASE_SCHEMA;
  // PGlite runs PostgreSQL as WebAssembly on the calling thread; in a worker thread its
  // transactions no longer stall HTTP requests on the main event loop.
  const client = await startPGliteThread({ dataDir: dir, schema });
  const kysely = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return {
    kind: 'embedded',
    schema,
    kysely,
    async withScriptTransaction(_lockKey, fn) {
      // One process owns the embedded database, so no advisory lock is needed; hold Kysely's
      // single connection so no other transaction's statements land inside this one.
      return kysely.connection().execute(async () => {
        await client.exec('BEGIN');
        try {
          const result = await fn({
            exec: async (script) => client.exec(script),
            query: async <R>(text: string, params: unknown[] = []) => (await client.query<R>(text, params)).rows,
          });
          await client.exec('COMMIT');
          return result;
        } catch (error) {
          await client.exec('ROLLBACK').catch(() => undefined);
          throw error;
        }
      });
    },
    async ping() {
      await sql`SELECT 1`.execute(kysely);
    },
    async close() {
      await kysely.destroy();
    },
  };
}
