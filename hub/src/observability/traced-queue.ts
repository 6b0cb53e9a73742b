import { Queue, type BulkJobOptions, type JobsOptions } from 'bullmq';
import { currentSpan } from './tracing.js';

/**
 * A BullMQ queue whose jobs carry the producer's trace context (`trace.traceparent`, W3C) when the
 * producer runs in a span, so the worker continues the same trace (job-tracing.ts). With tracing
 * off there is never a current span and the data is stored as given.
 */
export class TracedQueue<T extends object> extends Queue<T, unknown, string, T, unknown, string> {
  override add(name: string, data: T, opts?: JobsOptions) {
    return super.add(name, withTraceContext(data), opts);
  }

  override addBulk(jobs: { name: string; data: T; opts?: BulkJobOptions }[]) {
    return super.addBulk(jobs.map((job) => ({ ...job, data: withTraceContext(job.data) })));
  }
}

function withTraceContext<T extends object>(data: T): T {
  const span = currentSpan();
  return span ? { ...data, trace: span.carrier() } : data;
}
