import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { runInSpan, type HubSpan, type Tracing } from './tracing.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's server span, and for a provider webhook its handling span (http-tracing.ts). */
    traceSpans: { request: HubSpan; webhook: HubSpan | null } | null;
  }
}

const WEBHOOK_ROUTE = /^\/webhooks\/([a-z0-9_-]+)\/:channelId$/;

/**
 * A server span per HTTP request (Fastify hooks, no auto-instrumentation) named after the route
 * template, and a `webhook.receive` child for provider webhooks. Attributes are the method, the
 * route template and the status: never the URL itself (query strings may carry a phone number).
 * The handler runs with the innermost span current, so the jobs it enqueues carry its trace.
 * Nothing is installed when tracing is off.
 */
export function installHttpTracing(app: FastifyInstance, tracing: Tracing): void {
  if (!tracing.enabled) return;
  app.decorateRequest('traceSpans', null);
  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const span = tracing.startSpan(`${request.method} ${route}`, { 'http.request.method': request.method, 'http.route': route }, { kind: 'server', parent: null });
    const kind = request.method === 'POST' ? WEBHOOK_ROUTE.exec(route)?.[1] : undefined;
    const webhook = kind ? tracing.startSpan('webhook.receive', { 'ventanilla.channel.kind': kind }, { parent: span.carrier() }) : null;
    request.traceSpans = { request: span, webhook };
  });
  // Callback style on purpose: the handler is called from `done`, so it runs inside the span's
  // async context (after the body was read, which an onRequest context would not survive).
  app.addHook('preHandler', (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    const spans = request.traceSpans;
    if (!spans) return done();
    runInSpan(spans.webhook ?? spans.request, done);
  });
  const finish = (request: FastifyRequest, status: number | null) => {
    const spans = request.traceSpans;
    if (!spans) return;
    request.traceSpans = null;
    for (const span of [spans.webhook, spans.request]) {
      if (!span) continue;
      if (status === null) span.setAttributes({ 'ventanilla.http.aborted': true });
      else span.setAttributes({ 'http.response.status_code': status });
      if (status !== null && status >= 500) span.recordError(new Error(`HTTP ${status}`));
      span.end();
    }
  };
  app.addHook('onResponse', async (request, reply) => finish(request, reply.statusCode));
  app.addHook('onRequestAbort', async (request) => finish(request, null));
}
