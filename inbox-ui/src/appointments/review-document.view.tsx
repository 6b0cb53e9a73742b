import { useId, useState } from 'react';
import { errorText } from '../api/api-error.js';
import { formatDateTime } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n.js';
import type { AppointmentsApi, CaseDocument, DocumentVersion, ReviewCase } from './appointments-api.js';
import { reviewProblem } from './appointments-state.js';
import { appointmentsText, type AppointmentsKey } from './appointments-text.js';

/**
 * One document of a case: its status, an authenticated download of its newest version, and
 * Aprobar / Rechazar (reason required to reject) for the reviewer it was drawn for — supervisors
 * and admins see and reassign, never decide (README «Procedures and review»).
 */
export function ReviewDocument({ api, campaignId, caseId, doc, version, me, onReviewed }: { api: AppointmentsApi; campaignId: string; caseId: string; doc: CaseDocument; version: DocumentVersion | null; me: string; onReviewed(next: ReviewCase): void }) {
  const { lang } = useI18n();
  const t = (key: AppointmentsKey, values?: Record<string, string | number>) => appointmentsText(lang, key, values);
  const id = useId();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<AppointmentsKey | null>(null);
  const [notice, setNotice] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const canDecide = version !== null && version.status === 'pending_review' && version.reviewer?.id === me;

  function decide(decision: 'approved' | 'rejected') {
    if (!version) return;
    const missing = reviewProblem(decision, reason);
    setProblem(missing);
    if (missing) return;
    setBusy(true);
    api
      .review(campaignId, caseId, version.id, decision, reason)
      .then(
        (r) => {
          setRejecting(false);
          setReason('');
          setNotice({ tone: 'ok', text: t('reviewed', { name: doc.name, status: t(decision === 'approved' ? 'docStatus_approved' : 'docStatus_rejected') }) });
          onReviewed(r.case);
        },
        (error: unknown) => setNotice({ tone: 'error', text: t('actionFailed', { message: errorText(error, lang, '') }) }),
      )
      .finally(() => setBusy(false));
  }

  return (
    <li className="appt-card" aria-labelledby={`${id}-name`}>
      <div className="appt-row appt-between">
        <strong id={`${id}-name`}>{doc.name}</strong>
        <span className={`appt-status appt-doc-${doc.status}`}>{t(`docStatus_${doc.status}`)}</span>
      </div>
      {doc.uploadedAt && (
        <p className="small muted">
          {doc.fileName ?? ''} · {formatDateTime(doc.uploadedAt, lang)}
        </p>
      )}
      {doc.reason && <p className="small">{t('previousReason', { reason: doc.reason })}</p>}
      <div className="appt-row">
        {version && (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => void api.downloadDocument(campaignId, caseId, version.id, version.fileName).catch((e: unknown) => setNotice({ tone: 'error', text: t('actionFailed', { message: errorText(e, lang, '') }) }))}>
            {t('download', { name: version.fileName })}
          </button>
        )}
        {canDecide && !rejecting && (
          <>
            <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={() => decide('approved')}>
              {t('approve')}
            </button>
            <button type="button" className="btn btn-danger btn-small" disabled={busy} onClick={() => setRejecting(true)}>
              {t('reject')}
            </button>
          </>
        )}
      </div>
      {rejecting && (
        <form
          className="appt-row"
          onSubmit={(e) => {
            e.preventDefault();
            decide('rejected');
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-reason`}>{t('rejectReason', { name: doc.name })}</label>
            <textarea id={`${id}-reason`} value={reason} maxLength={1000} rows={2} aria-invalid={problem !== null} onChange={(e) => setReason(e.target.value)} />
            {problem && <span className="appt-error">{t(problem)}</span>}
          </div>
          <button type="submit" className="btn btn-danger btn-small" disabled={busy}>
            {t('rejectSubmit')}
          </button>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setRejecting(false)}>
            {t('cancelForm')}
          </button>
        </form>
      )}
      {notice && <p role={notice.tone === 'error' ? 'alert' : 'status'}>{notice.text}</p>}
    </li>
  );
}
