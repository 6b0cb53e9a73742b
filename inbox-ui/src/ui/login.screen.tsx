import { useId, useState, type FormEvent } from 'react';
import { errorText } from '../api/api-error.js';
import type { AuthSession, EndReason } from '../api/auth-session.js';
import { useI18n } from '../i18n/i18n.js';
import { LanguageSwitch } from './language-switch.view.js';
import { LoginSecondStep } from './login-totp.view.js';

export function LoginScreen({ session, ended }: { session: AuthSession; ended: EndReason | null }) {
  const { t, lang } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [second, setSecond] = useState<{ kind: 'totp' | 'enrol'; challenge: string } | null>(null);
  const errorId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const outcome = await session.login(email.trim(), password);
      if (outcome.kind !== 'signedIn') {
        setSecond(outcome);
        setPassword('');
        setBusy(false);
      }
    } catch (e) {
      setError(errorText(e, lang, t('common.networkError')));
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <main className="login-card" aria-labelledby="login-title">
        <div className="login-brand">
          <span className="brand-mark" aria-hidden="true">
            V
          </span>
          <div>
            <p className="brand-name">{t('app.name')}</p>
            <p className="brand-tagline">{t('app.tagline')}</p>
          </div>
        </div>
        <h1 id="login-title">{t('login.title')}</h1>
        <p className="muted">{t('login.subtitle')}</p>
        {ended && !error && (
          <p className="banner banner-info" role="status">
            {ended === 'expired' ? t('login.expired') : t('login.loggedOut')}
          </p>
        )}
        {second ? (
          <LoginSecondStep session={session} kind={second.kind} challenge={second.challenge} onBack={() => setSecond(null)} />
        ) : (
          <form onSubmit={(e) => void submit(e)} noValidate>
            <label className="field">
              <span>{t('login.email')}</span>
              <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined} />
            </label>
            <label className="field">
              <span>{t('login.password')}</span>
              <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined} />
            </label>
            {error && (
              <p id={errorId} className="banner banner-error" role="alert">
                {error}
              </p>
            )}
            <button type="submit" className="btn btn-primary btn-block" disabled={busy || !email || !password}>
              {busy ? t('login.submitting') : t('login.submit')}
            </button>
          </form>
        )}
        <div className="login-footer">
          <span className="muted small">{t('login.footer')}</span>
          <LanguageSwitch />
        </div>
      </main>
    </div>
  );
}
