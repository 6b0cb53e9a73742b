import type { Worker } from 'bullmq';
import { closeSmtpTransports } from '@ventanilla/connectors';
import { startEmailReaders } from '../email/imap-reader.js';
import { startMassMailDispatcher } from '../mass-mail/mass-mail.worker.js';
import type { HubContext } from '../runtime/context.js';
import { startIngestWorker } from './ingest.worker.js';
import { startOutboundWorker, sweepPendingOutbound } from './outbound.worker.js';
import { startRouterWorker } from './router.worker.js';

export interface RunningWorkers {
  workers: Worker[];
  stop(): Promise<void>;
}

/** Ingest, outbound, router timers, the outbox relay sweep, the router sweep and the pending-reply sweep of one worker process. */
export function startWorkers(ctx: HubContext, options: { fetch?: typeof fetch; emailReaders?: boolean } = {}): RunningWorkers {
  const router = startRouterWorker(ctx);
  // IMAP readers of the e-mail channels (one process per mailbox at a time, see email/mailbox-lock.ts).
  const emailReaders = options.emailReaders === false ? null : startEmailReaders(ctx);
  const workers: Worker[] = [startIngestWorker(ctx), startOutboundWorker(ctx, options.fetch), router.worker];
  // Mass e-mail: scheduled mailings sent at their pace (any number of processes, see mass-mail/).
  const massMail = startMassMailDispatcher(ctx);
  ctx.relay.start();
  const sweep = setInterval(() => {
    sweepPendingOutbound(ctx).catch((error: unknown) => ctx.logger.warn({ err: error }, 'pending outbound sweep failed'));
  }, 10_000);
  sweep.unref();
  return {
    workers,
    async stop() {
      clearInterval(sweep);
      router.stopSweep();
      await massMail.stop();
      await emailReaders?.stop();
      await Promise.all(workers.map((w) => w.close()));
      // Pooled SMTP connections of the e-mail adapter: closed now rather than at their idle timeout.
      closeSmtpTransports();
      await ctx.relay.stop();
    },
  };
}
