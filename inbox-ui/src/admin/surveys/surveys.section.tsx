import { useMemo, useState } from 'react';
import type { AuthSession } from '../../api/auth-session.js';
import { useAdmin } from '../admin-context.js';
import { LoadState, SectionHead, useResource } from '../admin-ui.js';
import { SurveyApi } from './survey-api.js';
import { canEditSurvey } from './survey-form.js';
import { SurveyResultsView } from './survey-results.view.js';
import { SurveySettingsEditor } from './survey-settings.editor.js';
import './surveys.css';

/** Where a campaign's time zone is unknown to the console; the hub's own default for campaigns. */
const FALLBACK_TIME_ZONE = 'America/Mexico_City';

/**
 * The exit survey of the campaign (issue 5 item 4): its settings (admins and the campaign's
 * supervisors change them; others read them) and its results for supervisors. The survey has
 * its own client on the session, as the mass-mail section does.
 */
export function SurveysSection({ campaignId, session }: { campaignId: string; session: AuthSession }) {
  const { t, user, campaigns } = useAdmin();
  const api = useMemo(() => new SurveyApi(session), [session]);
  const settings = useResource(`${campaignId}:survey-settings`, () => api.settings(campaignId).then((r) => r.settings));
  const [version, setVersion] = useState(0);
  const timeZone = campaigns.find((c) => c.id === campaignId)?.timeZone ?? FALLBACK_TIME_ZONE;
  const { setData } = settings;

  return (
    <div className="admin-section">
      <SectionHead title={t('section.surveys')} />
      <div className="survey-panes">
        <div className="admin-card">
          {settings.data ? (
            <SurveySettingsEditor
              api={api}
              campaignId={campaignId}
              settings={settings.data}
              editable={canEditSurvey(user, campaignId)}
              onSaved={(saved) => {
                setData(() => saved);
                setVersion((v) => v + 1);
              }}
            />
          ) : (
            <LoadState loading={settings.loading} error={settings.error} onRetry={settings.reload} />
          )}
        </div>
        <div className="admin-card">
          <SurveyResultsView api={api} campaignId={campaignId} timeZone={timeZone} version={version} />
        </div>
      </div>
    </div>
  );
}
