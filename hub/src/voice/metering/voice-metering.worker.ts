import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Logger } from '../../observability/logger.js';
import { recomputeCallUsageIn } from './recompute-call-usage.js';

export interface VoiceMeteringOptions {
  /** How often the loop looks for ended legs (ms). */
  intervalMs: number;
  /** Legs metered per claim. */
  batchSize: number;
}

export const DEFAULT_VOICE_METERING: VoiceMeteringOptions = { intervalMs: 5_000, batchSize: 50 };

/**
 * The metering loop (issue 8 item 9): claims ended legs that have no usage yet — or whose events
 * grew since they were metered (a recording callback after the end) — with FOR UPDATE SKIP
 * LOCKED, and meters each in the claiming transaction. Everything it needs is in PostgreSQL, so
 * any number of processes can run it and a restart loses nothing: an unmetered leg is simply
 * found again.
 */
export class VoiceMeteringLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly options: VoiceMeteringOptions = DEFAULT_VOICE_METERING,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => {
      this.running = this.tick().catch((error: unknown) => this.logger.warn({ err: error }, 'voice metering pass failed'));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /**
   * One pass: up to `batchSize` legs, each claimed and metered in its own transaction so one leg
   * that fails (logged, retried next pass) does not hold back the others. Returns the legs
   * metered and those whose stored facts actually changed.
   */
  async tick(): Promise<{ metered: string[]; changed: string[] }> {
    const metered: string[] = [];
    const changed: string[] = [];
    const failed: string[] = [];
    for (let i = 0; i < this.options.batchSize && !this.stopped; i++) {
      let callSid: string | null = null;
      try {
        const result = await this.db.transaction().execute(async (trx) => {
          const claimed = await sql<{ call_sid: string }>`
            SELECT v.call_sid
              FROM voice_calls v
              LEFT JOIN voice_call_usage u ON u.call_sid = v.call_sid
             WHERE v.ended_at IS NOT NULL AND (u.call_sid IS NULL OR u.event_count <> v.event_count)
               AND NOT (v.call_sid = ANY(${failed}::text[]))
             ORDER BY v.ended_at
             LIMIT 1
               FOR UPDATE OF v SKIP LOCKED`.execute(trx);
          callSid = claimed.rows[0]?.call_sid ?? null;
          return callSid === null ? null : recomputeCallUsageIn(trx, callSid);
        });
        if (callSid === null) break;
        if (!result) continue;
        metered.push(result.callSid);
        if (result.changed) changed.push(result.callSid);
      } catch (error) {
        if (callSid === null) throw error;
        failed.push(callSid);
        this.logger.warn({ err: error, callSid }, 'voice metering failed for a call leg; retried on the next pass');
      }
    }
    return { metered, changed };
  }
}

export function startVoiceMetering(ctx: { db: { kysely: Kysely<Database> }; logger: Logger }, options: VoiceMeteringOptions = DEFAULT_VOICE_METERING): VoiceMeteringLoop {
  const loop = new VoiceMeteringLoop(ctx.db.kysely, ctx.logger, options);
  loop.start();
  return loop;
}
