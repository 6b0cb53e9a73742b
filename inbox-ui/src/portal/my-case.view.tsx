import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error.js';
import { CaseAppointmentView, CaseBookingView } from './case-booking.view.js';
import { CaseDocumentsView } from './case-documents.view.js';
import { OfficialIdField } from './official-id-field.view.js';
import { checkOfficialId } from './official-id.js';
import { portalApi, type CaseKey } from './portal-api.js';
import { noticeSide } from './notice-text.js';
import { formatInstant } from './portal-format.js';
import { usePortalText } from './portal-i18n.js';
import { caseStatusText } from './portal-messages.js';
import { CASE_FOLIO_PATTERN } from './portal-path.js';
import type { CaseView, Procedure } from './portal.schema.js';

/**
 * «Mi trámite»: folio + NSS/CURP → the case's status in words, its documents (upload the missing
 * and rejected ones), the reviewer's notices, then the booking. A direct link brings the folio.
 */
export function MyCaseView({ caseKey, linkFolio, procedures, onOpen, onClose }: { caseKey: CaseKey | null; linkFolio: string | null; procedures: Procedure[]; onOpen(key: CaseKey): void; onClose(): void }) {
  return caseKey ? <OpenCase caseKey={caseKey} procedures={procedures} onClose={onClose} /> : <CaseLookup linkFolio={linkFolio} onOpen={onOpen} />;
}

function CaseLookup({ linkFolio, onOpen }: { linkFolio: string | null; onOpen(key: CaseKey): void }) {
  const { t, errorText } = usePortalText();
  const id = useId();
  const [folio, setFolio] = useState(linkFolio ?? '');
  const [officialId, setOfficialId] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const folioValue = folio.trim().toUpperCase();
  const folioBad = submitted && !CASE_FOLIO_PATTERN.test(folioValue);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setFailure(null);
    const check = checkOfficialId(officialId);
    if (!CASE_FOLIO_PATTERN.test(folioValue) || check.state !== 'valid') return;
    const key = { folio: folioValue, officialId: check.value };
    setBusy(true);
    try {
      await portalApi.getCase(key);
      onOpen(key);
    } catch (error) {
      setFailure(error instanceof ApiError && error.status === 404 ? t('caseNotFound') : errorText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="pt-case-heading">
      <h2 id="pt-case-heading" tabIndex={-1}>
        {t('caseHeading')}
      </h2>
      <p>{linkFolio ? t('lookupIntroLink', { folio: linkFolio }) : t('lookupIntro')}</p>
      <form noValidate onSubmit={(e) => void submit(e)} className="pt-form">
        {!linkFolio && (
          <div className="pt-field">
            <label htmlFor={`${id}-folio`}>{t('folioLabel')}</label>
            <input id={`${id}-folio`} autoComplete="off" spellCheck={false} autoCapitalize="characters" maxLength={30} value={folio} onChange={(e) => setFolio(e.target.value)} aria-invalid={folioBad} aria-describedby={`${id}-folio-hint`} />
            <p id={`${id}-folio-hint`} className={folioBad ? 'pt-hint pt-bad' : 'pt-hint'}>
              {folioBad ? t('folioInvalid') : t('folioHint')}
            </p>
          </div>
        )}
        <OfficialIdField value={officialId} onChange={setOfficialId} showErrors={submitted} />
        <div role="alert">{failure && <p className="pt-error">{failure}</p>}</div>
        <button type="submit" className="pt-primary" disabled={busy}>
          {busy ? t('loading') : t('lookupSubmit')}
        </button>
      </form>
    </section>
  );
}

function OpenCase({ caseKey, procedures, onClose }: { caseKey: CaseKey; procedures: Procedure[]; onClose(): void }) {
  const { t, lang, errorText } = usePortalText();
  const [view, setView] = useState<CaseView | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const load = useCallback(async () => {
    setFailure(null);
    try {
      setView(await portalApi.getCase(caseKey));
    } catch (error) {
      setFailure(error instanceof ApiError && error.status === 404 ? t('caseNotFound') : errorText(error));
    }
  }, [caseKey, errorText, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const requirements = procedures.find((p) => p.id === view?.procedureId)?.requirements ?? [];
  const activeAppointment = view?.appointment && (view.appointment.status === 'booked' || view.appointment.status === 'confirmed') ? view.appointment : null;

  return (
    <section aria-labelledby="pt-case-heading" className="pt-case">
      <h2 id="pt-case-heading" tabIndex={-1}>
        {t('caseHeading')}
        {view && <span className="pt-case-folio"> · {view.folio}</span>}
      </h2>
      <div className="pt-actions">
        <button type="button" className="pt-secondary" onClick={() => void load()}>
          {t('refresh')}
        </button>
        <button type="button" className="pt-secondary" onClick={onClose}>
          {t('otherCase')}
        </button>
      </div>
      <div role="alert">{failure && <p className="pt-error">{failure}</p>}</div>
      {!view && !failure && <p role="status">{t('loading')}</p>}
      {view && (
        <>
          <p className="pt-procedure-name">{view.procedureName}</p>
          <p className={`pt-case-status pt-case-${view.status}`} data-testid="case-status">
            <span className="pt-label">{t('statusLabel')}:</span> {caseStatusText(view.status, lang)}
          </p>
          <CaseDocumentsView caseKey={caseKey} view={view} requirements={requirements} onCase={setView} />
          <section aria-labelledby="pt-notices-heading">
            <h3 id="pt-notices-heading">{t('noticesHeading')}</h3>
            {view.notices.length === 0 ? (
              <p className="pt-meta">{t('noNotices')}</p>
            ) : (
              <ul className="pt-notices">
                {[...view.notices].reverse().map((notice, i) => (
                  <li key={`${notice.at}-${i}`}>
                    <time dateTime={notice.at}>{formatInstant(notice.at, lang)}</time> — {noticeSide(notice.text, lang)}
                  </li>
                ))}
              </ul>
            )}
          </section>
          {view.appointment?.status === 'cancelled' && !activeAppointment && (
            <p className="pt-meta" role="status">
              {t('cancelled')} ({view.appointment.folio})
            </p>
          )}
          {activeAppointment ? (
            <CaseAppointmentView caseKey={caseKey} view={view} onCase={setView} />
          ) : (
            view.status === 'approved' && <CaseBookingView key={view.updatedAt} caseKey={caseKey} onCase={setView} />
          )}
        </>
      )}
    </section>
  );
}
