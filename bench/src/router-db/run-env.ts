import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '@ventanilla/hub';

/**
 * Where a router benchmark runs: the running PostgreSQL and Redis (same defaults and overrides
 * as the tests: TEST_DATABASE_URL, TEST_REDIS_URL), in a schema and Redis prefix of its own that
 * it drops at the end.
 */
export const DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';

/** Environment of a hub (in this process or a child) for one benchmark run. */
export function runEnvironment(name: string, overrides: Record<string, string> = {}): Record<string, string> {
  const id = randomBytes(4).toString('hex');
  return {
    NODE_ENV: 'production',
    DATABASE_URL,
    DATABASE_SCHEMA: `bench_${name}_${id}`,
    REDIS_URL,
    REDIS_PREFIX: `bench${name}${id}`,
    JWT_SECRET,
    LOG_LEVEL: 'warn',
    ...overrides,
  };
}

export function runConfig(env: Record<string, string>): Config {
  return loadConfig(env);
}

/** Drops the run's schema and Redis keys (idempotent). */
export async function dropRunNamespaces(config: Pick<Config, 'DATABASE_SCHEMA' | 'REDIS_PREFIX'>): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${config.DATABASE_SCHEMA}" CASCADE`);
  } finally {
    await client.end();
  }
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.REDIS_PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  node: string;
  postgres: string;
  loadAverageAtStart: number[];
}

export async function machineInfo(): Promise<MachineInfo> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  let postgres = '';
  try {
    postgres = String((await client.query<{ v: string }>("SELECT split_part(version(), ' on ', 1) AS v")).rows[0]?.v ?? '');
  } finally {
    await client.end();
  }
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.versions.node,
    postgres,
    loadAverageAtStart: loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

export type BenchLog = (line: string) => void;

/** Progress lines on stderr, each stamped with the benchmark's name and the seconds since `t0`. */
export function benchLogger(name: string, t0: number = performance.now()): BenchLog {
  return (line) => process.stderr.write(`[${name} ${((performance.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
}
