import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { sql, type Kysely } from 'kysely';
import type { SendMailOptions } from 'nodemailer';
import QRCode from 'qrcode';
import type { Database } from '../db/schema.js';
import type { Logger } from '../observability/logger.js';
import type { HubContext } from '../runtime/context.js';
import { dispatchNext, type DispatchDeps } from './dispatch-recipient.usecase.js';
import { buildMassMail, type MailingContent, type RecipientContent } from './mass-mail-message.js';
import { SenderPool, type MassMailSender } from './sender-pool.js';
import { SendSlotLimiter } from '../queues/send-slot-limiter.js';
import { signUnsubscribeToken, unsubscribeUrl } from './unsubscribe-token.js';

export interface MassMailDispatcherOptions {
  /** Sends in flight at once in this process (also the SMTP connections per channel). */
  concurrency: number;
  /** How often due mailings are started, finished ones completed and the sending list refreshed. */
  intervalMs: number;
  retryDelayMs: number;
  /** Base of the unsubscribe links (PUBLIC_URL). */
  baseUrl: string;
  jwtSecret: string;
  redisPrefix: string;
  /** How far ahead a send slot may be reserved: the longest a pause waits for (default 1 s). */
  lookaheadMs?: number;
}

interface ActiveMailing {
  id: string;
  channelId: string;
  ratePerMinute: number;
  /** This process leaves the mailing alone until then (pacing, nothing claimable, channel down). */
  notBefore: number;
  channelFailures: number;
}

/** Nothing claimable right now (the rest is in flight elsewhere or waiting for a 4xx retry). */
const IDLE_BACKOFF_MS = 250;
const CHANNEL_BACKOFF_MAX_MS = 60_000;
/** Suppressed rows are skipped without spending a send slot, up to this many per slot. */
const SKIPS_PER_SLOT = 100;
const QR_CACHE_SIZE = 64;

/**
 * The mass-mail dispatcher of one worker process (issue 5 item 11). Every `intervalMs` it starts
 * the mailings whose time came (`scheduled` → `sending`), completes those with nothing pending,
 * and refreshes the list it works on. `concurrency` lanes then take turns over the sending
 * mailings: reserve a slot from the shared pace (SendSlotLimiter, across processes), and send one
 * recipient (dispatchNext: claimed with SKIP LOCKED, sent, recorded in one transaction). Any
 * number of processes can run it; none keeps state that matters after a crash.
 */
export class MassMailDispatcher {
  private readonly active = new Map<string, ActiveMailing>();
  private readonly senders: SenderPool;
  private readonly limiter: SendSlotLimiter;
  private readonly qrCache = new Map<string, Promise<Buffer>>();
  private readonly abort = new AbortController();
  private readonly deps: DispatchDeps;
  private lanes: Promise<void>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private turn = 0;

  constructor(
    private readonly ctx: { db: Kysely<Database>; redis: Redis; logger: Logger },
    private readonly options: MassMailDispatcherOptions,
  ) {
    this.senders = new SenderPool(ctx.db, options.concurrency);
    this.limiter = new SendSlotLimiter(ctx.redis, `${options.redisPrefix}:massmail:slot`, options.lookaheadMs ?? 1000);
    this.deps = { db: ctx.db, retryDelayMs: options.retryDelayMs, build: (mailing, recipient, sender) => this.build(mailing, recipient, sender) };
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
    this.senders.close();
  }

  private runTick(): void {
    if (this.ticking || this.abort.signal.aborted) return;
    this.ticking = this.tick()
      .catch((error: unknown) => this.ctx.logger.warn({ err: error }, 'mass mail dispatcher tick failed'))
      .finally(() => {
        this.ticking = null;
      });
  }

  /** One pass of the schedule: start due mailings, complete finished ones, refresh the sending list. */
  async tick(): Promise<void> {
    const db = this.ctx.db;
    const started = await db
      .updateTable('mass_mailings')
      .set({ status: 'sending', started_at: sql`coalesce(started_at, now())`, updated_at: sql`now()` })
      .where('status', '=', 'scheduled')
      .where('scheduled_at', '<=', sql<Date>`now()`)
      .returning('id')
      .execute();
    for (const { id } of started) this.ctx.logger.info({ mailingId: id }, 'mass mailing started');
    // A row being sent right now is still `pending` until its transaction commits, so a mailing
    // is only complete once every send has been recorded.
    const completed = await sql<{ id: string }>`
      UPDATE mass_mailings m SET status = 'completed', completed_at = now(), updated_at = now()
      WHERE m.status = 'sending' AND NOT EXISTS (SELECT 1 FROM mass_mailing_recipients r WHERE r.mailing_id = m.id AND r.status = 'pending')
      RETURNING m.id`.execute(db);
    for (const { id } of completed.rows) this.ctx.logger.info({ mailingId: id }, 'mass mailing completed');
    const sending = await db.selectFrom('mass_mailings').select(['id', 'channel_id', 'rate_per_minute']).where('status', '=', 'sending').execute();
    const ids = new Set(sending.map((m) => m.id));
    for (const id of this.active.keys()) if (!ids.has(id)) this.active.delete(id);
    for (const m of sending) {
      const known = this.active.get(m.id);
      if (known) {
        known.ratePerMinute = m.rate_per_minute;
        known.channelId = m.channel_id;
      } else {
        this.active.set(m.id, { id: m.id, channelId: m.channel_id, ratePerMinute: m.rate_per_minute, notBefore: 0, channelFailures: 0 });
      }
    }
  }

  /** The next mailing this process may work on (round robin), or how long until one is. */
  private nextReady(now: number): ActiveMailing | number {
    const list = [...this.active.values()];
    let soonest = this.options.intervalMs;
    for (let i = 0; i < list.length; i += 1) {
      const mailing = list[(this.turn + i) % list.length];
      if (!mailing) continue;
      if (mailing.notBefore <= now) {
        this.turn = (this.turn + i + 1) % list.length;
        return mailing;
      }
      soonest = Math.min(soonest, mailing.notBefore - now);
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
        this.ctx.logger.warn({ err: error }, 'mass mail lane error');
        await sleep(1000, undefined, { signal, ref: false }).catch(() => undefined);
      }
    }
  }

  private async sendOne(mailing: ActiveMailing): Promise<void> {
    const sender = await this.senders.senderFor(mailing.channelId);
    if (!sender) {
      this.backOff(mailing, 'the channel is not an enabled e-mail channel with valid settings');
      return;
    }
    for (let skipped = 0; skipped < SKIPS_PER_SLOT; skipped += 1) {
      const outcome = await dispatchNext(this.deps, mailing.id, sender);
      switch (outcome.kind) {
        case 'suppressed':
          continue;
        case 'idle':
          mailing.notBefore = Date.now() + IDLE_BACKOFF_MS;
          return;
        case 'channel_error':
          this.backOff(mailing, outcome.reason);
          return;
        default:
          mailing.channelFailures = 0;
          return;
      }
    }
  }

  /** Doubling waits (1 s … 60 s) while the channel cannot send; the first success resets them. */
  private backOff(mailing: ActiveMailing, reason: string): void {
    mailing.channelFailures += 1;
    const wait = Math.min(CHANNEL_BACKOFF_MAX_MS, 1000 * 2 ** (mailing.channelFailures - 1));
    mailing.notBefore = Date.now() + wait;
    this.ctx.logger.warn({ mailingId: mailing.id, channelId: mailing.channelId, reason, retryInMs: wait }, 'mass mailing cannot send through its channel; backing off');
  }

  private build(mailing: MailingContent, recipient: RecipientContent, sender: MassMailSender): Promise<SendMailOptions> {
    const token = signUnsubscribeToken(this.options.jwtSecret, { campaignId: mailing.campaignId, email: recipient.email });
    return buildMassMail({ mailing, recipient, sender, unsubscribe: { token, url: unsubscribeUrl(this.options.baseUrl, token) }, qr: (text) => this.qr(text) });
  }

  private qr(text: string): Promise<Buffer> {
    let png = this.qrCache.get(text);
    if (!png) {
      if (this.qrCache.size >= QR_CACHE_SIZE) this.qrCache.clear();
      png = QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 400 });
      png.catch(() => this.qrCache.delete(text));
      this.qrCache.set(text, png);
    }
    return png;
  }
}

/** The dispatcher of a worker process, configured from the hub's settings. */
export function startMassMailDispatcher(ctx: Pick<HubContext, 'db' | 'redis' | 'logger' | 'config'>): MassMailDispatcher {
  const { config } = ctx;
  const dispatcher = new MassMailDispatcher(
    { db: ctx.db.kysely, redis: ctx.redis, logger: ctx.logger },
    {
      concurrency: config.MASS_MAIL_CONCURRENCY,
      intervalMs: config.MASS_MAIL_INTERVAL_MS,
      retryDelayMs: config.MASS_MAIL_RETRY_DELAY_MS,
      baseUrl: config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`,
      jwtSecret: config.JWT_SECRET,
      redisPrefix: config.REDIS_PREFIX,
    },
  );
  dispatcher.start();
  return dispatcher;
}
