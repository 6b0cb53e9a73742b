import { type KpiResult, ratioResult } from './kpi-result.js';

/** Default sample size: 100 monitorings per month, campaign and channel (T&C L10240). */
export const CONTRACT_QUALITY_SAMPLE = 100;

/**
 * Quality = [Σ calificaciones individuales / 100 monitoreos] (scores 0–100 each) (T&C L10240;
 * DyC L7887–L7891). The divisor is the *contractual* sample size, not the number scored: a month
 * with fewer than 100 monitorings scores lower, as printed. With no sample configured → null.
 */
export function qualityScore(scores: readonly number[], sampleSize: number = CONTRACT_QUALITY_SAMPLE): KpiResult {
  for (const score of scores) {
    if (!Number.isFinite(score) || score < 0 || score > 100) throw new RangeError(`quality score must be 0–100, got ${score}`);
  }
  if (!Number.isInteger(sampleSize) || sampleSize < 0) throw new RangeError('sampleSize must be an integer ≥ 0');
  if (scores.length > sampleSize) throw new RangeError(`more scores (${scores.length}) than the sample size (${sampleSize})`);
  const sum = scores.reduce((total, score) => total + score, 0);
  return ratioResult({
    kpi: 'quality',
    unit: 'percent',
    numerator: sum,
    denominator: sampleSize,
    scale: 1,
    formula: 'Σ calificaciones individuales de los monitoreos / 100 monitoreos',
    seedRef: 'S003 T&C L10240; DyC L7891',
    inputs: { scoreSum: sum, scored: scores.length, sampleSize },
    arithmetic: `${sum} / ${sampleSize}`,
  });
}
