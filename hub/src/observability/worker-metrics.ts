import type { Job, Worker } from 'bullmq';
import type { Metrics } from './metrics.js';

/** Completed / failed counters and the attempt duration of every job a worker of this process runs. */
export function instrumentWorker(metrics: Pick<Metrics, 'vt'>, worker: Worker): void {
  const queue = worker.name;
  const observe = (job: Job | undefined): void => {
    if (job?.processedOn && job.finishedOn && job.finishedOn >= job.processedOn) metrics.vt.jobDuration.observe({ queue }, (job.finishedOn - job.processedOn) / 1000);
  };
  worker.on('completed', (job) => {
    metrics.vt.jobsCompleted.inc({ queue });
    observe(job);
  });
  worker.on('failed', (job) => {
    metrics.vt.jobsFailed.inc({ queue });
    observe(job);
  });
}
