import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { InboundMessageEvent, InboundStatusEvent } from '@ventanilla/connectors/core';
import type { LoadedChannel } from '../channels/channel-store.js';
import { enqueueBotTurnIfBot } from '../bots/runtime/bot-jobs.js';
import { autoAcknowledge } from '../email/auto-ack.usecase.js';
import { FileStore } from '../files/file-store.js';
import { contactLeft } from '../ingest/contact-left.usecase.js';
import { IngestBatcher } from '../ingest/ingest-batcher.js';
import { ingestMessages, type IngestItem, type IngestResult } from '../ingest/ingest-message.usecase.js';
import { resolveInboundMedia } from '../ingest/resolve-inbound-media.js';
import { applyMassSmsStatus } from '../mass-sms/apply-mass-sms-status.usecase.js';
import { applyDeliveryStatus } from '../outbound/apply-delivery-status.usecase.js';
import { applySmsKeyword } from '../outbound/sms-keyword.usecase.js';
import { handleAppointmentReply } from '../appointments/reminders/appointment-reply.usecase.js';
import { bullPrefix, inboundJobSchema, ingestBackoff, QUEUE, type InboundJob } from '../queues/queues.js';
import type { HubContext } from '../runtime/context.js';
import { createRedis, quitWithWorker } from '../runtime/redis.js';
import { traceJob } from '../observability/job-tracing.js';
import { currentSpan } from '../observability/tracing.js';

/** A status for a message we have not stored yet is retried a few times, then let go. */
const STATUS_UNKNOWN_MAX_ATTEMPTS = 8;

export function startIngestWorker(ctx: HubContext): Worker<InboundJob> {
  const batcher = createIngestBatcher(ctx);
  const connection = createRedis(ctx.config.REDIS_URL);
  const worker = new Worker<InboundJob>(QUEUE.inbound, (job) => traceJob(ctx.tracing, 'ingest', job, () => processInbound(ctx, job, batcher)), {
    connection,
    prefix: bullPrefix(ctx.config.REDIS_PREFIX),
    concurrency: ctx.config.INGEST_CONCURRENCY,
    settings: { backoffStrategy: (attemptsMade: number) => ingestBackoff(attemptsMade) },
  });
  quitWithWorker(worker, connection);
  worker.on('failed', (job, error) => {
    ctx.logger.warn({ err: error, jobId: job?.id, attemptsMade: job?.attemptsMade }, 'ingest job failed; will retry if attempts remain');
  });
  worker.on('error', (error) => ctx.logger.error({ err: error }, 'ingest worker error'));
  return worker;
}

export type IngestBatcherFor = IngestBatcher<IngestItem, IngestResult>;

export function createIngestBatcher(ctx: HubContext): IngestBatcherFor {
  return new IngestBatcher((items) => ingestMessages(ctx.db.kysely, items), {
    maxBatch: ctx.config.INGEST_BATCH_SIZE,
    maxInFlight: ctx.config.INGEST_BATCHES_IN_FLIGHT,
  });
}

export async function processInbound(ctx: HubContext, job: Job<InboundJob>, batcher: IngestBatcherFor = createIngestBatcher(ctx)): Promise<string> {
  const parsed = inboundJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed inbound job: ${parsed.error.message}`);
  const data = parsed.data;
  const channel = await ctx.channels.get(data.channelId);
  if (!channel) throw new UnrecoverableError(`channel ${data.channelId} no longer exists`);
  // Built only when a line is written: child loggers cost CPU on the hot path.
  const log = () => ctx.logger.child({ requestId: data.requestId, jobId: job.id, channelId: data.channelId });
  const event = data.event;
  currentSpan()?.setAttributes({ 'ventanilla.channel.kind': channel.kind, 'ventanilla.channel.id': channel.row.id, 'ventanilla.campaign.id': channel.row.campaign_id, 'ventanilla.event.type': event.type });
  switch (event.type) {
    case 'status':
      return processStatus(ctx, job, channel, event, log);
    case 'message':
      return processMessage(ctx, data, channel, event, batcher, log);
    case 'contact_left':
      return contactLeft(ctx, channel, event, log);
    default: {
      const exhaustive: never = event;
      throw new UnrecoverableError(`unhandled inbound event ${JSON.stringify(exhaustive)}`);
    }
  }
}

type LazyLog = () => HubContext['logger'];

async function processStatus(ctx: HubContext, job: Job<InboundJob>, channel: LoadedChannel, event: InboundStatusEvent, log: LazyLog): Promise<string> {
  // Receipts of mass SMS belong to their recipient rows (found by MessageSid), not to a conversation.
  if (channel.kind === 'sms') {
    const mass = await applyMassSmsStatus(ctx.db.kysely, channel.row.id, event);
    if (mass !== 'not_mass_sms') return `mass_sms_${mass}`;
  }
  const result = await applyDeliveryStatus(ctx.db.kysely, channel, event);
  if (result.outcome === 'applied') ctx.relay.publishCommitted(result.outbox);
  if (result.outcome === 'unknown_message') {
    if (job.attemptsMade + 1 < STATUS_UNKNOWN_MAX_ATTEMPTS) throw new Error(`status for unknown message ${event.providerMessageId}`);
    log().warn({ providerMessageId: event.providerMessageId }, 'status for a message we never sent; ignored');
  }
  return result.outcome;
}

async function processMessage(ctx: HubContext, data: InboundJob, channel: LoadedChannel, event: InboundMessageEvent, batcher: IngestBatcherFor, log: LazyLog): Promise<string> {
  // Media given by reference is downloaded and stored first, so the message links its files.
  const resolved = await resolveInboundMedia({ db: ctx.db.kysely, store: new FileStore(ctx.config.DATA_DIR), fetch, maxBytes: ctx.config.INBOUND_MEDIA_MAX_BYTES }, channel, event);
  const result = await batcher.submit({ channel, event: resolved });
  if (result.outcome === 'stored') {
    ctx.relay.publishCommitted(result.outbox);
    // Citas (issue 11): a SÍ / NO to an appointment reminder, or a survey score, is answered here — not by the bot.
    const appointmentReply = await handleAppointmentReply(ctx, result.messageId, { content: event.content });
    // A new conversation waits for intake and an agent (router/service/router-service.ts).
    if (result.newConversation || result.reopened) ctx.router.kick();
    // A conversation the bot holds (status `bot`, migration 0008): the bot answers before anyone.
    if (!appointmentReply.handled) await enqueueBotTurnIfBot(ctx, channel, result);
    // E-mail: the acknowledgement with the folio for a mail that opened a conversation.
    if (result.newConversation && channel.kind === 'email') await autoAcknowledge(ctx, channel, event, result);
    // SMS ALTO/STOP and START: the opt-out list every later send to this number checks.
    if (channel.kind === 'sms') await applySmsKeyword(ctx.db.kysely, channel.row.id, event);
    ctx.metrics.ingestLatency.observe({ channel_kind: channel.kind }, (Date.now() - data.receivedAt) / 1000);
    if (ctx.logger.isLevelEnabled('debug')) log().child({ folio: result.folio }).debug({ messageId: result.messageId, newConversation: result.newConversation }, 'message stored');
  }
  // The bot's job may have been lost between the first store and its enqueue: the retry finds a duplicate.
  if (result.outcome === 'duplicate' && !(await handleAppointmentReply(ctx, result.messageId, { content: event.content })).handled) await enqueueBotTurnIfBot(ctx, channel, result);
  ctx.metrics.ingested.inc({ outcome: result.outcome });
  currentSpan()?.setAttributes({ 'ventanilla.ingest.outcome': result.outcome, 'ventanilla.folio': 'folio' in result ? result.folio : undefined });
  return result.outcome;
}
