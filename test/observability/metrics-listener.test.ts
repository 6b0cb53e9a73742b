import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@ventanilla/hub';
import { startChildHub, type ChildHub } from '../support/child-hub.js';
import { dropNamespaces, testEnv, TEST_REDIS_URL } from '../support/test-context.js';
import { sample } from './exposition.js';

/** The `metricsUrl` of the child's "hub started" line. */
function metricsUrlOf(output: string): string | null {
  for (const line of output.split('\n')) {
    if (!line.includes('"hub started"')) continue;
    const parsed = JSON.parse(line) as { metricsUrl?: string | null };
    return parsed.metricsUrl ?? null;
  }
  return null;
}

/**
 * Issue 12 item 7: a worker-only process (HUB_ROLE=worker) has no HTTP server; with METRICS_PORT
 * it serves /metrics and /healthz on a small listener, so the job counters only that process
 * knows (a job it failed) can be scraped.
 */
describe('observability: metrics listener of a worker-only process', () => {
  const env = testEnv({ HUB_ROLE: 'worker', METRICS_PORT: '0' });
  const config = loadConfig(env);
  let worker: ChildHub;
  let metricsUrl: string;
  let inbound: Queue;

  beforeAll(async () => {
    worker = await startChildHub(env);
    const url = metricsUrlOf(worker.output());
    if (!url) throw new Error(`no metricsUrl in the worker's start line:\n${worker.output()}`);
    metricsUrl = url;
    inbound = new Queue('inbound', { connection: { url: TEST_REDIS_URL }, prefix: `${config.REDIS_PREFIX}:bull` });
  }, 120_000);

  afterAll(async () => {
    await inbound?.close();
    const code = await worker?.stop();
    expect(code, worker?.output()).toBe(0);
    await dropNamespaces(config);
  });

  it('has no API listener, and answers /healthz on METRICS_PORT', async () => {
    expect(worker.url).toBeNull();
    const res = await fetch(`${metricsUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves the Prometheus exposition, including what only this worker counted', async () => {
    // A malformed inbound job: this worker fails it for good (UnrecoverableError).
    await inbound.add('message', { nonsense: true }, { jobId: 'malformed-1', attempts: 1 });
    await expect
      .poll(
        async () => {
          const res = await fetch(`${metricsUrl}/metrics`);
          return sample(await res.text(), 'ventanilla_queue_jobs_failed_total{queue="inbound"}');
        },
        { timeout: 20_000, interval: 200 },
      )
      .toBe(1);
    const res = await fetch(`${metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    // Read at scrape time from Redis, as the API's /metrics does.
    expect(sample(text, 'ventanilla_queue_jobs{queue="inbound",state="failed"}')).toBe(1);
    expect(sample(text, 'ventanilla_queue_jobs{queue="outbound",state="waiting"}')).toBe(0);
    expect(text).toContain('hub_process_cpu_user_seconds_total');
  });

  it('serves nothing else', async () => {
    expect((await fetch(`${metricsUrl}/api/v1/campaigns`)).status).toBe(404);
    expect((await fetch(`${metricsUrl}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});
