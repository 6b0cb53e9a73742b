import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { sql, type Kysely } from 'kysely';
import type { ChannelStore } from '../channels/channel-store.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../observability/logger.js';
import { SendSlotLimiter } from '../queues/send-slot-limiter.js';
import type { HubContext } from '../runtime/context.js';
import { dispatchNextSms, type SmsDispatchDeps } from './dispatch-sms-recipient.usecase.js';

export interface MassSmsDispatcherOptions {
  concurrency: number;
  intervalMs: number;
  publicUrl: string;
  redisPrefix: string;
}

interface Active {
  id: string;
  ratePerMinute: number;
  notBefore: number;
  channelFailures: number;
}

const IDLE_BACKOFF_MS = 250;
const CHANNEL_BACKOFF_MAX_MS = 60_000;
/** Opted-out rows are skipped without spending a send slot, up to this many per slot. */
const SKIPS_PER_SLOT = 100;

/**
 * The mass SMS dispatcher of one worker process, the mass-mail design (mass-mail/README.md):
 * every `intervalMs` start due mailings, complete those with nothing pending and refresh the
 * list; `concurrency` lanes take a slot of the mailing's per-minute pace from the shared Redis
 * limiter (across processes) and send one recipient. Rows waiting for a retry are pending with a
 * `next_attempt_at`, so a mailing is complete only once its retries went out too.
 */
export class MassSmsDispatcher {
  private readonly active = new Map<string, Active>();
  private readonly limiter: SendSlotLimiter;
  private readonly abort = new AbortController();
  private readonly deps: SmsDispatchDeps;
  private lanes: Promise<void>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private turn = 0;

  constructor(
    private readonly ctx: { db: Kysely<Database>; redis: Redis; logger: Logger; channels: Pick<ChannelStore, 'get'> },
    private readonly options: MassSmsDispatcherOptions,
  ) {
    this.limiter = new SendSlotLimiter(ctx.redis, `${options.redisPrefix}:masssms:slot`);
    this.deps = { db: ctx.db, channels: ctx.channels, publicUrl: options.publicUrl };
  }

  start(): void {
    if (this.timer) return;
    this.runTick();
    this.timer = setInterval(() => this.runTick(), this.options.intervalMs);
    this.timer.unref();
    for (let i = 0; i < this.options.concurrency; i += 1) this.lanes.push(this.lane());
  }

  async stop(): Promise<void> {
    this.abort.abort();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.lanes);
    await this.ticking;
    this.lanes = [];
  }

  private runTick(): void {
    if (this.ticking || this.abort.signal.aborted) return;
    this.ticking = this.tick()
      .catch((error: unknown) => this.ctx.logger.warn({ err: error }, 'mass SMS dispatcher tick failed'))
      .finally(() => {
        this.ticking = null;
      });
  }

  async tick(): Promise<void> {
    const db = this.ctx.db;
    await db
      .updateTable('mass_sms')
      .set({ status: 'sending', started_at: sql`coalesce(started_at, now())`, updated_at: sql`now()` })
      .where('status', '=', 'scheduled')
      .where('scheduled_at', '<=', sql<Date>`now()`)
      .execute();
    await sql`
      UPDATE mass_sms m SET status = 'completed', completed_at = now(), updated_at = now()
      WHERE m.status = 'sending' AND NOT EXISTS (SELECT 1 FROM mass_sms_recipients r WHERE r.mass_sms_id = m.id AND r.status = 'pending')`.execute(db);
    const sending = await db.selectFrom('mass_sms').select(['id', 'rate_per_minute']).where('status', '=', 'sending').execute();
    const ids = new Set(sending.map((m) => m.id));
    for (const id of this.active.keys()) if (!ids.has(id)) this.active.delete(id);
    for (const m of sending) {
      const known = this.active.get(m.id);
      if (known) known.ratePerMinute = m.rate_per_minute;
      else this.active.set(m.id, { id: m.id, ratePerMinute: m.rate_per_minute, notBefore: 0, channelFailures: 0 });
    }
  }

  private nextReady(now: number): Active | number {
    const list = [...this.active.values()];
    let soonest = this.options.intervalMs;
    for (let i = 0; i < list.length; i += 1) {
      const item = list[(this.turn + i) % list.length];
      if (!item) continue;
      if (item.notBefore <= now) {
        this.turn = (this.turn + i + 1) % list.length;
        return item;
      }
      soonest = Math.min(soonest, item.notBefore - now);
    }
    return Math.max(1, soonest);
  }

  private async lane(): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      try {
        const next = this.nextReady(Date.now());
        if (typeof next === 'number') {
          await sleep(next, undefined, { signal, ref: false });
          continue;
        }
        const slot = await this.limiter.reserve(next.id, next.ratePerMinute);
        if (!slot.granted) {
          next.notBefore = Math.max(next.notBefore, Date.now() + slot.retryInMs);
          continue;
        }
        if (slot.delayMs > 0) await sleep(slot.delayMs, undefined, { signal, ref: false });
        await this.sendOne(next);
      } catch (error) {
        if (signal.aborted) break;
        this.ctx.logger.warn({ err: error }, 'mass SMS lane error');
        await sleep(1000, undefined, { signal, ref: false }).catch(() => undefined);
      }
    }
  }

  private async sendOne(item: Active): Promise<void> {
    for (let skipped = 0; skipped < SKIPS_PER_SLOT; skipped += 1) {
      const outcome = await dispatchNextSms(this.deps, item.id);
      switch (outcome.kind) {
        case 'skipped':
          continue;
        case 'idle':
          item.notBefore = Date.now() + IDLE_BACKOFF_MS;
          return;
        case 'channel_error': {
          item.channelFailures += 1;
          const wait = Math.min(CHANNEL_BACKOFF_MAX_MS, 1000 * 2 ** (item.channelFailures - 1));
          item.notBefore = Date.now() + wait;
          this.ctx.logger.warn({ massSmsId: item.id, reason: outcome.reason, retryInMs: wait }, 'mass SMS cannot send through its channel; backing off');
          return;
        }
        default:
          item.channelFailures = 0;
          return;
      }
    }
  }
}

export function startMassSmsDispatcher(ctx: Pick<HubContext, 'db' | 'redis' | 'logger' | 'config' | 'channels'>): MassSmsDispatcher {
  const { config } = ctx;
  const dispatcher = new MassSmsDispatcher(
    { db: ctx.db.kysely, redis: ctx.redis, logger: ctx.logger, channels: ctx.channels },
    {
      concurrency: config.MASS_SMS_CONCURRENCY,
      intervalMs: config.MASS_SMS_INTERVAL_MS,
      publicUrl: config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`,
      redisPrefix: config.REDIS_PREFIX,
    },
  );
  dispatcher.start();
  return dispatcher;
}
