import { createServer, type Server, type ServerResponse } from 'node:http';
import { refreshGauges } from '../http/health.routes.js';
import type { HubContext } from '../runtime/context.js';
import { metricsScrapeAllowed } from './metrics-access.js';

export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

/**
 * A worker-only process (HUB_ROLE=worker) has no HTTP server, yet its job counters and durations
 * are its own (worker-metrics.ts): this tiny node:http listener on METRICS_PORT serves the same
 * GET /metrics as the API (health.routes.ts) and GET /healthz, and nothing else.
 */
export async function startMetricsListener(ctx: HubContext, host: string, port: number): Promise<MetricsListener> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'application/json', '{"error":"method not allowed"}');
    if (path === '/healthz') return send(response, 200, 'application/json', '{"status":"ok"}');
    if (path !== '/metrics') return send(response, 404, 'application/json', '{"error":"not found"}');
    if (!metricsScrapeAllowed(ctx.config.METRICS_TOKEN, request.headers.authorization)) return send(response, 401, 'application/json', '{"error":{"code":"HUB_ERR_AUTH_REQUIRED"}}');
    refreshGauges(ctx)
      .then(() => ctx.metrics.registry.metrics())
      .then((text) => send(response, 200, ctx.metrics.registry.contentType, text))
      .catch((error: unknown) => {
        ctx.logger.warn({ err: error }, 'metrics listener: scrape failed');
        send(response, 500, 'application/json', '{"error":"scrape failed"}');
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${typeof address === 'object' && address ? address.port : port}`;
  ctx.logger.info({ url }, 'metrics listener started');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A scraper's keep-alive connection would hold the close until it times out.
        server.closeAllConnections();
      }),
  };
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}
