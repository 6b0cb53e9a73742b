import type { Config } from '../config/config.js';
import type { HubQueues } from './queues.js';

type OutboundSettings = { config: Pick<Config, 'OUTBOUND_MAX_ATTEMPTS' | 'OUTBOUND_BACKOFF_MS'> };

/** One job per message (the id makes a repeated enqueue a no-op), retried with backoff. */
export function outboundJobOptions(ctx: OutboundSettings, messageId: string) {
  return {
    jobId: `out-${messageId}`,
    attempts: ctx.config.OUTBOUND_MAX_ATTEMPTS,
    backoff: { type: 'exponential' as const, delay: ctx.config.OUTBOUND_BACKOFF_MS },
  };
}

export async function enqueueOutbound(ctx: OutboundSettings & { queues: Pick<HubQueues, 'outbound'> }, messageId: string): Promise<void> {
  await ctx.queues.outbound.add('send', { messageId }, outboundJobOptions(ctx, messageId));
}
