import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { qualityScore } from '../kpi/formulas/quality.js';
import type { KpiResult } from '../kpi/formulas/kpi-result.js';

/**
 * The month's quality KPI of a campaign (issue 9 item 8 → the SLA row «Calidad de operación»):
 * Σ scores of the month's evaluations / Σ contractual sample sizes of the month's samples
 * (kpi/formulas/quality.ts). One channel kind, or every sample of the campaign when channelKind is
 * null. A month without a sample has a denominator of 0 → `sin_trafico` (no deduction proposed).
 */
export async function monthlyQualityKpi(db: Kysely<Database>, campaignId: string, month: string, channelKind: string | null = null): Promise<KpiResult> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new RangeError(`month must be YYYY-MM, got "${month}"`);
  let samples = db.selectFrom('quality_samples').select(['id', 'sample_size']).where('campaign_id', '=', campaignId).where('month', '=', month);
  if (channelKind !== null) samples = samples.where('channel_kind', '=', channelKind);
  const drawn = await samples.execute();
  if (drawn.length === 0) return qualityScore([], 0);
  const evaluations = await db
    .selectFrom('quality_evaluations')
    .select('score')
    .where(
      'sample_id',
      'in',
      drawn.map((s) => s.id),
    )
    .execute();
  const sampleSize = drawn.reduce((total, s) => total + s.sample_size, 0);
  return qualityScore(
    evaluations.map((e) => Number(e.score)),
    sampleSize,
  );
}
