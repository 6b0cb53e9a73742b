import { useId, useState } from 'react';
import { formatDateTime } from '../../i18n/format.js';
import { useAdmin } from '../admin-context.js';
import { LoadState, useResource } from '../admin-ui.js';
import { serverFeedback } from '../form-problems.js';
import { percent } from './console-format.js';
import { useIcI18n } from './i18n/ic-i18n.js';
import type { IntentConsoleApi, UnmatchedUtterance } from './intent-console-api.js';

/**
 * What citizens wrote that the bot did not understand (or barely): one click adds the phrase to
 * an intent of the newest draft (the hub creates one from production when there is none), or
 * dismisses it. The trainer is told the draft must be trained and promoted to take effect.
 */
export function UnmatchedView({ api, campaignId, intents, canEdit, onDraftChanged }: { api: IntentConsoleApi; campaignId: string; intents: string[]; canEdit: boolean; onDraftChanged(): void }) {
  const { announce, t } = useAdmin();
  const { it, lang } = useIcI18n();
  const headingId = useId();
  const resource = useResource(`${campaignId}:unmatched`, () => api.unmatched(campaignId).then((r) => r.items));
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const items = resource.data ?? [];
  const { setData } = resource;

  async function act(item: UnmatchedUtterance, kind: 'add' | 'dismiss', intent = '') {
    setBusy(item.turnId);
    setNotice(null);
    try {
      if (kind === 'add') {
        await api.addToIntent(campaignId, item.turnId, { intent, language: item.language });
        setNotice({ tone: 'ok', text: it('un.added', { utterance: item.utterance, intent }) });
        onDraftChanged();
      } else {
        await api.dismiss(campaignId, item.turnId);
        announce(it('un.dismissed', { utterance: item.utterance }));
      }
      setData((list) => (list ?? []).filter((x) => x.turnId !== item.turnId));
    } catch (e) {
      setNotice({ tone: 'error', text: serverFeedback(e, lang, t('admin.networkError')).general });
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="stack" aria-labelledby={headingId}>
      <div className="ic-toolbar">
        <h3 id={headingId} className="admin-editor-title">
          {it('un.title')}
        </h3>
        <span className="spacer" />
        <button type="button" className="btn btn-ghost btn-small" onClick={resource.reload}>
          {it('un.reload')}
        </button>
      </div>
      <p className="admin-hint">{it('un.hint')}</p>
      {notice && (
        <p className={`banner small ${notice.tone === 'ok' ? 'banner-info' : 'banner-error'}`} role={notice.tone === 'ok' ? 'status' : 'alert'}>
          {notice.text}
        </p>
      )}
      {!resource.data ? (
        <LoadState loading={resource.loading} error={resource.error} onRetry={resource.reload} />
      ) : items.length === 0 ? (
        <p className="empty small">{it('un.empty')}</p>
      ) : (
        <div className="ic-table-wrap" role="region" aria-label={it('un.title')} tabIndex={0}>
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">{it('un.utterance')}</th>
                <th scope="col">{it('un.guess')}</th>
                <th scope="col">{it('un.answeredBy')}</th>
                <th scope="col">{it('un.date')}</th>
                <th scope="col">{it('un.folio')}</th>
                {canEdit && <th scope="col">{it('un.add')}</th>}
              </tr>
            </thead>
            <tbody>
              {items.map((item) => {
                const selected = choice[item.turnId] ?? (item.guess && intents.includes(item.guess) ? item.guess : (intents[0] ?? ''));
                return (
                  <tr key={item.turnId}>
                    <th scope="row" className="ic-utterance">
                      {item.utterance}
                    </th>
                    <td>{item.guess ? `${item.guess} (${percent(item.score, lang)})` : <span className="muted">{it('un.noGuess')}</span>}</td>
                    <td>{it(`un.answeredBy.${item.answeredBy}`)}</td>
                    <td>{formatDateTime(item.createdAt, lang)}</td>
                    <td>{item.folio}</td>
                    {canEdit && (
                      <td>
                        <div className="ic-row-actions">
                          {intents.length === 0 ? (
                            <span className="small muted">{it('un.noIntents')}</span>
                          ) : (
                            <>
                              <select aria-label={it('un.intentFor', { utterance: item.utterance })} value={selected} onChange={(e) => setChoice({ ...choice, [item.turnId]: e.target.value })}>
                                {intents.map((name) => (
                                  <option key={name} value={name}>
                                    {name}
                                  </option>
                                ))}
                              </select>
                              <button type="button" className="btn btn-primary btn-small" disabled={busy !== null} onClick={() => void act(item, 'add', selected)}>
                                {it('un.add')}
                              </button>
                            </>
                          )}
                          <button type="button" className="btn btn-ghost btn-small" disabled={busy !== null} onClick={() => void act(item, 'dismiss')}>
                            {it('un.dismiss')}
                          </button>
                        </div>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
