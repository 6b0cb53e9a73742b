import type { Logger } from './logger.js';
import { DEFAULT_OTLP_ENDPOINT, type HubSpan, type Tracing, type TracingConfig } from './span-context.js';

export { currentSpan, outsideSpans, runInSpan, traceCarrierOf, traceCarrierSchema, DEFAULT_OTLP_ENDPOINT } from './span-context.js';
export type { HubSpan, SpanAttributes, SpanOptions, TraceCarrier, Tracing, TracingConfig } from './span-context.js';

/**
 * Optional OpenTelemetry tracing (issue 12 item 7). This module never imports OpenTelemetry: with
 * tracing off the hub runs `noopTracing` and no SDK module is ever loaded (otel-tracing.ts is
 * imported dynamically, only when enabled). Attributes are ids and kinds, never personal data.
 */

const noopSpan: HubSpan = {
  setAttributes: () => undefined,
  recordError: () => undefined,
  carrier: () => ({ traceparent: '' }),
  end: () => undefined,
};

export const noopTracing: Tracing = {
  enabled: false,
  startSpan: () => noopSpan,
  inSpan: (_name, _attributes, fn) => fn(noopSpan),
  shutdown: async () => undefined,
};

/** On when OTEL_TRACES_ENABLED=true, or when an OTLP endpoint is set and OTEL_TRACES_ENABLED is not false. */
export function tracingEnabled(config: Pick<TracingConfig, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_TRACES_ENABLED'>): boolean {
  return config.OTEL_TRACES_ENABLED ?? config.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined;
}

export async function createTracing(config: TracingConfig, logger: Logger): Promise<Tracing> {
  if (!tracingEnabled(config)) return noopTracing;
  const { createOtelTracing } = await import('./otel-tracing.js');
  const tracing = createOtelTracing(config, logger);
  logger.info({ endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT ?? DEFAULT_OTLP_ENDPOINT, serviceName: config.OTEL_SERVICE_NAME }, 'OpenTelemetry tracing on');
  return tracing;
}
