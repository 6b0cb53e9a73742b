import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { LoadedChannel } from '../channels/channel-store.js';
import { SendSlotLimiter } from '../queues/send-slot-limiter.js';

/**
 * Providers count sends on their side, after network jitter: a send that left a little late
 * followed by one that left a little early would put one more than the limit into some second.
 * Pacing 5 % below the limit absorbs that jitter.
 */
const HEADROOM = 0.95;

const paceSettingsSchema = z.object({ maxSendsPerSecond: z.number().positive().max(10_000) });

/**
 * Sends per second a channel may make: its settings' `maxSendsPerSecond` (the admin knows the
 * number's tier) wins over the adapter's default (WhatsApp Cloud API: 80/s per number). Null:
 * no pace.
 */
export function sendsPerSecondOf(channel: Pick<LoadedChannel, 'adapter' | 'settings'>): number | null {
  const fromSettings = paceSettingsSchema.safeParse(channel.settings);
  if (fromSettings.success) return fromSettings.data.maxSendsPerSecond;
  return channel.adapter.capabilities.maxSendsPerSecond ?? null;
}

/**
 * One pace per channel shared by every outbound worker process (Redis slots, Redis's clock).
 * A slot within the next `lookaheadMs` is waited for in place; further away, the caller gets
 * the time to come back (the worker moves the job to delayed, which costs no attempt), with
 * jitter so the jobs refused together do not all return at the same moment.
 */
export class ChannelSendPace {
  private readonly limiter: SendSlotLimiter;
  constructor(
    redis: Redis,
    redisPrefix: string,
    private readonly lookaheadMs = 1000,
  ) {
    this.limiter = new SendSlotLimiter(redis, `${redisPrefix}:outbound:pace`, lookaheadMs);
  }

  /** 0 when the send may go now (after waiting for its slot), else ms until it should ask again. */
  async take(channel: Pick<LoadedChannel, 'row' | 'adapter' | 'settings'>): Promise<number> {
    const perSecond = sendsPerSecondOf(channel);
    if (perSecond === null) return 0;
    const ratePerMinute = perSecond * 60 * HEADROOM;
    const intervalMs = 60_000 / ratePerMinute;
    for (let tries = 0; tries < 3; tries++) {
      const slot = await this.limiter.reserve(channel.row.id, ratePerMinute);
      if (!slot.granted) return slot.retryInMs + Math.floor(Math.random() * (this.lookaheadMs / 2));
      if (slot.delayMs === 0) return 0;
      const due = Date.now() + slot.delayMs;
      await sleep(slot.delayMs);
      // A stalled event loop wakes every sleeper at once; sending then would bunch them past
      // the provider's limit, so a late wake-up asks for a fresh slot instead.
      if (Date.now() - due <= intervalMs / 4) return 0;
    }
    return intervalMs;
  }
}
