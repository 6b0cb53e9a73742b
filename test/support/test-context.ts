import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { Redis } from 'ioredis';
import { buildApp, createHubContext, loadConfig, type Config, type HubContext } from '@ventanilla/hub';

/** Tests talk to the real services (CONVENTIONS 13); each file gets its own schema and key prefix. */
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const id = randomBytes(5).toString('hex');
  return {
    NODE_ENV: 'test',
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: `t_${id}`,
    DATABASE_POOL_SIZE: '8',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `t${id}`,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    OUTBOUND_BACKOFF_MS: '50',
    OUTBOX_RELAY_INTERVAL_MS: '200',
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig(testEnv(overrides));
}

export interface TestHub {
  ctx: HubContext;
  app: FastifyInstance;
  config: Config;
  cleanup(): Promise<void>;
}

/** A migrated context and an app on a fresh schema; cleanup drops both namespaces. */
export async function createTestHub(overrides: Record<string, string> = {}): Promise<TestHub> {
  const config = testConfig(overrides);
  const ctx = await createHubContext(config);
  const app = await buildApp(ctx);
  await app.ready();
  return {
    ctx,
    app,
    config,
    async cleanup() {
      await app.close();
      await ctx.close();
      await dropNamespaces(config);
    },
  };
}

export async function dropNamespaces(config: Pick<Config, 'DATABASE_SCHEMA' | 'REDIS_PREFIX'>): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${config.DATABASE_SCHEMA}" CASCADE`);
  } finally {
    await client.end();
  }
  const redis = new Redis(TEST_REDIS_URL);
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
