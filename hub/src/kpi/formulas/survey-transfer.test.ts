import { describe, expect, it } from 'vitest';
import { surveyTransferRate } from './survey-transfer.js';

describe('surveyTransferRate', () => {
  it('T&C: transferred / attended × 100 (L10124)', () => {
    // 150 / 200 × 100 = 75 %
    const result = surveyTransferRate({ transferredToSurvey: 150, attended: 200 });
    expect(result.value).toBe(75);
    expect(result.seedRef).toContain('T&C');
  });

  it('DyC: removes 2nd-level transfers, requester hang-ups and inter-campaign transfers from the denominator', () => {
    // 150 / (200 − 10 − 5 − 5) = 150 / 180 = 83.33 %
    const result = surveyTransferRate({ transferredToSurvey: 150, attended: 200, transferredToSecondLevel: 10, hungUpByRequester: 5, interCampaignTransfers: 5 });
    expect(result.value).toBeCloseTo(83.333, 3);
    expect(result.explanation).toBe('150 / (200 − 10 − 5 − 5) × 100 = 83.33 %');
  });

  it('is sin tráfico with nothing eligible', () => {
    expect(surveyTransferRate({ transferredToSurvey: 0, attended: 3, hungUpByRequester: 3 }).value).toBeNull();
  });

  it('rejects impossible counts', () => {
    expect(() => surveyTransferRate({ transferredToSurvey: 5, attended: 4 })).toThrow(RangeError);
    expect(() => surveyTransferRate({ transferredToSurvey: 0, attended: 1, hungUpByRequester: 2 })).toThrow(RangeError);
  });
});
