import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Logger } from '../observability/logger.js';
import { SendSlotLimiter } from '../queues/send-slot-limiter.js';

/** One bulk send (a mass mailing, a mass SMS) this process works on. */
export interface BulkSend {
  id: string;
  channelId: string;
  ratePerMinute: number;
  /** This process leaves the send alone until then (pacing, nothing claimable, channel down). */
  notBefore: number;
  channelFailures: number;
}

/** What one claim of a recipient came to, as the dispatcher needs it. */
export type BulkOutcome = { kind: 'idle' } | { kind: 'skipped' } | { kind: 'channel_error'; reason: string } | { kind: 'sent' | 'failed' | 'retry' };

/** The tables of one kind of bulk send: the sends (with `status`, `scheduled_at`, `rate_per_minute`) and their recipients. */
export interface BulkTables {
  sends: 'mass_mailings' | 'mass_sms';
  recipients: 'mass_mailing_recipients' | 'mass_sms_recipients';
  /** The recipients' column naming their send. */
  sendColumn: 'mailing_id' | 'mass_sms_id';
}

export interface BulkDispatcherOptions {
  /** Lanes (sends in flight at once) in this process. */
  concurrency: number;
  /** How often due sends are started, finished ones completed and the sending list refreshed. */
  intervalMs: number;
  /** Redis key prefix of the shared pace (SendSlotLimiter, across processes). */
  slotKey: string;
  /** How far ahead a send slot may be reserved (SendSlotLimiter's default when absent). */
  lookaheadMs?: number;
  /** Names the dispatcher in its logs: 'mass mail', 'mass SMS'. */
  label: string;
}

export interface BulkDispatcherHooks {
  /**
   * Opens one send slot: the claim of the next recipient (called again while it skips), or why
   * the channel cannot send at all right now (the send then backs off).
   */
  openSlot(send: BulkSend): Promise<(() => Promise<BulkOutcome>) | { unavailable: string }>;
  onStarted?(id: string): void;
  onCompleted?(id: string): void;
  onBackOff(send: BulkSend, reason: string, retryInMs: number): void;
}

/** Nothing claimable right now (the rest is in flight elsewhere or waiting for a retry). */
const IDLE_BACKOFF_MS = 250;
const CHANNEL_BACKOFF_MAX_MS = 60_000;
/** Suppressed / opted-out rows are skipped without spending a send slot, up to this many per slot. */
const SKIPS_PER_SLOT = 100;

/**
 * The scaffolding shared by the mass-mail and mass SMS dispatchers (mass-mail/README.md). Every
 * `intervalMs` it starts the sends whose time came (`scheduled` → `sending`), completes those with
 * nothing pending, and refreshes the list it works on. `concurrency` lanes then take turns over
 * the sending ones: reserve a slot from the shared pace (across processes) and send one recipient
 * (claimed with SKIP LOCKED by the feature's use case). Rows waiting for a retry are pending, so a
 * send is complete only once its retries went out too. Any number of processes can run it; none
 * keeps state that matters after a crash.
 */
export class BulkDispatcher {
  private readonly active = new Map<string, BulkSend>();
  private readonly limiter: SendSlotLimiter;
  private readonly abort = new AbortController();
  private lanes: Promise<void>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private turn = 0;

  constructor(
    private readonly ctx: { db: Kysely<Database>; redis: Redis; logger: Logger },
    private readonly tables: BulkTables,
    private readonly options: BulkDispatcherOptions,
    private readonly hooks: BulkDispatcherHooks,
  ) {
    this.limiter = new SendSlotLimiter(ctx.redis, options.slotKey, options.lookaheadMs);
  }

  start(): void {
    if (this.timer) return;
    this.runTick();
    this.timer = setInterval(() => this.runTick(), this.options.intervalMs);
    // The dispatcher alone never keeps a process alive (the worker's queues and servers do).
    this.timer.unref();
    for (let i = 0; i < this.options.concurrency; i += 1) this.lanes.push(this.lane());
  }

  /** Stops claiming; sends in flight finish (their transactions commit) before it resolves. */
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
      .catch((error: unknown) => this.ctx.logger.warn({ err: error }, `${this.options.label} dispatcher tick failed`))
      .finally(() => {
        this.ticking = null;
      });
  }

  /** One pass of the schedule: start due sends, complete finished ones, refresh the sending list. */
  async tick(): Promise<void> {
    const db = this.ctx.db;
    const sends = sql.table(this.tables.sends);
    const started = await sql<{ id: string }>`
      UPDATE ${sends} SET status = 'sending', started_at = coalesce(started_at, now()), updated_at = now()
      WHERE status = 'scheduled' AND scheduled_at <= now()
      RETURNING id`.execute(db);
    for (const { id } of started.rows) this.hooks.onStarted?.(id);
    // A row being sent right now is still `pending` until its transaction commits, so a send
    // is only complete once every send has been recorded.
    const completed = await sql<{ id: string }>`
      UPDATE ${sends} m SET status = 'completed', completed_at = now(), updated_at = now()
      WHERE m.status = 'sending' AND NOT EXISTS (SELECT 1 FROM ${sql.table(this.tables.recipients)} r WHERE r.${sql.ref(this.tables.sendColumn)} = m.id AND r.status = 'pending')
      RETURNING m.id`.execute(db);
    for (const { id } of completed.rows) this.hooks.onCompleted?.(id);
    const sending = await sql<{ id: string; channel_id: string; rate_per_minute: number }>`
      SELECT id, channel_id, rate_per_minute FROM ${sends} WHERE status = 'sending'`.execute(db);
    const ids = new Set(sending.rows.map((m) => m.id));
    for (const id of this.active.keys()) if (!ids.has(id)) this.active.delete(id);
    for (const m of sending.rows) {
      const known = this.active.get(m.id);
      if (known) {
        known.ratePerMinute = m.rate_per_minute;
        known.channelId = m.channel_id;
      } else {
        this.active.set(m.id, { id: m.id, channelId: m.channel_id, ratePerMinute: m.rate_per_minute, notBefore: 0, channelFailures: 0 });
      }
    }
  }

  /** The next send this process may work on (round robin), or how long until one is. */
  private nextReady(now: number): BulkSend | number {
    const list = [...this.active.values()];
    let soonest = this.options.intervalMs;
    for (let i = 0; i < list.length; i += 1) {
      const send = list[(this.turn + i) % list.length];
      if (!send) continue;
      if (send.notBefore <= now) {
        this.turn = (this.turn + i + 1) % list.length;
        return send;
      }
      soonest = Math.min(soonest, send.notBefore - now);
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
        this.ctx.logger.warn({ err: error }, `${this.options.label} lane error`);
        await sleep(1000, undefined, { signal, ref: false }).catch(() => undefined);
      }
    }
  }

  private async sendOne(send: BulkSend): Promise<void> {
    const claim = await this.hooks.openSlot(send);
    if (typeof claim !== 'function') {
      this.backOff(send, claim.unavailable);
      return;
    }
    for (let skipped = 0; skipped < SKIPS_PER_SLOT; skipped += 1) {
      const outcome = await claim();
      switch (outcome.kind) {
        case 'skipped':
          continue;
        case 'idle':
          send.notBefore = Date.now() + IDLE_BACKOFF_MS;
          return;
        case 'channel_error':
          this.backOff(send, outcome.reason);
          return;
        default:
          send.channelFailures = 0;
          return;
      }
    }
  }

  /** Doubling waits (1 s … 60 s) while the channel cannot send; the first success resets them. */
  private backOff(send: BulkSend, reason: string): void {
    send.channelFailures += 1;
    const wait = Math.min(CHANNEL_BACKOFF_MAX_MS, 1000 * 2 ** (send.channelFailures - 1));
    send.notBefore = Date.now() + wait;
    this.hooks.onBackOff(send, reason, wait);
  }
}
