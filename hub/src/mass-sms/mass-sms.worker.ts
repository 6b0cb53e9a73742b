import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { BulkDispatcher } from '../bulk-send/bulk-dispatcher.js';
import type { ChannelStore } from '../channels/channel-store.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../observability/logger.js';
import type { HubContext } from '../runtime/context.js';
import { dispatchNextSms, type SmsDispatchDeps } from './dispatch-sms-recipient.usecase.js';

export interface MassSmsDispatcherOptions {
  concurrency: number;
  intervalMs: number;
  publicUrl: string;
  redisPrefix: string;
}

/**
 * The mass SMS dispatcher of one worker process, the mass-mail design (mass-mail/README.md) on
 * the shared BulkDispatcher: `concurrency` lanes take a slot of the mailing's per-minute pace and
 * send one recipient; opted-out rows are skipped without spending a slot.
 */
export class MassSmsDispatcher {
  private readonly dispatcher: BulkDispatcher;

  constructor(ctx: { db: Kysely<Database>; redis: Redis; logger: Logger; channels: Pick<ChannelStore, 'get'> }, options: MassSmsDispatcherOptions) {
    const deps: SmsDispatchDeps = { db: ctx.db, channels: ctx.channels, publicUrl: options.publicUrl };
    this.dispatcher = new BulkDispatcher(
      ctx,
      { sends: 'mass_sms', recipients: 'mass_sms_recipients', sendColumn: 'mass_sms_id' },
      { concurrency: options.concurrency, intervalMs: options.intervalMs, slotKey: `${options.redisPrefix}:masssms:slot`, label: 'mass SMS' },
      {
        openSlot: (send) => Promise.resolve(() => dispatchNextSms(deps, send.id)),
        onBackOff: (send, reason, retryInMs) => ctx.logger.warn({ massSmsId: send.id, reason, retryInMs }, 'mass SMS cannot send through its channel; backing off'),
      },
    );
  }

  start(): void {
    this.dispatcher.start();
  }

  stop(): Promise<void> {
    return this.dispatcher.stop();
  }

  tick(): Promise<void> {
    return this.dispatcher.tick();
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
