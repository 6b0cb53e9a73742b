import { DelayedError, type Job } from 'bullmq';
import { runInSpan, traceCarrierOf, type Tracing } from './tracing.js';

/**
 * Runs one BullMQ job inside a consumer span that continues the trace its producer put in the job
 * data (traced-queue.ts). A job moved back to the delayed set (DelayedError: a paced send) is not a
 * failure. The job's work reads the span as currentSpan() and adds the folio once it knows it.
 */
export async function traceJob<T>(tracing: Pick<Tracing, 'enabled' | 'startSpan'>, name: string, job: Pick<Job, 'id' | 'data' | 'queueName' | 'attemptsMade'>, fn: () => Promise<T>): Promise<T> {
  if (!tracing.enabled) return fn();
  const span = tracing.startSpan(
    name,
    { 'messaging.system': 'bullmq', 'messaging.destination.name': job.queueName, 'messaging.message.id': job.id, 'ventanilla.job.attempt': job.attemptsMade + 1 },
    { kind: 'consumer', parent: traceCarrierOf(job.data) },
  );
  try {
    return await runInSpan(span, fn);
  } catch (error) {
    if (error instanceof DelayedError) span.setAttributes({ 'ventanilla.job.delayed': true });
    else span.recordError(error);
    throw error;
  } finally {
    span.end();
  }
}
