import { useEffect, useId, useMemo, useState } from 'react';
import type { KbArticle, KbArticleSummary } from '../api/api-types.js';
import type { HubApi } from '../api/hub-api.js';
import { useI18n } from '../i18n/i18n.js';
import { Icon } from './icons.view.js';

/** Articles shared with the bots: search by keyword or topic, read, insert a snippet into the reply. */
export function KnowledgePanel({ api, campaignId, onInsert }: { api: HubApi; campaignId: string; onInsert(text: string): void }) {
  const { t } = useI18n();
  const id = useId();
  const [q, setQ] = useState('');
  const [applied, setApplied] = useState('');
  const [topic, setTopic] = useState('');
  const [items, setItems] = useState<KbArticleSummary[] | null>(null);
  const [topics, setTopics] = useState<string[]>([]);
  const [article, setArticle] = useState<KbArticle | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    api
      .kbArticles(campaignId, applied, topic)
      .then(({ items: found }) => {
        if (cancelled) return;
        setItems(found);
        setFailed(false);
        if (!applied && !topic) setTopics([...new Set(found.map((a) => a.topic).filter((x): x is string => !!x))].sort());
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [api, campaignId, applied, topic]);

  const selectionOr = useMemo(
    () => (fallback: string) => {
      const selected = window.getSelection()?.toString().trim();
      return selected ? selected : fallback;
    },
    [],
  );

  if (failed) return <p className="empty small">{t('kb.unavailable')}</p>;
  if (article) {
    return (
      <div className="panel-body">
        <button type="button" className="btn btn-ghost btn-small" onClick={() => setArticle(null)}>
          ← {t('kb.back')}
        </button>
        <article className="kb-article">
          <h2 className="panel-title">{article.title}</h2>
          {article.topic && <p className="small muted">{article.topic}</p>}
          <div className="kb-body">{article.body}</div>
        </article>
        <button type="button" className="btn btn-primary btn-small" onMouseDown={(e) => e.preventDefault()} onClick={() => onInsert(selectionOr(article.body.slice(0, 1500)))}>
          {t('kb.insert')}
        </button>
      </div>
    );
  }
  return (
    <div className="panel-body">
      <form
        role="search"
        className="kb-search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(q.trim());
        }}
      >
        <label className="field">
          <span>{t('kb.search')}</span>
          <span className="input-with-icon">
            <Icon name="search" className="search-icon" />
            <input type="search" value={q} placeholder={t('kb.searchPlaceholder')} onChange={(e) => setQ(e.target.value)} />
          </span>
        </label>
        <label className="field">
          <span>{t('kb.topic')}</span>
          <select value={topic} onChange={(e) => setTopic(e.target.value)}>
            <option value="">{t('kb.allTopics')}</option>
            {topics.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
      </form>
      {items === null ? (
        <p className="empty small">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p className="empty small">{t('kb.empty')}</p>
      ) : (
        <ul className="kb-list" aria-labelledby={`${id}-results`}>
          {items.map((a) => (
            <li key={a.id} className="kb-item">
              <h3 className="kb-title">{a.title}</h3>
              {a.topic && <p className="small muted">{a.topic}</p>}
              <p className="small">{a.snippet}</p>
              <div className="row gap-s">
                <button type="button" className="btn btn-ghost btn-small" aria-label={t('kb.read', { title: a.title })} onClick={() => void api.kbArticle(a.id).then(setArticle)}>
                  <Icon name="book" /> {t('kb.read', { title: '' }).trim()}
                </button>
                <button type="button" className="btn btn-secondary btn-small" onClick={() => onInsert(a.snippet)}>
                  {t('kb.insert')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <span id={`${id}-results`} className="sr-only">
        {t('panel.kb')}
      </span>
    </div>
  );
}
