import { useRef, useState } from 'react';
import { CANNED_VARIABLES, renderCannedResponse } from '../../../../hub/src/inbox/canned-variables.js';
import { CANNED_LIMITS } from '../admin-limits.js';
import { useAdmin } from '../admin-context.js';
import type { CannedResponse } from '../admin-types.js';
import { ConfirmDialog, EditorTitle, Field, FormBanner, ListButton, LoadState, ReadOnlyNote, SectionHead, SplitView, useFormSubmit, useMessages, useResource, EditActions } from '../admin-ui.js';
import { validateCanned } from '../admin-validation.js';

/** Sample values for the live preview of a canned response. */
export const PREVIEW_VALUES = { 'contact.name': 'María López Hernández', folio: 'DHE-2026-000123', 'agent.name': 'Ana Martínez' } as const;

/** Canned responses of the campaign (the agent types /shortcut in the composer), with a live preview. */
export function CannedSection({ campaignId }: { campaignId: string }) {
  const { api, t, isManager } = useAdmin();
  const resource = useResource(campaignId, () => api.cannedResponses(campaignId).then((r) => r.items));
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  const [query, setQuery] = useState('');
  const list = resource.data ?? [];
  const q = query.trim().toLowerCase().replace(/^\//, '');
  const visible = q ? list.filter((c) => `${c.shortcut} ${c.title} ${c.body}`.toLowerCase().includes(q)) : list;
  const current = selected === 'new' ? null : (list.find((c) => c.id === selected) ?? list[0] ?? null);
  const editing = selected === 'new' || (resource.data !== undefined && current === null && isManager) ? 'new' : current;

  function saved(item: CannedResponse) {
    resource.setData((items) => {
      const all = items ?? [];
      return (all.some((c) => c.id === item.id) ? all.map((c) => (c.id === item.id ? item : c)) : [...all, item]).sort((a, b) => a.shortcut.localeCompare(b.shortcut));
    });
    setSelected(item.id);
  }

  return (
    <div className="admin-section">
      <SectionHead title={t('section.canned')} newLabel={t('canned.new')} onNew={isManager ? () => setSelected('new') : undefined} />
      <SplitView
        listLabel={t('canned.list')}
        list={
          <div className="stack">
            <label className="search">
              <span className="sr-only">{t('canned.search')}</span>
              <input type="search" value={query} placeholder={t('canned.search')} onChange={(e) => setQuery(e.target.value)} />
            </label>
            {resource.data === undefined ? (
              <LoadState loading={resource.loading} error={resource.error} onRetry={resource.reload} />
            ) : visible.length === 0 ? (
              <p className="empty small">{t('canned.empty')}</p>
            ) : (
              <ul className="admin-list">
                {visible.map((c) => (
                  <li key={c.id}>
                    <ListButton selected={editing !== 'new' && c.id === current?.id} onClick={() => setSelected(c.id)}>
                      <span className="admin-item-title">
                        <span className="canned-shortcut">/{c.shortcut}</span> {c.title}
                      </span>
                      <span className="admin-item-sub admin-ellipsis">{c.body}</span>
                    </ListButton>
                  </li>
                ))}
              </ul>
            )}
          </div>
        }
        editor={
          editing === 'new' ? (
            isManager ? (
              <CannedEditor key="new" campaignId={campaignId} item={null} others={list.map((c) => c.shortcut)} onSaved={saved} onDeleted={() => undefined} onCancel={() => setSelected(null)} />
            ) : null
          ) : editing ? (
            <CannedEditor
              key={editing.id}
              campaignId={campaignId}
              item={editing}
              others={list.filter((c) => c.id !== editing.id).map((c) => c.shortcut)}
              onSaved={saved}
              onCancel={() => setSelected(null)}
              onDeleted={() => {
                resource.setData((items) => (items ?? []).filter((c) => c.id !== editing.id));
                setSelected(null);
              }}
            />
          ) : null
        }
      />
    </div>
  );
}

function CannedEditor({ campaignId, item, others, onSaved, onDeleted, onCancel }: { campaignId: string; item: CannedResponse | null; others: string[]; onSaved(c: CannedResponse): void; onDeleted(): void; onCancel(): void }) {
  const { api, t, isManager, announce, campaign } = useAdmin();
  const [form, setForm] = useState({ shortcut: item?.shortcut ?? '', title: item?.title ?? '', body: item?.body ?? '' });
  const [deleting, setDeleting] = useState(false);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const submit = useFormSubmit();
  const problems = () => validateCanned(form, others);
  const messages = useMessages(submit.attempted, problems, submit.server);
  const preview = renderCannedResponse(form.body, { ...PREVIEW_VALUES, 'campaign.name': campaign?.name ?? '' });

  function insertVariable(name: string) {
    const el = bodyRef.current;
    const token = `{{${name}}}`;
    const start = el?.selectionStart ?? form.body.length;
    const end = el?.selectionEnd ?? form.body.length;
    const body = form.body.slice(0, start) + token + form.body.slice(end);
    setForm({ ...form, body });
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  }

  return (
    <form
      ref={submit.formRef}
      className="admin-form stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(problems(), async () => {
          const input = { shortcut: form.shortcut.trim(), title: form.title.trim(), body: form.body.trim() };
          const result = item ? await api.updateCanned(item.id, input) : await api.createCanned(campaignId, input);
          onSaved(result);
          announce(item ? t('admin.saved') : t('admin.created', { name: `/${result.shortcut}` }));
        });
      }}
    >
      <EditorTitle text={item ? t('canned.edit', { shortcut: item.shortcut }) : t('canned.new')} />
      {!isManager && <ReadOnlyNote />}
      <FormBanner messages={messages} server={submit.server} claims={['shortcut', 'title', 'body']} />
      <fieldset disabled={!isManager} className="admin-plain-fieldset stack">
        <div className="admin-grid-2">
          <Field label={t('canned.shortcut')} hint={t('canned.shortcutHint')} messages={messages['shortcut']}>
            {(a) => (
              <div className="admin-prefixed">
                <span aria-hidden="true">/</span>
                <input {...a} type="text" className="mono" value={form.shortcut} maxLength={40} onChange={(e) => setForm({ ...form, shortcut: e.target.value.toLowerCase() })} />
              </div>
            )}
          </Field>
          <Field label={t('canned.title')} messages={messages['title']}>
            {(a) => <input {...a} type="text" value={form.title} maxLength={CANNED_LIMITS.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />}
          </Field>
        </div>
        <Field label={t('canned.body')} hint={t('canned.bodyHint', { count: form.body.length, max: CANNED_LIMITS.body })} messages={messages['body']}>
          {(a) => <textarea {...a} ref={bodyRef} rows={6} lang="es-MX" spellCheck value={form.body} maxLength={CANNED_LIMITS.body} onChange={(e) => setForm({ ...form, body: e.target.value })} />}
        </Field>
        <div className="admin-variables" role="group" aria-label={t('canned.variables')}>
          <span className="admin-label">{t('canned.variables')}</span>
          {CANNED_VARIABLES.map((v) => (
            <button key={v} type="button" className="chip admin-chip-button mono" aria-label={t('canned.insert', { variable: `{{${v}}}` })} onClick={() => insertVariable(v)}>
              {`{{${v}}}`}
            </button>
          ))}
        </div>
        <div className="admin-preview">
          <p className="admin-label">
            {t('canned.preview')} <span className="small muted">· {t('canned.previewHint')}</span>
          </p>
          <div className="msg-bubble admin-preview-bubble">
            <p className="msg-text">{preview || <span className="muted">{t('canned.previewEmpty')}</span>}</p>
          </div>
        </div>
        {isManager && <EditActions busy={submit.busy} editing={item !== null && item !== undefined} deleteLabel={t('common.delete')} onDelete={() => setDeleting(true)} onCancel={onCancel} />}
      </fieldset>
      {deleting && item && (
        <ConfirmDialog
          title={t('canned.delete')}
          message={<p>{t('canned.deleteConfirm', { shortcut: item.shortcut })}</p>}
          confirmLabel={t('common.delete')}
          danger
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await api.deleteCanned(item.id);
            announce(t('admin.deleted', { name: `/${item.shortcut}` }));
            onDeleted();
          }}
        />
      )}
    </form>
  );
}
