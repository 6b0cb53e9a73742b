import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { localDateOf, monthSpan } from '../kpi/formulas/intervals.js';
import { CONTRACT_QUALITY_SAMPLE } from '../kpi/formulas/quality.js';
import type { HubContext } from '../runtime/context.js';
import { PeriodicJob } from '../runtime/periodic-job.js';
import { drawMonthlySample } from './draw-sample.usecase.js';

/** The local month before the one `nowMs` falls in, 'YYYY-MM'. */
export function previousMonth(nowMs: number, timeZone: string): string {
  const [year, month] = localDateOf(nowMs, timeZone).split('-').map(Number);
  if (year === undefined || month === undefined) throw new RangeError('bad local date');
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** `campaigns.settings.quality.sampleSize` when a positive integer, else the contract's 100. */
export function sampleSizeOf(settings: unknown): number {
  if (typeof settings !== 'object' || settings === null) return CONTRACT_QUALITY_SAMPLE;
  const quality: unknown = Reflect.get(settings, 'quality');
  if (typeof quality !== 'object' || quality === null) return CONTRACT_QUALITY_SAMPLE;
  const size: unknown = Reflect.get(quality, 'sampleSize');
  return typeof size === 'number' && Number.isInteger(size) && size > 0 && size <= 10_000 ? size : CONTRACT_QUALITY_SAMPLE;
}

/**
 * The scheduled draw: for every campaign, once its local month has ended (plus a grace for the
 * last facts), the previous month's sample of every channel kind with attended traffic. Any
 * number of processes may run it: the draw skips a sample that exists (unique per campaign,
 * channel kind and month, taken under an advisory lock). Returns the samples drawn.
 */
export async function drawDueSamples(db: Kysely<Database>, nowMs: number, graceMs = 3_600_000): Promise<{ campaignId: string; channelKind: string; month: string; sampleId: string }[]> {
  const drawn: { campaignId: string; channelKind: string; month: string; sampleId: string }[] = [];
  const campaigns = await db.selectFrom('campaigns').select(['id', 'time_zone', 'settings']).execute();
  for (const campaign of campaigns) {
    const month = previousMonth(nowMs - graceMs, campaign.time_zone);
    const { span } = monthSpan(month, campaign.time_zone);
    const kinds = await db
      .selectFrom('kpi_contact_facts')
      .select('channel_kind')
      .distinct()
      .where('campaign_id', '=', campaign.id)
      .where('channel_kind', 'is not', null)
      .where('answered_at', '>=', new Date(span.startMs))
      .where('answered_at', '<', new Date(span.endMs))
      .execute();
    const done = new Set((await db.selectFrom('quality_samples').select('channel_kind').where('campaign_id', '=', campaign.id).where('month', '=', month).execute()).map((s) => s.channel_kind));
    for (const { channel_kind: channelKind } of kinds) {
      if (channelKind === null || done.has(channelKind)) continue;
      const sample = await drawMonthlySample(db, { campaignId: campaign.id, channelKind, month, sampleSize: sampleSizeOf(campaign.settings) }, { userId: null, label: 'scheduler' }, { skipExisting: true });
      if (sample) drawn.push({ campaignId: campaign.id, channelKind, month, sampleId: sample.sampleId });
    }
  }
  return drawn;
}

/** Checks every 15 min whether a month ended and its samples are due (a process started late draws after 5 s). */
export function startQualityDraws(ctx: HubContext): PeriodicJob {
  return new PeriodicJob(
    'quality sample draw',
    async () => {
      const drawn = await drawDueSamples(ctx.db.kysely, Date.now());
      if (drawn.length > 0) ctx.logger.info({ drawn }, 'quality samples drawn');
    },
    ctx.logger,
    15 * 60_000,
  ).start();
}
