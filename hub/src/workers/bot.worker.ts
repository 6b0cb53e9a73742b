import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { BotModels } from '../bots/runtime/bot-models.js';
import { enqueueBotReplies } from '../bots/runtime/bot-jobs.js';
import { sweepIdleBotSessions } from '../bots/runtime/bot-session-end.usecase.js';
import { answerNextMessage, type BotTurnDeps } from '../bots/runtime/bot-turn.usecase.js';
import { KbAnswerers, kbLlmConfig } from '../bots/runtime/kb-answerers.js';
import { folioOf } from '../observability/router-observer.js';
import { botJobSchema, bullPrefix, QUEUE, type BotJob } from '../queues/queues.js';
import type { HubContext } from '../runtime/context.js';
import { createRedis, quitWithWorker } from '../runtime/redis.js';
import { traceJob } from '../observability/job-tracing.js';
import { currentSpan } from '../observability/tracing.js';

/** Messages one job answers at most (each in its own transaction); the rest wait for their own jobs. */
const MAX_TURNS_PER_JOB = 50;

export interface BotWorker {
  worker: Worker<BotJob>;
  stopSweep(): void;
}

/** The bot's turns (issue 7) and the idle sweep that cuts off silent sessions. */
export function startBotWorker(ctx: HubContext): BotWorker {
  const models = new BotModels(ctx.db.kysely);
  const deps: BotTurnDeps = { db: ctx.db.kysely, models, kb: new KbAnswerers(ctx.db.kysely, kbLlmConfig(ctx.config)), channels: ctx.channels, logger: ctx.logger };
  const connection = createRedis(ctx.config.REDIS_URL);
  const worker = new Worker<BotJob>(QUEUE.bot, (job) => traceJob(ctx.tracing, 'bot.turn', job, () => processBotJob(ctx, deps, job)), {
    connection,
    prefix: bullPrefix(ctx.config.REDIS_PREFIX),
    concurrency: ctx.config.BOT_CONCURRENCY,
  });
  quitWithWorker(worker, connection);
  worker.on('failed', (job, error) => ctx.logger.warn({ err: error, jobId: job?.id, attemptsMade: job?.attemptsMade }, 'bot turn failed; will retry if attempts remain'));
  worker.on('error', (error) => ctx.logger.error({ err: error }, 'bot worker error'));
  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweepIdleBotSessions(ctx.db.kysely, models)
      .then((result) => ctx.relay.publishCommitted(result.outbox))
      .catch((error: unknown) => ctx.logger.warn({ err: error }, 'bot idle sweep failed'))
      .finally(() => {
        sweeping = false;
      });
  }, ctx.config.BOT_IDLE_SWEEP_MS);
  timer.unref();
  return { worker, stopSweep: () => clearInterval(timer) };
}

/**
 * Answers every unanswered message of the job's conversation, oldest first. Two jobs of one
 * conversation serialise on its session row, so the second finds its message already answered.
 */
export async function processBotJob(ctx: HubContext, deps: BotTurnDeps, job: Pick<Job<BotJob>, 'data'>): Promise<string> {
  const parsed = botJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed bot job: ${parsed.error.message}`);
  let turns = 0;
  while (turns < MAX_TURNS_PER_JOB) {
    const answered = await answerNextMessage(deps, parsed.data.conversationId);
    if (!answered) break;
    turns++;
    ctx.relay.publishCommitted(answered.outbox);
    currentSpan()?.setAttributes({ 'ventanilla.folio': folioOf(answered.outbox), 'ventanilla.bot.turns': turns });
    if (ctx.logger.isLevelEnabled('debug')) ctx.logger.child({ folio: folioOf(answered.outbox) }).debug({ conversationId: parsed.data.conversationId, replies: answered.replyIds.length }, 'bot answered');
    await enqueueBotReplies(ctx, answered.replyIds).catch((error: unknown) => ctx.logger.warn({ err: error }, 'bot replies stored but not enqueued yet; the outbound sweep sends them'));
    await ctx.router.apply({ outbox: [], timers: answered.timers, messageIds: [], reroute: answered.reroute });
  }
  return turns === 0 ? 'nothing_to_answer' : `answered_${turns}`;
}
