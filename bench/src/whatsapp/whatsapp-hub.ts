import type { StoppableChild } from '../bench-main.js';
import { BenchChild } from '../ingest/bench-children.js';

export interface WhatsAppHub {
  api: BenchChild;
  url: string;
  /**
   * The worker process: started on the first call (the "API alone" phase runs before it), the
   * same child on every later call.
   */
  worker(): Promise<BenchChild>;
}

/**
 * The hub as deployed: an API process (HTTP, webhooks, agent API) and a worker process (ingest,
 * outbound), both bench-hub-process.ts children on the run's schema and Redis prefix. Only the
 * API starts here; the worker when first asked for. Each is pushed to `children` as soon as it
 * runs, so a later failure still stops it.
 */
export async function startWhatsAppHub(input: { env: Record<string, string>; logLevel: string; logFile: string; children: StoppableChild[] }): Promise<WhatsAppHub> {
  const start = async (role: 'api' | 'worker') => {
    const child = await BenchChild.start({ name: role, env: { ...input.env, LOG_LEVEL: input.logLevel, PORT: '0', BENCH_ROLE: 'hub', HUB_ROLE: role }, logFile: input.logFile });
    input.children.push(child);
    return child;
  };
  const api = await start('api');
  if (!api.url) throw new Error('the hub API process reported no URL');
  let worker: Promise<BenchChild> | null = null;
  return {
    api,
    url: api.url,
    worker: () => (worker ??= start('worker')),
  };
}
