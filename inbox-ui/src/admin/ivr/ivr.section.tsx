import { useId, useMemo, useState } from 'react';
import type { AuthSession } from '../../api/auth-session.js';
import { useAdmin } from '../admin-context.js';
import { LoadState, SectionHead, useResource } from '../admin-ui.js';
import { IvrApi, ivrProblemsOf, type IvrModelDetail, type IvrModelSummary, type IvrProblem } from './ivr-api.js';
import { ivrText, type IvrMessageKey } from './ivr-messages.js';

/**
 * The campaign's phone menu (issue 8 item 2): its versions, the tree of one of them as JSON in a
 * text box (admins edit and save it as the draft; the hub's Spanish problems are listed under it)
 * and the draft's promotion. Supervisors read. Kept small: the tree format is documented in
 * voice-bridge/README.md.
 */
export function IvrSection({ campaignId, session }: { campaignId: string; session: AuthSession }) {
  const { t, lang, isAdmin, announce } = useAdmin();
  const tx = (key: IvrMessageKey, values?: Record<string, string | number>) => ivrText(lang, key, values);
  const api = useMemo(() => new IvrApi(session), [session]);
  const versions = useResource(`${campaignId}:ivr-models`, () => api.list(campaignId).then((r) => r.items));
  const [shown, setShown] = useState<IvrModelDetail | null>(null);
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<IvrProblem[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const editorId = useId();
  const items = versions.data ?? [];
  const draft = items.find((m) => m.status === 'draft') ?? null;

  async function open(summary: IvrModelSummary) {
    setError(null);
    setProblems(null);
    try {
      const detail = await api.get(summary.id);
      setShown(detail);
      setText(JSON.stringify(detail.tree, null, 2));
      setNote(detail.note ?? '');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  async function save() {
    setBusy(true);
    setError(null);
    setProblems(null);
    try {
      const saved = await api.saveDraft(campaignId, text, note.trim() === '' ? null : note.trim());
      setShown(saved);
      announce(tx('saved', { version: saved.version }));
      versions.reload();
    } catch (e) {
      const listed = ivrProblemsOf(e);
      if (listed) setProblems(listed);
      else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  async function promote() {
    if (!draft) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api.promote(draft.id);
      setShown(result.model);
      announce(tx('promoted', { version: result.model.version }));
      versions.reload();
    } catch (e) {
      const listed = ivrProblemsOf(e);
      if (listed) setProblems(listed);
      else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="admin-section">
      <SectionHead title={t('section.ivr')} />
      <p className="muted">{tx('intro')}</p>
      <div className="admin-card">
        <h3>{tx('versions')}</h3>
        {versions.data === undefined || versions.error ? (
          <LoadState loading={versions.loading} error={versions.error} onRetry={versions.reload} />
        ) : items.length === 0 ? (
          <p className="muted">{tx('none')}</p>
        ) : (
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">{tx('version')}</th>
                <th scope="col">{tx('status')}</th>
                <th scope="col">{tx('name')}</th>
                <th scope="col">{tx('updated')}</th>
                <th scope="col">
                  <span className="sr-only">{tx('view', { version: '' })}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id} aria-current={shown?.id === m.id ? 'true' : undefined}>
                  <td>{m.version}</td>
                  <td>{tx(`status.${m.status}`)}</td>
                  <td>{m.name}</td>
                  <td>{new Date(m.updatedAt).toLocaleString(lang)}</td>
                  <td>
                    <button type="button" className="btn btn-secondary btn-small" onClick={() => void open(m)}>
                      {tx('view', { version: m.version })}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="admin-card">
        {shown && <p className="muted">{tx('viewing', { version: shown.version, status: tx(`status.${shown.status}`) })}</p>}
        <label htmlFor={editorId}>{tx('editor')}</label>
        <p className="muted" id={`${editorId}-hint`}>
          {tx('editorHint')}
        </p>
        <textarea
          id={editorId}
          className="ivr-editor"
          rows={18}
          spellCheck={false}
          value={text}
          readOnly={!isAdmin}
          aria-describedby={`${editorId}-hint`}
          aria-invalid={problems !== null && problems.length > 0 ? true : undefined}
          onChange={(e) => setText(e.target.value)}
          style={{ width: '100%', fontFamily: 'monospace' }}
        />
        {problems && (
          <div role="alert">
            <p>{tx('problems', { count: problems.length })}</p>
            <ul>
              {problems.map((p, i) => (
                <li key={`${p.path}:${i}`}>
                  {p.path !== '' && <code>{p.path}</code>} {p.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        {error && (
          <p role="alert" className="form-error">
            {error}
          </p>
        )}
        {isAdmin ? (
          <div className="admin-form-actions">
            <label>
              {tx('note')} <input type="text" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
            </label>
            <button type="button" className="btn btn-primary" disabled={busy || text.trim() === ''} onClick={() => void save()}>
              {tx('save')}
            </button>
            <button type="button" className="btn btn-secondary" disabled={busy || !draft} onClick={() => void promote()}>
              {tx('promote')}
            </button>
          </div>
        ) : (
          <p className="muted">{tx('readOnly')}</p>
        )}
      </div>
    </div>
  );
}
