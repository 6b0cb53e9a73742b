import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/**
 * A send pace shared by every worker process (a mailing's rate, seed §1.4: uniform, no bursts
 * that look like spam; a channel's provider limit, issue 6 item 2): Redis hands out send slots
 * `60000 / rate` ms apart. A slot is reserved at
 * most `lookaheadMs` ahead, so a sender sleeps at most that long before checking the mailing is
 * still sending (pause takes effect within it). Time is Redis's own clock, so processes on
 * different machines agree. Idle time is not saved up: after a pause the pace starts afresh.
 */
const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local lookahead = tonumber(ARGV[2])
local nextSlot = tonumber(redis.call('GET', KEYS[1]) or '0')
if nextSlot < now then nextSlot = now end
local ahead = nextSlot - now
if ahead > lookahead then
  return {0, math.ceil(ahead - lookahead)}
end
redis.call('SET', KEYS[1], string.format('%.3f', nextSlot + interval), 'PX', math.ceil(interval + lookahead) + 60000)
return {1, math.floor(ahead)}
`;
const SHA = createHash('sha1').update(SCRIPT).digest('hex');
const reply = z.tuple([z.number(), z.number()]);

export type SlotReservation = { granted: true; delayMs: number } | { granted: false; retryInMs: number };

export class SendSlotLimiter {
  /** `keyPrefix` names the pace family, e.g. `<REDIS_PREFIX>:massmail:slot`; one key per paced id under it. */
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly lookaheadMs = 1000,
  ) {}

  /** A slot for one send of `id` (a mailing, a channel): send after `delayMs`, or ask again in `retryInMs`. */
  async reserve(id: string, ratePerMinute: number): Promise<SlotReservation> {
    const key = `${this.keyPrefix}:${id}`;
    const args = [String(60_000 / ratePerMinute), String(this.lookaheadMs)];
    let result: unknown;
    try {
      result = await this.redis.evalsha(SHA, 1, key, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
      result = await this.redis.eval(SCRIPT, 1, key, ...args);
    }
    const [granted, ms] = reply.parse(result);
    return granted === 1 ? { granted: true, delayMs: ms } : { granted: false, retryInMs: Math.max(1, ms) };
  }
}
