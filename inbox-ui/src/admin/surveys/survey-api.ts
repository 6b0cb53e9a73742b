import type { SurveyResults } from '../../../../hub/src/surveys/survey-results.usecase.js';
import type { SurveySettings } from '../../../../hub/src/surveys/survey-settings.schema.js';
import type { AuthSession } from '../../api/auth-session.js';
import { callJson } from '../../api/hub-api.js';

export type { SurveyResults, SurveySettings };

/** `from` and `to` are dates (YYYY-MM-DD) in the campaign's time zone; `to` includes that whole day. */
export interface ResultsRange {
  from: string;
  to: string;
}

/** The exit-survey endpoints (hub/src/surveys/surveys.routes.ts), on the console's session. */
export class SurveyApi {
  constructor(private readonly session: AuthSession) {}

  settings(campaignId: string): Promise<{ campaignId: string; settings: SurveySettings }> {
    return callJson(this.session, 'GET', `/campaigns/${campaignId}/survey-settings`);
  }
  /** Admin or a supervisor of the campaign; the hub audits the change (survey.settings_updated). */
  saveSettings(campaignId: string, settings: SurveySettings): Promise<{ campaignId: string; settings: SurveySettings }> {
    return callJson(this.session, 'PUT', `/campaigns/${campaignId}/survey-settings`, settings);
  }
  results(campaignId: string, range: ResultsRange): Promise<SurveyResults> {
    const query = new URLSearchParams({ from: range.from, to: range.to });
    return callJson(this.session, 'GET', `/campaigns/${campaignId}/survey-results?${query.toString()}`);
  }
}
