import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import type { HubContext } from '../../runtime/context.js';
import { PeriodicJob } from '../../runtime/periodic-job.js';
import { mirrorAll } from './mirror-outbox.js';
import { reconcile, type ReconciliationRunView } from './reconcile.usecase.js';
import { settleExternalFollowUps } from './source-of-truth.js';

const DAY_MS = 86_400_000;

/**
 * The scheduled reconciliation: every campaign with an external system, from yesterday to 91 days
 * ahead (past the 90-day booking horizon). Any number of processes may run it: a campaign
 * reconciled (by anyone) within the last interval is skipped, and one run at a time is enforced
 * by the database.
 */
export async function reconcileDue(db: Kysely<Database>, now: Date, intervalMs: number): Promise<ReconciliationRunView[]> {
  const campaigns = await db.selectFrom('appointment_external_settings').select('campaign_id').where('mode', 'in', ['mirror', 'source_of_truth']).orderBy('campaign_id').execute();
  const runs: ReconciliationRunView[] = [];
  for (const { campaign_id: campaignId } of campaigns) {
    const recent = await db
      .selectFrom('appointment_reconciliation_runs')
      .select('id')
      .where('campaign_id', '=', campaignId)
      .where('status', '!=', 'failed')
      .where('started_at', '>', new Date(now.getTime() - intervalMs * 0.9))
      .executeTakeFirst();
    if (recent) continue;
    try {
      runs.push(await reconcile(db, campaignId, { from: new Date(now.getTime() - DAY_MS), to: new Date(now.getTime() + 91 * DAY_MS) }, { kind: 'scheduled' }, { now }));
    } catch (error) {
      // The institution is down or another run is in progress: the failed run is stored; next interval tries again.
      if (!(error instanceof HubError)) throw error;
    }
  }
  return runs;
}

export interface ExternalSchedulingJobs {
  stop(): Promise<void>;
}

/** APPOINTMENT_MIRROR_INTERVAL_MS and APPOINTMENT_RECONCILE_INTERVAL_MS; 0 = not in this process. */
export function startExternalScheduling(ctx: HubContext): ExternalSchedulingJobs {
  const db = ctx.db.kysely;
  const mirrorMs = ctx.config.APPOINTMENT_MIRROR_INTERVAL_MS;
  const reconcileMs = ctx.config.APPOINTMENT_RECONCILE_INTERVAL_MS;
  const mirror =
    mirrorMs > 0
      ? new PeriodicJob(
          'appointment mirror',
          async () => {
            const results = await mirrorAll(db);
            const failed = results.filter((r) => r.failed > 0).map((r) => r.campaignId);
            if (failed.length > 0) ctx.logger.warn({ campaigns: failed }, 'appointment mirror: an institution is not answering; retried later');
          },
          ctx.logger,
          mirrorMs,
        ).start()
      : null;
  const reconciliation =
    reconcileMs > 0
      ? new PeriodicJob(
          'appointment reconciliation',
          async () => {
            const runs = await reconcileDue(db, new Date(), reconcileMs);
            if (runs.length > 0) ctx.logger.info({ runs: runs.map((r) => ({ campaignId: r.campaignId, counts: r.counts })) }, 'appointments reconciled');
          },
          ctx.logger,
          reconcileMs,
          // Ten minutes after start-up (not at once, under load); campaigns reconciled within the interval are skipped, so restarts do not repeat it.
          Math.min(reconcileMs, 600_000),
        ).start()
      : null;
  return {
    async stop() {
      await mirror?.stop();
      await reconciliation?.stop();
      await settleExternalFollowUps();
    },
  };
}
