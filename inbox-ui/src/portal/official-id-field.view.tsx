import { useId } from 'react';
import { usePortalText } from './portal-i18n.js';
import { checkOfficialId } from './official-id.js';

/** The NSS or CURP field, checked as the citizen types (an NSS is digits, a CURP starts with letters). */
export function OfficialIdField({ value, onChange, showErrors }: { value: string; onChange(value: string): void; showErrors: boolean }) {
  const { t } = usePortalText();
  const id = useId();
  const check = checkOfficialId(value);
  const kindName = (kind: 'nss' | 'curp') => (kind === 'nss' ? 'NSS' : 'CURP');
  let feedback: { text: string; bad: boolean } = { text: t('officialIdHint'), bad: false };
  if (check.state === 'typing') feedback = { text: t('officialIdTyping', { kind: kindName(check.kind), length: check.length, expected: check.expected }), bad: false };
  if (check.state === 'valid') feedback = { text: t('officialIdValid', { kind: kindName(check.kind) }), bad: false };
  if (check.state === 'invalid') feedback = { text: check.kind === 'nss' ? t('officialIdInvalidNss') : check.kind === 'curp' ? t('officialIdInvalidCurp') : t('officialIdInvalid'), bad: true };
  if (showErrors && (check.state === 'empty' || check.state === 'typing')) feedback = { text: check.state === 'empty' ? t('officialIdRequired') : feedback.text, bad: true };
  return (
    <div className="pt-field">
      <label htmlFor={id}>{t('officialIdLabel')}</label>
      <input
        id={id}
        name="officialId"
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="characters"
        maxLength={24}
        value={value}
        aria-invalid={feedback.bad}
        aria-describedby={`${id}-hint`}
        onChange={(e) => onChange(e.target.value)}
      />
      <p id={`${id}-hint`} className={feedback.bad ? 'pt-hint pt-bad' : check.state === 'valid' ? 'pt-hint pt-good' : 'pt-hint'} aria-live="polite">
        {feedback.text}
      </p>
    </div>
  );
}
