import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { sql } from 'kysely';
import type { OpenedFile, SessionDelivery } from '@ventanilla/connectors/core';
import { FileStore } from '../files/file-store.js';
import type { WidgetMessage } from '../webchat/widget.contract.js';
import { enqueueOutbound, outboundJobOptions } from '../queues/outbound-jobs.js';
import { ChannelSendPace } from '../outbound/channel-send-pace.js';
import { deliverMessage } from '../outbound/deliver-message.usecase.js';
import { recordOutboundSend } from '../observability/connector-metrics.js';
import { traceJob } from '../observability/job-tracing.js';
import { bullPrefix, outboundJobSchema, QUEUE, type OutboundJob } from '../queues/queues.js';
import type { HubContext } from '../runtime/context.js';
import { createRedis, quitWithWorker } from '../runtime/redis.js';

export { enqueueOutbound, outboundJobOptions } from '../queues/outbound-jobs.js';

/** A stored file's bytes for adapters that send attachments inline (e-mail). */
async function openStoredFile(ctx: HubContext, fileId: string): Promise<OpenedFile | null> {
  const row = await ctx.db.kysely.selectFrom('files').select(['filename', 'mime_type', 'storage_key']).where('id', '=', fileId).executeTakeFirst();
  const content = row ? await new FileStore(ctx.config.DATA_DIR).open(row.storage_key) : null;
  return row && content ? { filename: row.filename, mimeType: row.mime_type, content } : null;
}

/** `sessions`: the WhatsApp Web session manager of this process, when it runs one (start-workers.ts). */
export function startOutboundWorker(ctx: HubContext, fetchImpl: typeof fetch = fetch, sessions?: SessionDelivery): Worker<OutboundJob> {
  const pace = new ChannelSendPace(ctx.redis, ctx.config.REDIS_PREFIX);
  const connection = createRedis(ctx.config.REDIS_URL);
  const worker = new Worker<OutboundJob>(QUEUE.outbound, (job, token) => traceJob(ctx.tracing, 'outbound.send', job, () => processOutbound(ctx, job, token, fetchImpl, pace, sessions)), {
    connection,
    prefix: bullPrefix(ctx.config.REDIS_PREFIX),
    concurrency: ctx.config.OUTBOUND_CONCURRENCY,
  });
  quitWithWorker(worker, connection);
  worker.on('error', (error) => ctx.logger.error({ err: error }, 'outbound worker error'));
  return worker;
}

async function processOutbound(ctx: HubContext, job: Job<OutboundJob>, token: string | undefined, fetchImpl: typeof fetch, pace: ChannelSendPace, sessions?: SessionDelivery): Promise<string> {
  const parsed = outboundJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed outbound job: ${parsed.error.message}`);
  const attempt = job.attemptsMade + 1;
  const result = await deliverMessage(ctx.db.kysely, ctx.channels, parsed.data.messageId, {
    attempt,
    finalAttempt: attempt >= (job.opts.attempts ?? 1),
    fetch: fetchImpl,
    openFile: (fileId) => openStoredFile(ctx, fileId),
    widget: { deliver: (visitorId, event, payload) => ctx.publisher.toVisitor(visitorId, event as 'message.created', payload as WidgetMessage) },
    pace: (channel) => pace.take(channel),
    ...(sessions ? { sessions } : {}),
  });
  if (result.outcome === 'paced') {
    // BullMQ's documented manual delay: the job waits in the delayed set and this attempt is
    // not counted, so a busy channel never uses up a message's retries.
    await job.moveToDelayed(Date.now() + result.waitMs, token);
    throw new DelayedError();
  }
  recordOutboundSend(ctx, parsed.data.messageId, result);
  if (result.outcome === 'sent' || result.outcome === 'failed') ctx.relay.publishCommitted(result.outbox);
  // Throwing hands the retry to BullMQ's exponential backoff.
  if (result.outcome === 'retry') throw new Error(`retryable send failure ${result.code}: ${result.reason}`);
  return result.outcome;
}

/**
 * Re-enqueues replies that are still pending well after they were stored — the process
 * may have died between commit and enqueue. The job id makes this a no-op otherwise.
 */
export async function sweepPendingOutbound(ctx: HubContext, olderThanMs = 15_000): Promise<number> {
  const rows = await ctx.db.kysely
    .selectFrom('messages')
    .select('id')
    .where('direction', '=', 'outbound')
    .where('status', '=', 'pending')
    .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)
    .limit(1000)
    .execute();
  for (const row of rows) {
    // A job that failed for good (e.g. the database was down on its last attempt) keeps its
    // id, so adding it again would be a no-op: give it another round instead.
    const job = await ctx.queues.outbound.getJob(outboundJobOptions(ctx, row.id).jobId);
    if (job && (await job.isFailed())) await job.retry('failed');
    else if (!job) await enqueueOutbound(ctx, row.id);
  }
  return rows.length;
}
