/**
 * Ingest benchmark (issue 2, SPEC §8): citizen messages posted to the API-channel webhook →
 * stored in PostgreSQL → delivered to a connected agent's socket.
 *
 *   npm run bench:ingest                       full run (≈ 2–3 min)
 *   npm run bench:ingest -- --quick            ≈ 20–30 s smoke run
 *   npm run bench:ingest -- --messages 20000 --concurrency 64 --rate 1000 --seconds 15
 *   npm run bench:ingest -- --topology single  API and worker in one hub process
 *   npm run bench:ingest -- --profile          V8 CPU profiles of the hub children
 *   npm run bench:ingest -- --trace-sql        per-statement timings inside the worker
 *
 * Topology (default "split"): the hub API (HTTP + socket.io) and the ingest worker run as two
 * child processes (bench-hub-process.ts); this process generates the load and holds the agent
 * socket. PostgreSQL and Redis are the running servers; everything goes over loopback. A random
 * schema and Redis prefix are used and dropped at the end; children are stopped (killed if need be).
 */
import { parseOptions } from './ingest/options.js';
import { runIngestBenchmark } from './ingest/run-ingest.js';

// Parsed inside main so that a bad option rejects main's promise, as every other failure does.
async function main(): Promise<void> {
  await runIngestBenchmark(parseOptions(process.argv.slice(2)));
}

await main();
