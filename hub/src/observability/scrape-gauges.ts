import { sql } from 'kysely';
import type { Queue } from 'bullmq';
import type { HubContext } from '../runtime/context.js';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * What /metrics reads at scrape time (health.routes.ts): the job counts of every BullMQ queue,
 * the line per routing queue (one GROUP BY), and the offer tally turned into campaign slugs.
 * Each part fails on its own: a scrape during a Redis or PostgreSQL outage still answers.
 */
export async function collectScrapeGauges(ctx: Pick<HubContext, 'metrics' | 'queues' | 'routerTimers' | 'db' | 'logger'>): Promise<void> {
  const queues: Queue[] = [ctx.queues.inbound, ctx.queues.outbound, ctx.queues.bot, ctx.routerTimers];
  await Promise.all([
    ...queues.map((queue) => queueCounts(ctx, queue)),
    waitingLine(ctx),
    ctx.metrics.offerTally.flush(ctx.metrics.vt.offers, (ids) => campaignSlugs(ctx, ids)).catch((error: unknown) => ctx.logger.warn({ err: error }, 'metrics: offer tally not flushed')),
  ]);
}

async function queueCounts(ctx: Pick<HubContext, 'metrics' | 'logger'>, queue: Queue): Promise<void> {
  try {
    const counts = await queue.getJobCounts(...JOB_STATES);
    for (const state of JOB_STATES) ctx.metrics.vt.queueJobs.set({ queue: queue.name, state }, counts[state] ?? 0);
  } catch (error) {
    ctx.logger.warn({ err: error, queue: queue.name }, 'metrics: queue counts unavailable');
  }
}

async function waitingLine(ctx: Pick<HubContext, 'metrics' | 'db' | 'logger'>): Promise<void> {
  try {
    const { rows } = await sql<{ campaign: string; queue: string; waiting: string; longest: number | string | null }>`
      SELECT ca.slug AS campaign, q.name AS queue, count(*) AS waiting,
             extract(epoch FROM now() - min(coalesce(c.queue_entered_at, c.enqueued_at, c.opened_at))) AS longest
        FROM conversations c JOIN queues q ON q.id = c.queue_id JOIN campaigns ca ON ca.id = q.campaign_id
       WHERE c.status = 'queued'
       GROUP BY ca.slug, q.name`.execute(ctx.db.kysely);
    // A queue whose line emptied must read 0, not its last value: start from nothing each scrape.
    ctx.metrics.vt.conversationsWaiting.reset();
    ctx.metrics.vt.longestWait.reset();
    for (const row of rows) {
      const labels = { campaign: row.campaign, queue: row.queue };
      ctx.metrics.vt.conversationsWaiting.set(labels, Number(row.waiting));
      ctx.metrics.vt.longestWait.set(labels, Math.max(0, Number(row.longest ?? 0)));
    }
  } catch (error) {
    ctx.logger.warn({ err: error }, 'metrics: waiting line unavailable');
  }
}

async function campaignSlugs(ctx: Pick<HubContext, 'db'>, ids: string[]): Promise<Map<string, string>> {
  const rows = await ctx.db.kysely.selectFrom('campaigns').select(['id', 'slug']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.slug]));
}
