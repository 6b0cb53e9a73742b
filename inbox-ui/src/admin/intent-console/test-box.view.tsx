import { useId, useState } from 'react';
import { Icon } from '../../ui/icons.view.js';
import { useAdmin } from '../admin-context.js';
import { Field } from '../admin-ui.js';
import { serverFeedback } from '../form-problems.js';
import { percent, testableVersions } from './console-format.js';
import { useIcI18n } from './i18n/ic-i18n.js';
import type { BotModelSummary, IntentConsoleApi, TestUtteranceResponse } from './intent-console-api.js';

/**
 * The test box: an utterance against any trained version → the intent (or none, below the
 * threshold), score, language, candidates, entities with their official-id checks, and what the
 * bot would reply. The hub's word on bad input (empty, too long, emoji only) is shown as is.
 */
export function TestBoxView({ api, campaignId, items, preferredId, canEdit }: { api: IntentConsoleApi; campaignId: string; items: BotModelSummary[]; preferredId: string | null; canEdit: boolean }) {
  const { t } = useAdmin();
  const { it, lang } = useIcI18n();
  const headingId = useId();
  const versions = testableVersions(items);
  const [chosen, setChosen] = useState<string | null>(null);
  const modelId = versions.find((v) => v.id === chosen)?.id ?? versions.find((v) => v.id === preferredId)?.id ?? versions[0]?.id ?? null;
  const [utterance, setUtterance] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TestUtteranceResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempted, setAttempted] = useState(false);

  async function run() {
    setAttempted(true);
    if (!modelId || utterance.trim() === '') return;
    setBusy(true);
    setError(null);
    try {
      setResult(await api.test(campaignId, modelId, utterance));
    } catch (e) {
      setResult(null);
      setError(serverFeedback(e, lang, t('admin.networkError')).general);
    } finally {
      setBusy(false);
    }
  }

  // The hub lets only those who edit the bot run it (supervisors read the console).
  if (!canEdit) return <p className="empty small">{it('tb.readOnly')}</p>;
  if (versions.length === 0) return <p className="empty small">{it('tb.noVersions')}</p>;

  return (
    <section className="stack" aria-labelledby={headingId}>
      <h3 id={headingId} className="admin-editor-title">
        {it('tb.title')}
      </h3>
      <form
        className="admin-form ic-test-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <Field label={it('tb.version')}>
          {(a) => (
            <select {...a} value={modelId ?? ''} onChange={(e) => setChosen(e.target.value)}>
              {versions.map((v) => (
                <option key={v.id} value={v.id}>
                  {it('ic.versionStatus', { version: v.version, status: it(`ic.status.${v.status}`) })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={it('tb.utterance')} className="ic-grow" messages={attempted && utterance.trim() === '' ? [it('tb.empty')] : undefined}>
          {(a) => <input {...a} value={utterance} maxLength={5000} onChange={(e) => setUtterance(e.target.value)} />}
        </Field>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? it('tb.running') : it('tb.run')}
        </button>
      </form>
      {error && (
        <p className="banner banner-error small" role="alert">
          {error}
        </p>
      )}
      <div role="status" aria-live="polite">
        {result && <TestResult result={result} />}
      </div>
    </section>
  );
}

function TestResult({ result }: { result: TestUtteranceResponse }) {
  const { it, lang } = useIcI18n();
  return (
    <div className="admin-card stack ic-test-result">
      {result.issue && (
        <p className="banner banner-warn small">
          <Icon name="alert" /> {it(`tb.issue.${result.issue}`)}
        </p>
      )}
      <dl className="ic-kv">
        <div>
          <dt>{it('tb.intent')}</dt>
          <dd className="ic-test-intent">
            {result.intent ?? <span className="muted">{it('tb.none')}</span>}
            {!result.intent && result.guess && <span className="small muted"> · {it('tb.guess', { intent: result.guess, score: percent(result.score, lang) })}</span>}
          </dd>
        </div>
        <div>
          <dt>{it('tb.score')}</dt>
          <dd className="ic-test-score">{percent(result.score, lang)}</dd>
        </div>
        <div>
          <dt>{it('tb.language')}</dt>
          <dd>{it(`tb.lang.${result.language}`)}</dd>
        </div>
      </dl>
      {result.candidates.length > 0 && (
        <div>
          <p className="ic-subtitle">{it('tb.candidates')}</p>
          <ol className="ic-candidates">
            {result.candidates.map((c) => (
              <li key={c.intent}>
                <span>{c.intent}</span>
                <meter min={0} max={1} value={c.score} aria-label={c.intent} />
                <span className="num small">{percent(c.score, lang)}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
      {result.entities.length === 0 ? (
        <p className="small muted">{it('tb.noEntities')}</p>
      ) : (
        <table className="admin-table">
          <caption className="ic-caption">{it('tb.entities')}</caption>
          <thead>
            <tr>
              <th scope="col">{it('tb.entityType')}</th>
              <th scope="col">{it('tb.entityText')}</th>
              <th scope="col">{it('tb.entityValue')}</th>
              <th scope="col">{it('tb.entityValid')}</th>
            </tr>
          </thead>
          <tbody>
            {result.entities.map((e, i) => (
              <tr key={`${e.type}-${i}`}>
                <th scope="row">{e.type}</th>
                <td>{e.text}</td>
                <td>
                  <code>{e.value}</code>
                </td>
                <td className={e.valid ? 'ic-valid' : 'ic-invalid'}>
                  <span aria-hidden="true">{e.valid ? '✓' : '✗'}</span> {e.valid ? it('tb.valid') : it('tb.invalid')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div>
        <p className="ic-subtitle">
          {it('tb.reply')} <span className="small muted">· {it(`tb.answeredBy.${result.reply.answeredBy}`)}</span>
        </p>
        <ul className="ic-replies">
          {result.reply.texts.map((text, i) => (
            <li key={i} className="ic-reply">
              <Icon name="bot" size={14} /> {text}
            </li>
          ))}
        </ul>
        {result.reply.kbArticle && <p className="small muted">{it('tb.kbArticle', { title: result.reply.kbArticle.title })}</p>}
      </div>
    </div>
  );
}
