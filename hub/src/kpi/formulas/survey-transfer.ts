import { assertCounts, type KpiResult, ratioResult } from './kpi-result.js';

export interface SurveyTransferInput {
  readonly transferredToSurvey: number;
  /** Calls attended by PS-I. */
  readonly attended: number;
  /**
   * DyC removes from the denominator the contacts that could not reach the survey
   * (L7892). Leave all three at 0 for the T&C formula (target L10124, formula L10225).
   */
  readonly transferredToSecondLevel?: number;
  readonly hungUpByRequester?: number;
  readonly interCampaignTransfers?: number;
}

/**
 * T&C: transferidas a encuesta / atendidas × 100. DyC: transferidas a encuesta / (atendidas −
 * transferidas a 2.º nivel − colgadas por el peticionario − transferencias entre campañas) × 100.
 */
export function surveyTransferRate(input: SurveyTransferInput): KpiResult {
  const secondLevel = input.transferredToSecondLevel ?? 0;
  const hungUp = input.hungUpByRequester ?? 0;
  const interCampaign = input.interCampaignTransfers ?? 0;
  assertCounts({ transferredToSurvey: input.transferredToSurvey, attended: input.attended, secondLevel, hungUp, interCampaign });
  const eligible = input.attended - secondLevel - hungUp - interCampaign;
  if (eligible < 0) throw new RangeError('exclusions exceed attended');
  if (input.transferredToSurvey > eligible) throw new RangeError('transferredToSurvey exceeds the eligible attended calls');
  const dyc = secondLevel + hungUp + interCampaign > 0;
  return ratioResult({
    kpi: 'survey_transfer',
    unit: 'percent',
    numerator: input.transferredToSurvey,
    denominator: eligible,
    scale: 100,
    formula: dyc
      ? 'transferidas a encuesta / (atendidas − transferidas a 2.º nivel − colgadas por el peticionario − transferencias entre campañas) × 100'
      : 'transferidas a encuesta / atendidas por PS-I × 100',
    seedRef: dyc ? 'S003 DyC L7892' : 'S003 T&C L10124, L10225',
    inputs: { transferredToSurvey: input.transferredToSurvey, attended: input.attended, transferredToSecondLevel: secondLevel, hungUpByRequester: hungUp, interCampaignTransfers: interCampaign },
    arithmetic: dyc
      ? `${input.transferredToSurvey} / (${input.attended} − ${secondLevel} − ${hungUp} − ${interCampaign})`
      : `${input.transferredToSurvey} / ${input.attended}`,
  });
}
