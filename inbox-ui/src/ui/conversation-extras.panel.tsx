import { useEffect, useId, useState } from 'react';
import type { SurveyResponse, WebchatVisitor } from '../api/api-types.js';
import type { HubApi } from '../api/hub-api.js';
import { formatDateTime } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n.js';

/**
 * What a channel adds to the contact panel: the web chat visitor (pre-chat data as typed, origin,
 * IP — masked for agents when the channel says so — browser, visits) and the exit survey once the
 * citizen answered it (issue 5 items 4–5).
 */
export function ConversationExtras({ api, conversationId, channelKind, version }: { api: HubApi; conversationId: string; channelKind: string; version: number }) {
  const { t, lang } = useI18n();
  const id = useId();
  const [visitor, setVisitor] = useState<WebchatVisitor | null>(null);
  const [survey, setSurvey] = useState<SurveyResponse | null>(null);

  useEffect(() => {
    let live = true;
    setVisitor(null);
    setSurvey(null);
    if (channelKind === 'webchat') {
      api.webchatVisitor(conversationId).then((v) => live && setVisitor(v), () => undefined);
    }
    api.conversationSurvey(conversationId).then((r) => live && setSurvey(r.response), () => undefined);
    return () => {
      live = false;
    };
  }, [api, conversationId, channelKind, version]);

  if (!visitor && !survey) return null;
  const rows: [string, string | null][] = visitor
    ? [
        [t('webchat.name'), visitor.name],
        [t('webchat.email'), visitor.email],
        [t('webchat.phone'), visitor.phone],
        [t('webchat.topic'), visitor.topic],
        [t('webchat.origin'), visitor.origin],
        [t('webchat.ip'), visitor.ip],
        [t('webchat.browser'), visitor.userAgent],
        [t('webchat.visits'), String(visitor.visitCount)],
        [t('webchat.firstSeen'), formatDateTime(visitor.firstSeenAt, lang)],
      ]
    : [];
  return (
    <>
      {visitor && (
        <section aria-labelledby={`${id}-visitor`}>
          <h3 id={`${id}-visitor`} className="panel-subtitle">
            {t('webchat.title')}
          </h3>
          <p className="small muted">{t('webchat.unverified')}</p>
          <dl className="kv">
            {rows.map(([label, value]) => (
              <div key={label} className="kv-row">
                <dt>{label}</dt>
                <dd className={value ? undefined : 'muted'}>{value ?? '—'}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      {survey && (
        <section aria-labelledby={`${id}-survey`}>
          <h3 id={`${id}-survey`} className="panel-subtitle">
            {t('survey.title')}
          </h3>
          <dl className="kv">
            <div className="kv-row">
              <dt>{t('survey.rating')}</dt>
              <dd>{survey.rating === null ? '—' : `${survey.rating} / 5`}</dd>
            </div>
            <div className="kv-row">
              <dt>{t('survey.yesNo')}</dt>
              <dd>{t('survey.yesNoValue', { yes: String(survey.yes), no: String(survey.no) })}</dd>
            </div>
            {survey.agentRatings.map((r) => (
              <div key={r.agentId} className="kv-row">
                <dt>
                  {r.displayName} ({r.tier})
                </dt>
                <dd>{r.rating} / 5</dd>
              </div>
            ))}
            {survey.comment && (
              <div className="kv-row">
                <dt>{t('survey.comment')}</dt>
                <dd>{survey.comment}</dd>
              </div>
            )}
          </dl>
        </section>
      )}
    </>
  );
}
