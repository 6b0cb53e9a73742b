import type { ConnectionOptions, Queue } from 'bullmq';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { inboundEventSchema, type InboundEvent } from '@ventanilla/connectors/core';
import { TracedQueue } from '../observability/traced-queue.js';

export const QUEUE = { inbound: 'inbound', outbound: 'outbound', bot: 'bot' } as const;

export const inboundJobSchema = z.object({
  channelId: z.uuid(),
  event: inboundEventSchema,
  /** Epoch ms when the webhook arrived: ingest latency is measured from here. */
  receivedAt: z.number().int().positive(),
  requestId: z.string().max(100).optional(),
});
export type InboundJob = z.infer<typeof inboundJobSchema>;

export const outboundJobSchema = z.object({ messageId: z.uuid() });
export type OutboundJob = z.infer<typeof outboundJobSchema>;

/** A citizen message in a conversation the bot serves (issue 7); the worker answers every unanswered one in order. */
export const botJobSchema = z.object({ conversationId: z.uuid(), messageId: z.uuid() });
export type BotJob = z.infer<typeof botJobSchema>;

/** One turn per stored message: a replayed webhook (a second ingest of the same message) adds no job. BullMQ forbids ':' in custom ids. */
export function botJobId(messageId: string): string {
  return `bot-${messageId}`;
}

/**
 * Idempotency (CONVENTIONS 3): the job id is derived from the channel and the provider's
 * id, so a provider retry while the first job is still known to BullMQ adds nothing; the
 * unique (channel, provider id) constraint catches the rest.
 */
export function inboundJobId(job: InboundJob): string {
  return `in-${job.channelId}-${createHash('sha1').update(inboundEventKey(job.event)).digest('hex')}`;
}

function inboundEventKey(event: InboundEvent): string {
  switch (event.type) {
    case 'message':
      return `msg:${event.providerMessageId}`;
    case 'status':
      return `status:${event.providerMessageId}:${event.status}`;
    case 'contact_left':
      return `left:${event.providerEventId}`;
    default: {
      const exhaustive: never = event;
      throw new Error(`unhandled inbound event ${JSON.stringify(exhaustive)}`);
    }
  }
}

/** Exponential from 250 ms, capped at 30 s, so an outage of any length is retried promptly. */
export function ingestBackoff(attemptsMade: number): number {
  return Math.min(30_000, 250 * 2 ** Math.max(0, attemptsMade - 1));
}

export interface HubQueues {
  inbound: Queue<InboundJob>;
  outbound: Queue<OutboundJob>;
  bot: Queue<BotJob>;
  close(): Promise<void>;
}

export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}:bull`;
}

export function createQueues(connection: ConnectionOptions, redisPrefix: string): HubQueues {
  const prefix = bullPrefix(redisPrefix);
  // Traced: a job carries its producer's trace context when tracing is on (observability/traced-queue.ts).
  const inbound = new TracedQueue<InboundJob>(QUEUE.inbound, {
    connection,
    prefix,
    defaultJobOptions: {
      // Ingest retries until PostgreSQL is back: capped backoff (ingestBackoff) for ~2 hours.
      attempts: 250,
      backoff: { type: 'custom' },
      removeOnComplete: { age: 3600, count: 50_000 },
      removeOnFail: false,
    },
  });
  const outbound = new TracedQueue<OutboundJob>(QUEUE.outbound, {
    connection,
    prefix,
    defaultJobOptions: { removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: false },
  });
  const bot = new TracedQueue<BotJob>(QUEUE.bot, {
    connection,
    prefix,
    // A failed turn (database down) is retried; the turn itself is idempotent per message (bot_turns_message_idx).
    defaultJobOptions: { attempts: 20, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { count: 10_000 } },
  });
  return {
    inbound,
    outbound,
    bot,
    async close() {
      await Promise.all([inbound.close(), outbound.close(), bot.close()]);
    },
  };
}
