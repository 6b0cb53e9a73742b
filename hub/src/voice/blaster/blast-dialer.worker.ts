import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Logger } from '../../observability/logger.js';
import { SendSlotLimiter } from '../../queues/send-slot-limiter.js';
import type { HubContext } from '../../runtime/context.js';
import { voiceRestFor, voiceSettingsOf, voiceUrlsFor } from '../core/voice-channels.js';
import { msUntilWindow, type CallingWindow } from './calling-window.js';
import { dialNextRecipient, type DialDeps } from './dial-blast-recipient.usecase.js';

/** One running blast this process dials for. */
interface ActiveBlast {
  id: string;
  callsPerMinute: number;
  window: CallingWindow | null;
  notBefore: number;
  channelFailures: number;
}

export interface BlastDialerOptions {
  /** Lanes (calls being placed at once) in this process. */
  concurrency: number;
  /** How often due blasts start, finished ones complete and the running list is refreshed. */
  intervalMs: number;
  redisPrefix: string;
}

const IDLE_BACKOFF_MS = 250;
const MAX_WINDOW_WAIT_MS = 60_000;
const CHANNEL_BACKOFF_MAX_MS = 60_000;
const SKIPS_PER_SLOT = 100;

/**
 * The blaster's dialer in a worker process (issue 8 item 7), the mass SMS design: every
 * `intervalMs` it starts blasts whose time came (`scheduled` → `running`), completes those with
 * nobody pending or on the line, and refreshes its list. Lanes take a slot of the blast's
 * calls-per-minute pace from Redis (shared by every process) and place one call
 * (dial-blast-recipient.usecase.ts: window, simultaneous-call cap, SKIP LOCKED claim). Any number
 * of processes can run it; nothing that matters lives only in memory.
 */
export class BlastDialer {
  private readonly active = new Map<string, ActiveBlast>();
  private readonly limiter: SendSlotLimiter;
  private readonly abort = new AbortController();
  private lanes: Promise<void>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private turn = 0;

  constructor(
    private readonly ctx: { db: Kysely<Database>; redis: Redis; logger: Logger },
    private readonly deps: DialDeps,
    private readonly options: BlastDialerOptions,
  ) {
    this.limiter = new SendSlotLimiter(ctx.redis, `${options.redisPrefix}:voiceblast:slot`);
  }

  start(): void {
    if (this.timer) return;
    this.runTick();
    this.timer = setInterval(() => this.runTick(), this.options.intervalMs);
    this.timer.unref();
    for (let i = 0; i < this.options.concurrency; i += 1) this.lanes.push(this.lane());
  }

  /** Stops dialing; calls being placed finish (their transactions commit) first. */
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
      .catch((error: unknown) => this.ctx.logger.warn({ err: error }, 'voice blaster tick failed'))
      .finally(() => {
        this.ticking = null;
      });
  }

  async tick(): Promise<void> {
    const db = this.ctx.db;
    await sql`UPDATE voice_blasts SET status = 'running', started_at = coalesce(started_at, now()), updated_at = now()
      WHERE status = 'scheduled' AND start_at <= now()`.execute(db);
    // A leg whose final status callback never came (Twilio gave up posting it) must not hold the blast open.
    await sql`UPDATE voice_blast_recipients SET status = CASE WHEN status = 'calling' THEN 'failed' ELSE status END, in_call = false,
        last_error = CASE WHEN status = 'calling' THEN 'sin estado final de Twilio tras 30 minutos / no final status from Twilio after 30 minutes' ELSE last_error END,
        updated_at = now()
      WHERE in_call AND call_started_at <= now() - interval '30 minutes'`.execute(db);
    // A recipient on the line may still press a key (or be retried): complete only when none is.
    await sql`UPDATE voice_blasts b SET status = 'completed', completed_at = now(), updated_at = now()
      WHERE b.status = 'running' AND NOT EXISTS (
        SELECT 1 FROM voice_blast_recipients r WHERE r.blast_id = b.id
          AND (r.status IN ('pending', 'calling') OR (r.in_call AND r.call_started_at > now() - interval '30 minutes')))`.execute(db);
    const running = await db
      .selectFrom('voice_blasts')
      .select(['id', 'calls_per_minute', 'window_start_minute', 'window_end_minute'])
      .where('status', '=', 'running')
      .execute();
    const ids = new Set(running.map((b) => b.id));
    for (const id of this.active.keys()) if (!ids.has(id)) this.active.delete(id);
    for (const b of running) {
      const window = b.window_start_minute === null || b.window_end_minute === null ? null : { startMinute: b.window_start_minute, endMinute: b.window_end_minute };
      const known = this.active.get(b.id);
      if (known) {
        known.callsPerMinute = b.calls_per_minute;
        known.window = window;
      } else {
        this.active.set(b.id, { id: b.id, callsPerMinute: b.calls_per_minute, window, notBefore: 0, channelFailures: 0 });
      }
    }
  }

  private nextReady(now: number): ActiveBlast | number {
    const list = [...this.active.values()];
    let soonest = this.options.intervalMs;
    for (let i = 0; i < list.length; i += 1) {
      const blast = list[(this.turn + i) % list.length];
      if (!blast) continue;
      if (blast.notBefore <= now) {
        this.turn = (this.turn + i + 1) % list.length;
        return blast;
      }
      soonest = Math.min(soonest, blast.notBefore - now);
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
        // Outside the calling window no slot is taken: the pace starts afresh when it opens.
        const closed = msUntilWindow(next.window, new Date());
        if (closed > 0) {
          next.notBefore = Date.now() + Math.min(closed, MAX_WINDOW_WAIT_MS);
          continue;
        }
        const slot = await this.limiter.reserve(next.id, next.callsPerMinute);
        if (!slot.granted) {
          next.notBefore = Math.max(next.notBefore, Date.now() + slot.retryInMs);
          continue;
        }
        if (slot.delayMs > 0) await sleep(slot.delayMs, undefined, { signal, ref: false });
        await this.dialOne(next);
      } catch (error) {
        if (signal.aborted) break;
        this.ctx.logger.warn({ err: error }, 'voice blaster lane error');
        await sleep(1000, undefined, { signal, ref: false }).catch(() => undefined);
      }
    }
  }

  private async dialOne(blast: ActiveBlast): Promise<void> {
    for (let skipped = 0; skipped < SKIPS_PER_SLOT; skipped += 1) {
      const outcome = await dialNextRecipient(this.deps, blast.id);
      switch (outcome.kind) {
        case 'skipped':
          continue;
        case 'idle':
        case 'full':
          blast.notBefore = Date.now() + IDLE_BACKOFF_MS;
          return;
        case 'early':
          blast.notBefore = Date.now() + outcome.retryInMs;
          return;
        case 'outside_window':
          blast.notBefore = Date.now() + Math.min(outcome.retryInMs, MAX_WINDOW_WAIT_MS);
          return;
        case 'channel_error': {
          blast.channelFailures += 1;
          const wait = Math.min(CHANNEL_BACKOFF_MAX_MS, 1000 * 2 ** (blast.channelFailures - 1));
          blast.notBefore = Date.now() + wait;
          this.ctx.logger.warn({ blastId: blast.id, reason: outcome.reason, retryInMs: wait }, 'voice blast cannot call through its channel; backing off');
          return;
        }
        default:
          blast.channelFailures = 0;
          return;
      }
    }
  }
}

export function startBlastDialer(ctx: Pick<HubContext, 'db' | 'redis' | 'logger' | 'config' | 'channels'>): BlastDialer {
  const deps: DialDeps = {
    db: ctx.db.kysely,
    channels: ctx.channels,
    voice: (loaded) => {
      const settings = voiceSettingsOf(loaded);
      if (!settings || !loaded.secrets['authToken']) return null;
      return { rest: voiceRestFor(loaded), urls: voiceUrlsFor(ctx, loaded), callerId: settings.callerId };
    },
  };
  const dialer = new BlastDialer({ db: ctx.db.kysely, redis: ctx.redis, logger: ctx.logger }, deps, {
    concurrency: 2,
    intervalMs: ctx.config.VOICE_BLASTER_INTERVAL_MS,
    redisPrefix: ctx.config.REDIS_PREFIX,
  });
  dialer.start();
  return dialer;
}
