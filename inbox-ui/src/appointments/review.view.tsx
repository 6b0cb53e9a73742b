import { useCallback, useEffect, useId, useState } from 'react';
import { errorText, localizedMessage } from '../api/api-error.js';
import { formatDateTime } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n.js';
import type { AppointmentsApi, ReviewCase, ReviewQueueItem } from './appointments-api.js';
import { channelKey, latestVersion } from './appointments-state.js';
import { appointmentsText, type AppointmentsKey } from './appointments-text.js';
import { ReviewDocument } from './review-document.view.js';

/**
 * «Revisión documental»: the documents assigned to me (supervisors and admins may widen to the
 * campaign's whole queue), and a case with the citizen's data and each document to approve or reject.
 */
export function ReviewPanel({ api, campaignId, canSeeAll, me }: { api: AppointmentsApi; campaignId: string; canSeeAll: boolean; me: string }) {
  const { lang } = useI18n();
  const t = (key: AppointmentsKey, values?: Record<string, string | number>) => appointmentsText(lang, key, values);
  const id = useId();
  const [mine, setMine] = useState(true);
  const [items, setItems] = useState<ReviewQueueItem[] | null>(null);
  const [failure, setFailure] = useState<{ error: unknown } | null>(null);
  const [openCase, setOpenCase] = useState<string | null>(null);
  const [current, setCurrent] = useState<ReviewCase | null>(null);

  const refresh = useCallback(() => {
    setFailure(null);
    api.reviewQueue(campaignId, mine).then(
      (r) => setItems(r.items),
      (error: unknown) => {
        setItems([]);
        setFailure({ error });
      },
    );
  }, [api, campaignId, mine]);
  useEffect(refresh, [refresh]);

  useEffect(() => {
    if (!openCase) {
      setCurrent(null);
      return;
    }
    let live = true;
    api.reviewCase(campaignId, openCase).then(
      (r) => {
        if (live) setCurrent(r.case);
      },
      (error: unknown) => {
        if (live) setFailure({ error });
      },
    );
    return () => {
      live = false;
    };
  }, [api, campaignId, openCase]);

  const channelText = (c: string) => {
    const key = channelKey(c);
    return key ? t(key) : c;
  };

  if (openCase) {
    return (
      <section aria-labelledby={`${id}-case`} className="appt-section">
        <button type="button" className="btn btn-ghost btn-small" onClick={() => setOpenCase(null)}>
          {t('back')}
        </button>
        {failure && <p role="alert">{t('loadFailed', { message: errorText(failure.error, lang, '') })}</p>}
        {current && (
          <>
            <h2 id={`${id}-case`}>
              {t('caseTitle', { folio: current.folio })} · {current.procedureName} · <span className="appt-status">{t(`caseStatus_${current.status}`)}</span>
            </h2>
            <div className="appt-card">
              <h3>{t('citizenData')}</h3>
              <p>{t('fullName', { name: current.citizen.fullName })}</p>
              <p>
                {t('citizen', { kind: current.citizen.officialIdKind.toUpperCase(), value: current.citizen.officialId })}
                {` · ${t('bornOn', { date: current.citizen.birthDate })}`}
              </p>
              {(current.citizen.email ?? current.citizen.phone) !== null && <p>{t('contactLine', { value: [current.citizen.email, current.citizen.phone].filter(Boolean).join(' · ') })}</p>}
              <p className="small">{t('caseChannel', { channel: channelText(current.channel) })}</p>
            </div>
            <h3>{t('documents')}</h3>
            <ul className="appt-docs">
              {current.documents.map((doc) => (
                <ReviewDocument
                  key={doc.requirementId}
                  api={api}
                  campaignId={campaignId}
                  caseId={current.id}
                  doc={doc}
                  version={latestVersion(doc, current.documentVersions)}
                  me={me}
                  onReviewed={(next) => {
                    setCurrent(next);
                    refresh();
                  }}
                />
              ))}
            </ul>
            {current.notices.length > 0 && (
              <>
                <h3>{t('notices')}</h3>
                <ol className="appt-events">
                  {current.notices.map((n, i) => (
                    <li key={`${n.at}-${i}`}>
                      {formatDateTime(n.at, lang)} · {localizedMessage(n.text, lang)}
                    </li>
                  ))}
                </ol>
              </>
            )}
          </>
        )}
      </section>
    );
  }

  return (
    <section aria-labelledby={`${id}-title`} className="appt-section">
      <div className="appt-row appt-between">
        <h2 id={`${id}-title`}>{t('reviewTitle')}</h2>
        {canSeeAll && (
          <label className="appt-inline">
            <input type="checkbox" checked={!mine} onChange={(e) => setMine(!e.target.checked)} /> {t('reviewAll')}
          </label>
        )}
      </div>
      {failure && <p role="alert">{t('loadFailed', { message: errorText(failure.error, lang, '') })}</p>}
      {items === null ? (
        <p className="muted">{t('loading')}</p>
      ) : items.length === 0 ? (
        !failure && <p className="muted">{t('noReview')}</p>
      ) : (
        <table className="appt-table">
          <thead>
            <tr>
              <th scope="col">{t('colCase')}</th>
              <th scope="col">{t('colProcedure')}</th>
              <th scope="col">{t('colRequirement')}</th>
              <th scope="col">{t('colUploaded')}</th>
              {!mine && <th scope="col">{t('colAssigned')}</th>}
              <th scope="col">{t('colActions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.documentId}>
                <td>{item.caseFolio}</td>
                <td>{item.procedureName}</td>
                <td>{item.requirementName}</td>
                <td>{formatDateTime(item.uploadedAt, lang)}</td>
                {!mine && <td>{item.assignedTo?.name ?? '—'}</td>}
                <td>
                  <button type="button" className="btn btn-secondary btn-small" aria-label={t('openCase', { folio: item.caseFolio })} onClick={() => setOpenCase(item.caseId)}>
                    {t('view')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
