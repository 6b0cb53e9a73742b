import type { JobStats } from './child-protocol.js';
import { summarize } from './stats.js';

interface FinishedJob {
  data: unknown;
  timestamp: number;
  processedOn?: number | undefined;
  finishedOn?: number | undefined;
}

const PHASE = /-(p\d+)-/;

/** Timings of completed ingest jobs, grouped by the benchmark phase written in the message id. */
export class JobTimings {
  private readonly byPhase = new Map<string, { enqueue: number[]; wait: number[]; processing: number[] }>();

  record(job: FinishedJob): void {
    const data = job.data as { receivedAt?: number; event?: { providerMessageId?: string } };
    const phase = PHASE.exec(data.event?.providerMessageId ?? '')?.[1] ?? 'other';
    let bucket = this.byPhase.get(phase);
    if (!bucket) {
      bucket = { enqueue: [], wait: [], processing: [] };
      this.byPhase.set(phase, bucket);
    }
    const finishedOn = job.finishedOn ?? Date.now();
    const processedOn = job.processedOn ?? finishedOn;
    if (data.receivedAt) bucket.enqueue.push(job.timestamp - data.receivedAt);
    bucket.wait.push(processedOn - job.timestamp);
    bucket.processing.push(finishedOn - processedOn);
  }

  summary(phase: string): JobStats {
    const bucket = this.byPhase.get(phase) ?? { enqueue: [], wait: [], processing: [] };
    return {
      count: bucket.processing.length,
      enqueueMs: summarize(bucket.enqueue),
      queueWaitMs: summarize(bucket.wait),
      processingMs: summarize(bucket.processing),
    };
  }
}
