import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { apiErrorFrom, errorText } from '../api/api-error.js';
import type { AuthSession, TotpSetup } from '../api/auth-session.js';
import { useI18n } from '../i18n/i18n.js';
import { Dialog } from './dialog.view.js';
import { RecoveryCodesList, TotpCodeField } from './login-totp.view.js';
import { securityText, type SecurityKey } from './security-text.js';

interface TotpStatus {
  enabled: boolean;
  required: boolean;
  recoveryCodesLeft: number;
}

/** «Seguridad»: the signed-in user's TOTP — status, enrolment with QR and recovery codes, turning it off. */
export function SecurityDialog({ session, onClose }: { session: AuthSession; onClose(): void }) {
  const { t, lang } = useI18n();
  const s = (key: SecurityKey, values?: Record<string, string | number>) => securityText(lang, key, values);
  const [status, setStatus] = useState<TotpStatus | null>(null);
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const call = useCallback(
    async <T,>(path: string, body?: object): Promise<T | null> => {
      const init: RequestInit = body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {};
      const response = await session.request(path, init);
      if (!response.ok) throw await apiErrorFrom(response);
      return response.status === 204 ? null : ((await response.json()) as T);
    },
    [session],
  );
  const reload = useCallback(() => call<TotpStatus>('/api/v1/auth/totp').then(setStatus), [call]);

  useEffect(() => {
    reload().catch((e: unknown) => setError(errorText(e, lang, t('common.networkError'))));
  }, [reload, lang, t]);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await action();
    } catch (e) {
      setError(errorText(e, lang, t('common.networkError')));
    }
    setBusy(false);
  }

  const start = () => run(async () => setSetup(await call<TotpSetup>('/api/v1/auth/totp/setup', {})));
  const enable = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const result = await call<{ recoveryCodes: string[] }>('/api/v1/auth/totp/enable', { code });
      setCodes(result?.recoveryCodes ?? []);
      setSetup(null);
      setCode('');
      setNotice(s('enabledOthers'));
      await reload();
    });
  };
  const disable = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await call('/api/v1/auth/totp/disable', { password });
      setPassword('');
      setNotice(s('disabled'));
      await reload();
    });
  };

  return (
    <Dialog title={s('security')} onClose={onClose}>
      <h3>{s('codeTitle')}</h3>
      {status && <p>{status.enabled ? s('statusOn', { left: status.recoveryCodesLeft }) : s('statusOff')}</p>}
      {notice && (
        <p className="banner banner-info" role="status">
          {notice}
        </p>
      )}
      {codes && (
        <section>
          <h4>{s('codesTitle')}</h4>
          <p className="muted">{s('codesHelp')}</p>
          <RecoveryCodesList codes={codes} />
        </section>
      )}
      {status && !status.enabled && !setup && (
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void start()}>
          {s('start')}
        </button>
      )}
      {setup && (
        <form onSubmit={enable} noValidate>
          <img src={setup.qrDataUrl} alt={s('qrAlt')} width={200} height={200} />
          <p className="small">{s('manualSecret', { secret: setup.secret })}</p>
          <TotpCodeField value={code} onChange={setCode} label={s('code')} />
          <button type="submit" className="btn btn-primary" disabled={busy || code.length !== 6}>
            {s('activate')}
          </button>
        </form>
      )}
      {status?.enabled && status.required && <p className="muted">{s('statusRequired')}</p>}
      {status?.enabled && !status.required && (
        <form onSubmit={disable} noValidate>
          <p className="muted">{s('disableHelp')}</p>
          <label className="field">
            <span>{s('password')}</span>
            <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          <button type="submit" className="btn btn-danger" disabled={busy || !password}>
            {s('disable')}
          </button>
        </form>
      )}
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
