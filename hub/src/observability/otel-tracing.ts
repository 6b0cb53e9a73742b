import { defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Link, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Logger } from './logger.js';
import { currentSpan, DEFAULT_OTLP_ENDPOINT, runInSpan, type HubSpan, type SpanAttributes, type SpanOptions, type TraceCarrier, type Tracing, type TracingConfig } from './span-context.js';

const KINDS = { server: SpanKind.SERVER, internal: SpanKind.INTERNAL, consumer: SpanKind.CONSUMER, producer: SpanKind.PRODUCER } as const;

/**
 * The SDK side of tracing.ts, loaded only when tracing is on. Nothing is registered globally (no
 * global provider, context manager or propagator): several hubs share one test process, and the
 * current span travels in tracing.ts's AsyncLocalStorage and, across BullMQ, as a W3C traceparent.
 */
export function createOtelTracing(config: TracingConfig, logger: Logger): Tracing {
  const endpoint = (config.OTEL_EXPORTER_OTLP_ENDPOINT ?? DEFAULT_OTLP_ENDPOINT).replace(/\/+$/, '');
  // The -http exporter posts OTLP/JSON; the URL is given in full so no OTEL_* variable overrides it.
  const exporter = new OTLPTraceExporter({ url: `${endpoint}/v1/traces` });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME, 'ventanilla.role': config.HUB_ROLE }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY })],
  });
  const tracer = provider.getTracer('ventanilla-hub');
  const propagator = new W3CTraceContextPropagator();

  const contextOf = (carrier: TraceCarrier): Context => propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
  const wrap = (span: Span): HubSpan => ({
    setAttributes: (attributes) => span.setAttributes(clean(attributes)),
    recordError: (error) => {
      // The class and code only: messages can quote what a citizen wrote.
      const type = error instanceof Error ? ('code' in error && typeof error.code === 'string' ? error.code : error.name) : typeof error;
      span.setAttribute('error.type', type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: type });
    },
    carrier: () => {
      const carrier: Record<string, string> = {};
      propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
      return { traceparent: carrier['traceparent'] ?? '', ...(carrier['tracestate'] ? { tracestate: carrier['tracestate'] } : {}) };
    },
    end: () => span.end(),
  });

  const startSpan = (name: string, attributes: SpanAttributes, options: SpanOptions = {}): HubSpan => {
    const parent = options.parent === undefined ? currentSpan()?.carrier() : options.parent;
    const links: Link[] = [];
    const linked = options.link ? trace.getSpanContext(contextOf(options.link)) : undefined;
    if (linked) links.push({ context: linked });
    const span = tracer.startSpan(
      name,
      { kind: KINDS[options.kind ?? 'internal'], attributes: clean(attributes), links, ...(options.startTime !== undefined ? { startTime: options.startTime } : {}) },
      parent?.traceparent ? contextOf(parent) : ROOT_CONTEXT,
    );
    return wrap(span);
  };

  return {
    enabled: true,
    startSpan,
    async inSpan(name, attributes, fn, options) {
      const span = startSpan(name, attributes, options);
      try {
        return await runInSpan(span, () => fn(span));
      } catch (error) {
        span.recordError(error);
        throw error;
      } finally {
        span.end();
      }
    },
    async shutdown() {
      await provider.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'tracing: spans not exported at shutdown'));
    },
  };
}

function clean(attributes: SpanAttributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
  return out;
}
