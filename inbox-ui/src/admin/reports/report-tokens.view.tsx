import { useState } from 'react';
import { Icon } from '../../ui/icons.view.js';
import { useAdmin } from '../admin-context.js';
import { ConfirmDialog, Field, LoadState, useResource } from '../admin-ui.js';
import { serverFeedback } from '../form-problems.js';
import { useReportsI18n } from './i18n/reports-i18n.js';
import type { ReportsApi, ReportTokenView } from './reports-api.js';
import { curlExample, localTime } from './reports-form.js';

/**
 * Report tokens for BI tools (admins and the campaign's supervisors): create (the token is shown
 * once, with a copy button and a curl line), list with their last use, revoke.
 */
export function ReportTokensView({ api, campaignId, timeZone, sampleDate }: { api: ReportsApi; campaignId: string; timeZone: string; sampleDate: string }) {
  const { t, announce } = useAdmin();
  const { rt, lang } = useReportsI18n();
  const tokens = useResource(`${campaignId}:report-tokens`, () => api.tokens(campaignId).then((r) => r.items));
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fresh, setFresh] = useState<{ token: string; name: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState<ReportTokenView | null>(null);
  const { setData } = tokens;
  const nameMissing = attempted && name.trim() === '';
  const when = (iso: string | null, empty: string) => (iso ? localTime(iso, timeZone, lang) : empty);

  async function create() {
    setAttempted(true);
    if (name.trim() === '') return;
    setBusy(true);
    setError(null);
    try {
      // The expiry is the end of the chosen day on the browser's clock.
      const body = { campaignId, name: name.trim(), ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}) };
      const created = await api.createToken(body);
      setData((list) => [created.item, ...(list ?? [])]);
      setFresh({ token: created.token, name: created.item.name });
      setCopied(false);
      setName('');
      setExpires('');
      setAttempted(false);
      announce(rt('rp.created', { name: created.item.name }));
    } catch (e) {
      setError(serverFeedback(e, lang, t('admin.networkError')).general);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="stack" aria-labelledby={`${campaignId}-tokens`}>
      <h3 id={`${campaignId}-tokens`} className="admin-editor-title">
        {rt('rp.tokens')}
      </h3>
      <p className="admin-hint">{rt('rp.tokensHint')}</p>
      <form
        className="admin-form report-token-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <Field label={rt('rp.tokenName')} messages={nameMissing ? [rt('rp.tokenNameRequired')] : undefined}>
          {(a) => <input {...a} type="text" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={rt('rp.tokenExpires')}>{(a) => <input {...a} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />}</Field>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {rt('rp.tokenCreate')}
        </button>
      </form>
      {error && (
        <p className="banner banner-error small" role="alert">
          {error}
        </p>
      )}
      {fresh && (
        <div className="banner report-token-fresh" role="status">
          <p>
            <Icon name="lock" /> <strong>{rt('rp.tokenShownOnce')}</strong>
          </p>
          <div className="report-token-value">
            <code data-testid="report-token-value">{fresh.token}</code>
            <button
              type="button"
              className="btn btn-secondary btn-small"
              onClick={() => {
                void navigator.clipboard?.writeText(fresh.token).then(() => setCopied(true));
              }}
            >
              {copied ? rt('rp.copied') : rt('rp.copy')}
            </button>
          </div>
          <p className="small">{rt('rp.curl')}</p>
          <code className="report-curl">{curlExample(window.location.origin, fresh.token, campaignId, sampleDate)}</code>
          <button type="button" className="btn btn-secondary btn-small" onClick={() => setFresh(null)}>
            {rt('rp.dismiss')}
          </button>
        </div>
      )}
      {tokens.data ? (
        tokens.data.length === 0 ? (
          <p className="empty small">{rt('rp.noTokens')}</p>
        ) : (
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">{rt('rp.colName')}</th>
                <th scope="col">{rt('rp.colPrefix')}</th>
                <th scope="col">{rt('rp.colStatus')}</th>
                <th scope="col">{rt('rp.colCreated')}</th>
                <th scope="col">{rt('rp.colExpires')}</th>
                <th scope="col">{rt('rp.colLastUsed')}</th>
                <th scope="col">
                  <span className="sr-only">{rt('rp.revoke')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((tk) => (
                <tr key={tk.id}>
                  <th scope="row">{tk.name}</th>
                  <td>
                    <code>{tk.prefix}…</code>
                  </td>
                  <td>
                    <span className={`chip report-status-${tk.status}`}>{rt(`rp.status.${tk.status}`)}</span>
                  </td>
                  <td>{when(tk.createdAt, '')}</td>
                  <td>{when(tk.expiresAt, rt('rp.noExpiry'))}</td>
                  <td>{when(tk.lastUsedAt, rt('rp.never'))}</td>
                  <td>
                    {tk.status === 'active' && (
                      <button type="button" className="btn btn-secondary btn-small" onClick={() => setRevoking(tk)}>
                        {rt('rp.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : (
        <LoadState loading={tokens.loading} error={tokens.error} onRetry={tokens.reload} />
      )}
      {revoking && (
        <ConfirmDialog
          title={rt('rp.revokeTitle')}
          message={rt('rp.revokeConfirm', { name: revoking.name })}
          confirmLabel={rt('rp.revoke')}
          danger
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            const { item } = await api.revokeToken(revoking.id);
            setData((list) => (list ?? []).map((x) => (x.id === item.id ? item : x)));
            announce(rt('rp.revoked', { name: item.name }));
          }}
        />
      )}
    </section>
  );
}
