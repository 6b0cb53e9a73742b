import { hostname } from 'node:os';
import { FileStore } from '../files/file-store.js';
import type { HubContext } from '../runtime/context.js';
import { PeriodicJob } from '../runtime/periodic-job.js';
import { purgeAllCampaigns } from './purge.usecase.js';

/**
 * The retention pass of every campaign every PRIVACY_PURGE_INTERVAL_MS (0 = not in this process:
 * another worker does). Any number of worker processes may run it: each campaign is purged under
 * a transaction-scoped advisory lock and every step is conditional (purge.usecase.ts).
 */
export function startPrivacyPurge(ctx: HubContext): PeriodicJob | null {
  const interval = ctx.config.PRIVACY_PURGE_INTERVAL_MS;
  if (interval === 0) return null;
  const files = new FileStore(ctx.config.DATA_DIR);
  const label = `purge-job@${hostname()}:${process.pid}`;
  return new PeriodicJob(
    'privacy purge',
    async () => {
      const outcomes = await purgeAllCampaigns({ db: ctx.db.kysely, files }, new Date(), { kind: 'job', userId: null, label });
      const certified = outcomes.filter((o) => o.certificateId !== null);
      if (certified.length > 0) ctx.logger.info({ certified: certified.map((o) => ({ campaignId: o.campaignId, certificateId: o.certificateId, counts: o.counts })) }, 'privacy purge certified');
    },
    ctx.logger,
    interval,
    60_000,
  ).start();
}
