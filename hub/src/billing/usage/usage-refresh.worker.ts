import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { localDateOf } from '../../kpi/formulas/intervals.js';
import type { HubContext } from '../../runtime/context.js';
import { PeriodicJob } from '../../runtime/periodic-job.js';
import { loadRateCard } from '../rate-card/rate-card.store.js';
import { previousMonthOf } from '../statement/statement-loaders.js';
import { deriveUsage, type DeriveUsageResult } from './derive-usage.js';

export interface RefreshedMonth {
  readonly campaignId: string;
  readonly month: string;
  readonly result: DeriveUsageResult;
}

/**
 * Keeps the usage facts current without anyone asking: for every campaign, the previous local
 * month (still open: its statement stays current until the admin closes it; closed: late events
 * become unbilled facts, billed as adjustments of the next open month) and the current one, with
 * the rules of the campaign's card. Derivation is idempotent and locks per campaign and month, so
 * any number of worker processes may run it.
 */
export async function refreshUsage(db: Kysely<Database>, now: Date): Promise<RefreshedMonth[]> {
  const refreshed: RefreshedMonth[] = [];
  const campaigns = await db.selectFrom('campaigns').select(['id', 'time_zone']).orderBy('id').execute();
  for (const campaign of campaigns) {
    const { card } = await loadRateCard(db, campaign.id);
    const rules = { billableStates: card.billableStates, erroneousDispositions: card.erroneousDispositions };
    const current = localDateOf(now.getTime(), campaign.time_zone).slice(0, 7);
    for (const month of [previousMonthOf(current, campaign.time_zone), current]) {
      refreshed.push({ campaignId: campaign.id, month, result: await deriveUsage(db, campaign.id, month, rules, { now }) });
    }
  }
  return refreshed;
}

/** Every BILLING_USAGE_REFRESH_MS (default 15 min) in the worker processes, the first one interval after start. */
export function startUsageRefresh(ctx: HubContext): PeriodicJob {
  return new PeriodicJob(
    'billing usage refresh',
    async () => {
      const refreshed = await refreshUsage(ctx.db.kysely, new Date());
      const changed = refreshed.filter((r) => r.result.inserted + r.result.updated + r.result.deleted > 0);
      if (changed.length > 0) ctx.logger.info({ changed }, 'billing usage facts refreshed');
    },
    ctx.logger,
    ctx.config.BILLING_USAGE_REFRESH_MS,
    // Not at start-up: a month's derivation is heavy (≈ 20 s per 500,000 facts) and a process
    // starting under load (a restart, a scale-out) must first serve traffic; the admin's
    // «Recalcular» and the close derive on demand meanwhile.
    ctx.config.BILLING_USAGE_REFRESH_MS,
  ).start();
}
