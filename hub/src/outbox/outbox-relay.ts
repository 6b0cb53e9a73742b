import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.js';
import type { RealtimePublisher } from '../realtime/realtime-publisher.js';
import { markPublished, type OutboxNotification, type OutboxRow } from './outbox.js';

/**
 * Publishes outbox rows after commit. Fast path: the use case hands over the rows it just
 * committed. Safety net: a periodic sweep publishes rows a crashed process never did
 * (at least once — clients dedupe on eventId).
 */
export class OutboxRelay {
  private pendingMarks: string[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly publisher: RealtimePublisher,
    private readonly logger: Logger,
    private readonly options: { sweepIntervalMs: number; sweepAgeMs?: number },
  ) {}

  /** Publish rows committed by this process, then mark them (batched). */
  publishCommitted(rows: OutboxRow[]): void {
    for (const row of rows) this.publisher.publish(row);
    this.pendingMarks.push(...rows.map((r) => r.id));
    if (this.pendingMarks.length >= 500) void this.flushMarks();
    else this.flushTimer ??= setTimeout(() => void this.flushMarks(), 25);
  }

  async flushMarks(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const ids = this.pendingMarks;
    this.pendingMarks = [];
    try {
      await markPublished(this.db, ids);
    } catch (error) {
      // Not fatal: the sweep will publish these again (duplicates are deduped by clients).
      this.logger.warn({ err: error, count: ids.length }, 'outbox: could not mark rows as published');
    }
  }

  /** Publishes unpublished rows older than sweepAgeMs; safe with several relays (SKIP LOCKED). */
  async sweep(limit = 500): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      const age = this.options.sweepAgeMs ?? 3000;
      return await this.db.transaction().execute(async (trx) => {
        const rows = await sql<{ id: string; payload: OutboxNotification }>`
          SELECT id, payload FROM outbox
          WHERE published_at IS NULL AND created_at < clock_timestamp() - make_interval(secs => ${age / 1000})
          ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`.execute(trx);
        for (const row of rows.rows) this.publisher.publish({ id: row.id, notification: row.payload });
        await markPublished(trx, rows.rows.map((r) => r.id));
        return rows.rows.length;
      });
    } finally {
      this.sweeping = false;
    }
  }

  start(): void {
    this.sweepTimer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.logger.warn({ err: error }, 'outbox sweep failed'));
    }, this.options.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    await this.flushMarks();
  }
}
