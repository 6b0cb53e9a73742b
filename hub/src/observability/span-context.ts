import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from 'zod';
import type { Config } from '../config/config.js';

/**
 * What tracing.ts (always loaded) and otel-tracing.ts (loaded only when tracing is on) share:
 * the span contract, the W3C carrier of job data, and the current span of the calling code.
 */

/** W3C trace context as carried in BullMQ job data (`trace`), so a job continues its producer's trace. */
export const traceCarrierSchema = z.object({ traceparent: z.string().min(1).max(128), tracestate: z.string().max(512).optional() });
export type TraceCarrier = z.infer<typeof traceCarrierSchema>;

/** Only ids, kinds and counts (see README): a value here ends up in a tracing back end. */
export type SpanAttributes = Record<string, string | number | boolean | undefined>;

export interface HubSpan {
  setAttributes(attributes: SpanAttributes): void;
  /** Marks the span failed with the error's class and code (not its message: it may quote input). */
  recordError(error: unknown): void;
  /** This span as a parent for work elsewhere (a job, another process). */
  carrier(): TraceCarrier;
  end(): void;
}

export interface SpanOptions {
  /** Explicit parent; default: the span this code runs in (currentSpan), if any. */
  parent?: TraceCarrier | null;
  /** A trace this span was caused by without being part of it (a routing pass kicked by an ingest). */
  link?: TraceCarrier | null;
  kind?: 'server' | 'internal' | 'consumer' | 'producer';
  /** Epoch ms when the work started, for spans recorded after the fact. */
  startTime?: number;
}

export interface Tracing {
  readonly enabled: boolean;
  startSpan(name: string, attributes: SpanAttributes, options?: SpanOptions): HubSpan;
  /** Runs `fn` inside a new span (currentSpan() is that span within it); ends it, recording a throw. */
  inSpan<T>(name: string, attributes: SpanAttributes, fn: (span: HubSpan) => Promise<T>, options?: SpanOptions): Promise<T>;
  /** Exports what is buffered and stops (process shutdown). */
  shutdown(): Promise<void>;
}

const active = new AsyncLocalStorage<HubSpan>();

/** The span the calling code runs in. Never set while tracing is off, so this costs a lookup then. */
export function currentSpan(): HubSpan | undefined {
  return active.getStore();
}

/** Runs `fn` with `span` as the current span (job producers read it: traced-queue.ts). */
export function runInSpan<T>(span: HubSpan, fn: () => T): T {
  return active.run(span, fn);
}

/** Runs `fn` outside any span: work it starts (a loop serving many requests) belongs to no one's trace. */
export function outsideSpans<T>(fn: () => T): T {
  return active.exit(fn);
}

/** The `trace` field of a job's data, when its producer ran in a span; anything else is ignored. */
export function traceCarrierOf(data: unknown): TraceCarrier | null {
  if (data === null || typeof data !== 'object' || !('trace' in data)) return null;
  const parsed = traceCarrierSchema.safeParse(data.trace);
  return parsed.success ? parsed.data : null;
}

export type TracingConfig = Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_TRACES_ENABLED' | 'OTEL_SERVICE_NAME' | 'OTEL_BSP_SCHEDULE_DELAY' | 'HUB_ROLE'>;

/** The standard OTLP/HTTP collector address when only OTEL_TRACES_ENABLED is set. */
export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';
