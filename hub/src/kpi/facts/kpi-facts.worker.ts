import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Logger } from '../../observability/logger.js';
import type { HubContext } from '../../runtime/context.js';
import { deriveFacts, type DeriveResult } from './derive-facts.js';

/**
 * The KPI listener loop (issue 9 item 1): every `intervalMs` it runs `deriveFacts` passes until
 * caught up. The cursor row lock serialises processes, and a pass is one transaction, so a crash
 * or restart resumes from the stored cursor without duplicates.
 */
export class KpiFactsLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private busy = false;
  private stopped = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly intervalMs = 1_000,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.running = this.tick().catch((error: unknown) => this.logger.warn({ err: error }, 'kpi facts pass failed'));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Passes until caught up or waiting at a gap (or stop); returns the events read (a re-read after a gap counts again). */
  async tick(): Promise<number> {
    this.busy = true;
    try {
      let events = 0;
      for (let pass: DeriveResult | null = null; !this.stopped && (pass === null || pass.advanced); ) {
        pass = await deriveFacts(this.db);
        events += pass.events;
      }
      return events;
    } finally {
      this.busy = false;
    }
  }
}

/** KPI_FACTS_INTERVAL_MS = 0: this process does not derive (another worker process does). */
export function startKpiFacts(ctx: HubContext): KpiFactsLoop {
  const loop = new KpiFactsLoop(ctx.db.kysely, ctx.logger, ctx.config.KPI_FACTS_INTERVAL_MS || 1_000);
  if (ctx.config.KPI_FACTS_INTERVAL_MS > 0) loop.start();
  return loop;
}
