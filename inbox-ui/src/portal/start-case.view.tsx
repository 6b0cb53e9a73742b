import { useId, useState, type FormEvent } from 'react';
import { OfficialIdField } from './official-id-field.view.js';
import { checkOfficialId } from './official-id.js';
import { portalApi, type CaseKey, type NewCase } from './portal-api.js';
import { usePortalText, type MessageKey } from './portal-i18n.js';
import type { Procedure } from './portal.schema.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Field = 'procedure' | 'fullName' | 'officialId' | 'birthDate' | 'contact' | 'email' | 'phone';

/** «Iniciar trámite»: the citizen's data → the case folio TRAM-…, shown big, to keep. */
export function StartCaseView({ procedures, procedureId, onProcedure, onOpenCase }: { procedures: Procedure[]; procedureId: string; onProcedure(id: string): void; onOpenCase(key: CaseKey): void }) {
  const { t, errorText } = usePortalText();
  const id = useId();
  const [fullName, setFullName] = useState('');
  const [officialId, setOfficialId] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [started, setStarted] = useState<CaseKey | null>(null);

  const problems = new Map<Field, MessageKey>();
  if (!procedures.some((p) => p.id === procedureId)) problems.set('procedure', 'procedureRequired');
  if (fullName.trim().length < 3) problems.set('fullName', 'nameRequired');
  const idCheck = checkOfficialId(officialId);
  if (idCheck.state !== 'valid') problems.set('officialId', 'officialIdRequired');
  if (birthDate === '') problems.set('birthDate', 'birthDateRequired');
  const phoneDigits = phone.replace(/\D/g, '');
  if (email.trim() === '' && phoneDigits === '') problems.set('contact', 'contactRequired');
  if (email.trim() !== '' && !EMAIL.test(email.trim())) problems.set('email', 'emailInvalid');
  if (phoneDigits !== '' && phoneDigits.length !== 10) problems.set('phone', 'phoneInvalid');
  const shown = (field: Field) => (submitted ? problems.get(field) : undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setFailure(null);
    if (problems.size > 0 || idCheck.state !== 'valid') return;
    const input: NewCase = { procedureId, officialId: { kind: idCheck.kind, value: idCheck.value }, birthDate, fullName: fullName.trim() };
    if (email.trim() !== '') input.email = email.trim();
    if (phoneDigits !== '') input.phone = phoneDigits;
    setBusy(true);
    try {
      const created = await portalApi.startCase(input);
      setStarted({ folio: created.folio, officialId: idCheck.value });
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  if (started)
    return (
      <section aria-labelledby="pt-start-heading" className="pt-started">
        <h2 id="pt-start-heading" tabIndex={-1}>
          {t('caseStarted')}
        </h2>
        <p className="pt-folio-label">{t('yourFolio')}</p>
        <p className="pt-folio" data-testid="case-folio">
          {started.folio}
        </p>
        <p className="pt-keep">{t('keepFolio')}</p>
        <button type="button" className="pt-primary" onClick={() => onOpenCase(started)}>
          {t('goToCase')}
        </button>
      </section>
    );

  const error = (field: Field) => {
    const key = shown(field);
    return key ? (
      <p id={`${id}-${field}-error`} className="pt-hint pt-bad">
        {t(key)}
      </p>
    ) : null;
  };
  const described = (field: Field, extra?: string) => [shown(field) ? `${id}-${field}-error` : '', extra ?? ''].filter(Boolean).join(' ') || undefined;

  return (
    <section aria-labelledby="pt-start-heading">
      <h2 id="pt-start-heading" tabIndex={-1}>
        {t('startHeading')}
      </h2>
      <p>{t('startIntro')}</p>
      <form noValidate onSubmit={(e) => void submit(e)} className="pt-form">
        <div className="pt-field">
          <label htmlFor={`${id}-procedure`}>{t('procedureLabel')}</label>
          <select id={`${id}-procedure`} value={procedureId} onChange={(e) => onProcedure(e.target.value)} aria-invalid={shown('procedure') !== undefined} aria-describedby={described('procedure')}>
            <option value="">{t('chooseProcedure')}</option>
            {procedures.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          {error('procedure')}
        </div>
        <div className="pt-field">
          <label htmlFor={`${id}-name`}>{t('fullNameLabel')}</label>
          <input id={`${id}-name`} autoComplete="name" value={fullName} maxLength={200} onChange={(e) => setFullName(e.target.value)} aria-invalid={shown('fullName') !== undefined} aria-describedby={described('fullName')} />
          {error('fullName')}
        </div>
        <OfficialIdField value={officialId} onChange={setOfficialId} showErrors={submitted} />
        <div className="pt-field">
          <label htmlFor={`${id}-birth`}>{t('birthDateLabel')}</label>
          <input id={`${id}-birth`} type="date" autoComplete="bday" max={new Date().toISOString().slice(0, 10)} value={birthDate} onChange={(e) => setBirthDate(e.target.value)} aria-invalid={shown('birthDate') !== undefined} aria-describedby={described('birthDate')} />
          {error('birthDate')}
        </div>
        <fieldset className="pt-fieldset">
          <legend>{t('contactHint')}</legend>
          <div className="pt-field">
            <label htmlFor={`${id}-email`}>{t('emailLabel')}</label>
            <input id={`${id}-email`} type="email" autoComplete="email" value={email} maxLength={200} onChange={(e) => setEmail(e.target.value)} aria-invalid={shown('email') !== undefined || shown('contact') !== undefined} aria-describedby={described('email', shown('contact') ? `${id}-contact-error` : undefined)} />
            {error('email')}
          </div>
          <div className="pt-field">
            <label htmlFor={`${id}-phone`}>{t('phoneLabel')}</label>
            <input id={`${id}-phone`} type="tel" autoComplete="tel-national" inputMode="tel" value={phone} maxLength={20} onChange={(e) => setPhone(e.target.value)} aria-invalid={shown('phone') !== undefined || shown('contact') !== undefined} aria-describedby={described('phone', shown('contact') ? `${id}-contact-error` : undefined)} />
            {error('phone')}
          </div>
          {error('contact')}
        </fieldset>
        <div role="alert" className="pt-alert-slot">
          {submitted && problems.size > 0 && <p className="pt-error">{t('fixErrors')}</p>}
          {failure && <p className="pt-error">{failure}</p>}
        </div>
        <button type="submit" className="pt-primary" disabled={busy}>
          {busy ? t('submitting') : t('submitStart')}
        </button>
      </form>
    </section>
  );
}
