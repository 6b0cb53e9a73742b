import type { Config } from '@ventanilla/hub';
import { TEST_DATABASE_URL } from '../../../test/support/test-context.js';
import { fastifyHelloBaseline, pgInsertBaseline } from './baselines.js';
import type { PreparedPost } from './http-load.js';
import type { IngestReport } from './ingest-report.js';
import type { Options } from './options.js';
import type { BenchLog } from './run-resources.js';

/** Runs before the hub starts, so nothing else of ours competes for the CPU. */
export async function runBaselines(input: {
  options: Options;
  config: Config;
  /** Webhook-shaped bodies, so the hello-world server parses the same bytes as the hub. */
  posts: PreparedPost[];
  logFile: string;
  log: BenchLog;
}): Promise<IngestReport['baselines']> {
  const { options, config, log } = input;
  if (!options.baselines) return { fastifyHello: null, pgInsert: null };
  log(`baseline: Fastify hello-world, ${options.baselineSeconds} s at c=${options.concurrency}`);
  const fastifyHello = await fastifyHelloBaseline({ posts: input.posts, concurrency: options.concurrency, seconds: options.baselineSeconds, logFile: input.logFile });
  log(`  ${Math.round(fastifyHello.perSecond)} req/s, p99 ${fastifyHello.latencyMs.p99.toFixed(1)} ms`);
  log(`baseline: raw pg INSERT, ${options.baselineSeconds} s at c=${options.concurrency}`);
  const pgInsert = await pgInsertBaseline({
    databaseUrl: TEST_DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    poolSize: config.DATABASE_POOL_SIZE,
    concurrency: options.concurrency,
    seconds: options.baselineSeconds,
  });
  log(`  ${Math.round(pgInsert.perSecond)} inserts/s, p99 ${pgInsert.latencyMs.p99.toFixed(1)} ms`);
  return { fastifyHello, pgInsert };
}
