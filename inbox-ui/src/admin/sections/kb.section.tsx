import { useEffect, useState } from 'react';
import { formatDateTime } from '../../i18n/format.js';
import { KB_LIMITS } from '../admin-limits.js';
import { useAdmin } from '../admin-context.js';
import type { KbArticle, KbHit } from '../admin-types.js';
import { ConfirmDialog, EditorTitle, Field, FormBanner, ListButton, LoadState, ReadOnlyNote, SectionHead, SplitView, useFormSubmit, useMessages, useResource, EditActions } from '../admin-ui.js';
import { parseTags, validateKb } from '../admin-validation.js';

function toHit(a: KbArticle): KbHit {
  return { id: a.id, title: a.title, topic: a.topic, tags: a.tags, snippet: a.body.slice(0, 200), published: a.published, updatedAt: a.updatedAt };
}

/** Knowledge-base articles of the campaign (shared with the bots); drafts until published. */
export function KbSection({ campaignId }: { campaignId: string }) {
  const { api, t, user } = useAdmin();
  const canEdit = user.roles.some((r) => r === 'admin' || r === 'supervisor' || r === 'trainer');
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState({ q: '', topic: '' });
  const [topic, setTopic] = useState('');
  const resource = useResource(`${campaignId}|${search.q}|${search.topic}`, () => api.kbArticles(campaignId, search.q, search.topic).then((r) => r.items));
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  const list = resource.data ?? [];
  const current = selected === 'new' ? null : (list.find((a) => a.id === selected)?.id ?? (selected ?? list[0]?.id ?? null));
  const editing = selected === 'new' || (resource.data !== undefined && current === null && canEdit) ? 'new' : current;
  const topics = [...new Set(list.map((a) => a.topic))].sort((a, b) => a.localeCompare(b, 'es'));

  // Search as one types, a beat after the last key.
  useEffect(() => {
    const timer = setTimeout(() => setSearch({ q: query, topic }), 300);
    return () => clearTimeout(timer);
  }, [query, topic]);

  function saved(article: KbArticle) {
    resource.setData((items) => {
      const all = items ?? [];
      return all.some((a) => a.id === article.id) ? all.map((a) => (a.id === article.id ? toHit(article) : a)) : [toHit(article), ...all];
    });
    setSelected(article.id);
  }

  return (
    <div className="admin-section">
      <SectionHead title={t('section.kb')} newLabel={t('kb.new')} onNew={canEdit ? () => setSelected('new') : undefined} />
      <SplitView
        listLabel={t('kb.list')}
        list={
          <div className="stack">
            <label className="search">
              <span className="sr-only">{t('kb.search')}</span>
              <input type="search" value={query} placeholder={t('kb.search')} onChange={(e) => setQuery(e.target.value)} />
            </label>
            <label className="field admin-field">
              <span>{t('kb.topicFilter')}</span>
              <select value={topic} onChange={(e) => setTopic(e.target.value)}>
                <option value="">{t('kb.allTopics')}</option>
                {[...new Set([...topics, ...(topic ? [topic] : [])])].map((x) => (
                  <option key={x} value={x}>
                    {x}
                  </option>
                ))}
              </select>
            </label>
            {resource.data === undefined ? (
              <LoadState loading={resource.loading} error={resource.error} onRetry={resource.reload} />
            ) : list.length === 0 ? (
              <p className="empty small">{t('kb.empty')}</p>
            ) : (
              <ul className="admin-list">
                {list.map((a) => (
                  <li key={a.id}>
                    <ListButton selected={editing !== 'new' && a.id === current} onClick={() => setSelected(a.id)}>
                      <span className="admin-item-title">
                        {a.title}
                        <span className={`status-chip ${a.published ? 'status-assigned' : 'status-queued'}`}>{a.published ? t('kb.publishedBadge') : t('kb.draft')}</span>
                      </span>
                      <span className="admin-item-sub">
                        {a.topic}
                        {a.tags.length > 0 ? ` · ${a.tags.join(', ')}` : ''}
                      </span>
                    </ListButton>
                  </li>
                ))}
              </ul>
            )}
          </div>
        }
        editor={
          editing === 'new' ? (
            canEdit ? <KbEditor key="new" campaignId={campaignId} article={null} canEdit onSaved={saved} onDeleted={() => undefined} onCancel={() => setSelected(null)} /> : null
          ) : editing ? (
            <KbLoader
              key={editing}
              id={editing}
              campaignId={campaignId}
              canEdit={canEdit}
              onSaved={saved}
              onCancel={() => setSelected(null)}
              onDeleted={() => {
                resource.setData((items) => (items ?? []).filter((a) => a.id !== editing));
                setSelected(null);
              }}
            />
          ) : null
        }
      />
    </div>
  );
}

function KbLoader({ id, campaignId, canEdit, onSaved, onDeleted, onCancel }: { id: string; campaignId: string; canEdit: boolean; onSaved(a: KbArticle): void; onDeleted(): void; onCancel(): void }) {
  const { api } = useAdmin();
  const article = useResource(id, () => api.kbArticle(id));
  if (!article.data) return <LoadState loading={article.loading} error={article.error} onRetry={article.reload} />;
  return <KbEditor campaignId={campaignId} article={article.data} canEdit={canEdit} onSaved={onSaved} onDeleted={onDeleted} onCancel={onCancel} />;
}

function KbEditor({ campaignId, article, canEdit, onSaved, onDeleted, onCancel }: { campaignId: string; article: KbArticle | null; canEdit: boolean; onSaved(a: KbArticle): void; onDeleted(): void; onCancel(): void }) {
  const { api, t, lang, announce } = useAdmin();
  const [form, setForm] = useState({ title: article?.title ?? '', topic: article?.topic ?? 'General', tags: article?.tags.join(', ') ?? '', body: article?.body ?? '', published: article?.published ?? false });
  const [deleting, setDeleting] = useState(false);
  const submit = useFormSubmit();
  const problems = () => validateKb(form);
  const messages = useMessages(submit.attempted, problems, submit.server);
  return (
    <form
      ref={submit.formRef}
      className="admin-form stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(problems(), async () => {
          const input = { title: form.title.trim(), topic: form.topic.trim(), tags: parseTags(form.tags), body: form.body.trim(), published: form.published };
          const result = article ? await api.updateKbArticle(article.id, input) : await api.createKbArticle(campaignId, input);
          onSaved(result);
          setForm((f) => ({ ...f, tags: result.tags.join(', ') }));
          announce(article ? t('admin.saved') : t('admin.created', { name: result.title }));
        });
      }}
    >
      <EditorTitle text={article ? t('kb.edit', { title: article.title }) : t('kb.new')} />
      {!canEdit && <ReadOnlyNote />}
      <FormBanner messages={messages} server={submit.server} claims={['title', 'topic', 'tags', 'body', 'published']} />
      <fieldset disabled={!canEdit} className="admin-plain-fieldset stack">
        <Field label={t('kb.title')} messages={messages['title']}>
          {(a) => <input {...a} type="text" value={form.title} maxLength={KB_LIMITS.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />}
        </Field>
        <div className="admin-grid-2">
          <Field label={t('kb.topic')} messages={messages['topic']}>
            {(a) => <input {...a} type="text" value={form.topic} maxLength={KB_LIMITS.topic} onChange={(e) => setForm({ ...form, topic: e.target.value })} />}
          </Field>
          <Field label={t('kb.tags')} hint={t('kb.tagsHint')} messages={Object.entries(messages).flatMap(([p, l]) => (p === 'tags' || p.startsWith('tags.') ? l : []))}>
            {(a) => <input {...a} type="text" value={form.tags} onChange={(e) => setForm({ ...form, tags: e.target.value })} />}
          </Field>
        </div>
        <Field label={t('kb.body')} hint={t('kb.bodyHint', { count: form.body.length, max: KB_LIMITS.body })} messages={messages['body']}>
          {(a) => <textarea {...a} rows={12} lang="es-MX" spellCheck value={form.body} maxLength={KB_LIMITS.body} onChange={(e) => setForm({ ...form, body: e.target.value })} />}
        </Field>
        <div>
          <label className="checkbox">
            <input type="checkbox" checked={form.published} onChange={(e) => setForm({ ...form, published: e.target.checked })} />
            {t('kb.published')}
          </label>
          <p className="admin-hint">{t('kb.publishedHint')}</p>
        </div>
        {article && <p className="small muted">{t('kb.updated', { when: formatDateTime(article.updatedAt, lang) })}</p>}
        {canEdit && (
          <EditActions busy={submit.busy} editing={article !== null && article !== undefined} deleteLabel={t('common.delete')} onDelete={() => setDeleting(true)} onCancel={onCancel} />
        )}
      </fieldset>
      {deleting && article && (
        <ConfirmDialog
          title={t('kb.delete')}
          message={<p>{t('kb.deleteConfirm', { title: article.title })}</p>}
          confirmLabel={t('common.delete')}
          danger
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await api.deleteKbArticle(article.id);
            announce(t('admin.deleted', { name: article.title }));
            onDeleted();
          }}
        />
      )}
    </form>
  );
}
