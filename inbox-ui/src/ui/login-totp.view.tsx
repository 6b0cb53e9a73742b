import { useEffect, useId, useState, type FormEvent } from 'react';
import { errorText } from '../api/api-error.js';
import type { TokenPair } from '../api/api-types.js';
import type { AuthSession, TotpSetup } from '../api/auth-session.js';
import { useI18n } from '../i18n/i18n.js';
import { securityText, type SecurityKey } from './security-text.js';

/** A 6-digit code field: numeric keyboard on phones, the OS may offer the code (one-time-code). */
export function TotpCodeField({ value, onChange, label, errorId }: { value: string; onChange(next: string): void; label: string; errorId?: string | undefined }) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        name="totp"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        required
        value={value}
        onChange={(e) => onChange(e.target.value.replace(/\D/g, '').slice(0, 6))}
        aria-describedby={errorId}
        aria-invalid={errorId ? true : undefined}
      />
    </label>
  );
}

export function RecoveryCodesList({ codes }: { codes: string[] }) {
  return (
    <ol className="recovery-codes" style={{ fontFamily: 'monospace', columns: 2 }}>
      {codes.map((code) => (
        <li key={code}>{code}</li>
      ))}
    </ol>
  );
}

/**
 * The login after a right password when the server asks for more: the TOTP code (or a recovery
 * code), or — for a role that must use it — the enrolment (QR, first code, recovery codes).
 */
export function LoginSecondStep({ session, kind, challenge, onBack }: { session: AuthSession; kind: 'totp' | 'enrol'; challenge: string; onBack(): void }) {
  const { t, lang } = useI18n();
  const s = (key: SecurityKey, values?: Record<string, string | number>) => securityText(lang, key, values);
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState<string | null>(null);
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [enrolled, setEnrolled] = useState<{ recoveryCodes: string[]; session: TokenPair } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();

  useEffect(() => {
    if (kind !== 'enrol') return;
    session.enrolSetup(challenge).then(setSetup, (e: unknown) => setError(errorText(e, lang, t('common.networkError'))));
  }, [kind, challenge, session, lang, t]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (kind === 'enrol') setEnrolled(await session.enrolEnable(challenge, code));
      else await session.completeTotp(challenge, recovery === null ? { code } : { recoveryCode: recovery.trim() });
    } catch (e) {
      setError(errorText(e, lang, t('common.networkError')));
    }
    setBusy(false);
  }

  if (enrolled) {
    return (
      <section aria-labelledby={`${errorId}-codes`}>
        <h2 id={`${errorId}-codes`}>{s('codesTitle')}</h2>
        <p className="muted">{s('codesHelp')}</p>
        <RecoveryCodesList codes={enrolled.recoveryCodes} />
        <button type="button" className="btn btn-primary btn-block" onClick={() => session.adopt(enrolled.session)}>
          {s('codesDone')}
        </button>
      </section>
    );
  }

  const ready = recovery === null ? code.length === 6 : recovery.trim().length >= 10;
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={kind === 'enrol' ? s('enrolTitle') : s('codeTitle')}>
      <h2>{kind === 'enrol' ? s('enrolTitle') : s('codeTitle')}</h2>
      {kind === 'enrol' ? (
        <>
          <p className="muted">{s('enrolHelp')}</p>
          {setup && (
            <>
              <img src={setup.qrDataUrl} alt={s('qrAlt')} width={200} height={200} />
              <p className="small">{s('manualSecret', { secret: setup.secret })}</p>
            </>
          )}
        </>
      ) : (
        <p className="muted">{recovery === null ? s('codeHelp') : s('recoveryHelp')}</p>
      )}
      {recovery === null ? (
        <TotpCodeField value={code} onChange={setCode} label={s('code')} errorId={error ? errorId : undefined} />
      ) : (
        <label className="field">
          <span>{s('recoveryCode')}</span>
          <input name="recoveryCode" autoComplete="off" required value={recovery} onChange={(e) => setRecovery(e.target.value)} />
        </label>
      )}
      {error && (
        <p id={errorId} className="banner banner-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary btn-block" disabled={busy || !ready}>
        {busy ? s('verifying') : kind === 'enrol' ? s('activate') : s('verify')}
      </button>
      <p>
        {kind === 'totp' && (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setRecovery(recovery === null ? '' : null)}>
            {recovery === null ? s('useRecovery') : s('useApp')}
          </button>
        )}
        <button type="button" className="btn btn-ghost btn-small" onClick={onBack}>
          {s('back')}
        </button>
      </p>
    </form>
  );
}
