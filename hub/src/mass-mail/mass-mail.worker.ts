import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { SendMailOptions } from 'nodemailer';
import QRCode from 'qrcode';
import { BulkDispatcher, type BulkOutcome } from '../bulk-send/bulk-dispatcher.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../observability/logger.js';
import type { HubContext } from '../runtime/context.js';
import { dispatchNext, type DispatchDeps } from './dispatch-recipient.usecase.js';
import { buildMassMail, type MailingContent, type RecipientContent } from './mass-mail-message.js';
import { SenderPool, type MassMailSender } from './sender-pool.js';
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

const QR_CACHE_SIZE = 64;

/**
 * The mass-mail dispatcher of one worker process (issue 5 item 11) on the shared BulkDispatcher
 * (start due mailings, complete finished ones, paced lanes across processes). Each slot sends
 * one recipient through the channel's pooled SMTP sender (dispatchNext: claimed with SKIP LOCKED,
 * sent, recorded in one transaction); suppressed rows are skipped without spending a slot.
 */
export class MassMailDispatcher {
  private readonly senders: SenderPool;
  private readonly qrCache = new Map<string, Promise<Buffer>>();
  private readonly deps: DispatchDeps;
  private readonly dispatcher: BulkDispatcher;

  constructor(
    ctx: { db: Kysely<Database>; redis: Redis; logger: Logger },
    private readonly options: MassMailDispatcherOptions,
  ) {
    this.senders = new SenderPool(ctx.db, options.concurrency);
    this.deps = { db: ctx.db, retryDelayMs: options.retryDelayMs, build: (mailing, recipient, sender) => this.build(mailing, recipient, sender) };
    const tables = { sends: 'mass_mailings', recipients: 'mass_mailing_recipients', sendColumn: 'mailing_id' } as const;
    const bulk = { concurrency: options.concurrency, intervalMs: options.intervalMs, slotKey: `${options.redisPrefix}:massmail:slot`, lookaheadMs: options.lookaheadMs ?? 1000, label: 'mass mail' };
    this.dispatcher = new BulkDispatcher(ctx, tables, bulk, {
      openSlot: async (mailing) => {
        const sender = await this.senders.senderFor(mailing.channelId);
        if (!sender) return { unavailable: 'the channel is not an enabled e-mail channel with valid settings' };
        return async (): Promise<BulkOutcome> => {
          const outcome = await dispatchNext(this.deps, mailing.id, sender);
          return outcome.kind === 'suppressed' ? { kind: 'skipped' } : outcome;
        };
      },
      onStarted: (id) => ctx.logger.info({ mailingId: id }, 'mass mailing started'),
      onCompleted: (id) => ctx.logger.info({ mailingId: id }, 'mass mailing completed'),
      onBackOff: (mailing, reason, retryInMs) =>
        ctx.logger.warn({ mailingId: mailing.id, channelId: mailing.channelId, reason, retryInMs }, 'mass mailing cannot send through its channel; backing off'),
    });
  }

  start(): void {
    this.dispatcher.start();
  }

  /** Stops claiming; sends in flight finish (their transactions commit) before it resolves. */
  async stop(): Promise<void> {
    await this.dispatcher.stop();
    this.senders.close();
  }

  /** One pass of the schedule: start due mailings, complete finished ones, refresh the sending list. */
  tick(): Promise<void> {
    return this.dispatcher.tick();
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
