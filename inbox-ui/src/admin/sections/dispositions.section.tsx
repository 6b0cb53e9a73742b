import { useState } from 'react';
import { Icon } from '../../ui/icons.view.js';
import { LABEL_MAX, MAX_DISPOSITION_DEPTH } from '../admin-limits.js';
import { useAdmin } from '../admin-context.js';
import type { DispositionCode } from '../admin-types.js';
import { EditorTitle, Field, FormBanner, LoadState, ReadOnlyNote, SaveBar, SectionHead, SplitView, useFormSubmit, useMessages, useResource } from '../admin-ui.js';
import { buildAdminTree, canHaveChildren, depthOf, flattenTree, reorderSiblings, validateLabel, validateNewCode, type AdminCodeNode } from '../disposition-admin.js';
import { serverFeedback } from '../form-problems.js';

type Selection = { kind: 'edit'; id: string } | { kind: 'new'; parentId: string | null } | null;

/** Tipification codes as a tree of up to three levels; codes are deactivated, never deleted. */
export function DispositionsSection({ campaignId }: { campaignId: string }) {
  const { api, t, lang, isManager, announce } = useAdmin();
  const resource = useResource(campaignId, () => api.dispositionCodes(campaignId).then((r) => r.items));
  const [selection, setSelection] = useState<Selection>(null);
  const [showInactive, setShowInactive] = useState(true);
  const [treeError, setTreeError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const codes = resource.data ?? [];
  const tree = buildAdminTree(codes);
  const selected = selection?.kind === 'edit' ? codes.find((c) => c.id === selection.id) : undefined;

  function upsert(code: DispositionCode) {
    resource.setData((items) => {
      const all = items ?? [];
      return all.some((c) => c.id === code.id) ? all.map((c) => (c.id === code.id ? code : c)) : [...all, code];
    });
  }

  async function move(code: DispositionCode, delta: number) {
    const changes = reorderSiblings(codes, code.id, delta);
    if (changes.length === 0) return;
    setBusy(true);
    setTreeError(null);
    try {
      for (const change of changes) upsert(await api.updateDispositionCode(change.id, { position: change.position }));
      announce(t('disp.moved', { code: code.code }));
    } catch (e) {
      setTreeError(serverFeedback(e, lang, t('admin.networkError')).general);
      resource.reload();
    } finally {
      setBusy(false);
    }
  }

  async function setActive(code: DispositionCode, active: boolean) {
    setBusy(true);
    setTreeError(null);
    try {
      upsert(await api.updateDispositionCode(code.id, { active }));
      announce(t(active ? 'disp.activated' : 'disp.deactivated', { code: code.code }));
    } catch (e) {
      setTreeError(serverFeedback(e, lang, t('admin.networkError')).general);
    } finally {
      setBusy(false);
    }
  }

  const renderNodes = (nodes: AdminCodeNode[]) => (
    <ul className={nodes[0]?.depth === 1 ? 'disp-tree' : 'disp-children'}>
      {nodes
        .filter((n) => showInactive || !n.retired)
        .map((node) => {
          const { code } = node;
          const siblings = nodes.filter((n) => showInactive || !n.retired);
          const index = siblings.indexOf(node);
          const isSelected = selection?.kind === 'edit' && selection.id === code.id;
          return (
            <li key={code.id}>
              <div className={`disp-node${node.retired ? ' retired' : ''}${isSelected ? ' selected' : ''}`}>
                <button type="button" className="disp-main" aria-current={isSelected ? 'true' : undefined} onClick={() => setSelection({ kind: 'edit', id: code.id })}>
                  <span className="code-code mono">{code.code}</span>
                  <span className="disp-label">{code.label}</span>
                  {!code.active ? <span className="status-chip status-abandoned">{t('disp.inactive')}</span> : node.retired ? <span className="status-chip">{t('disp.retired')}</span> : null}
                </button>
                {isManager && (
                  <span className="disp-actions">
                    <button type="button" className="btn btn-icon" disabled={busy || index <= 0} aria-label={t('disp.moveUp', { code: code.code })} onClick={() => void move(code, -1)}>
                      ↑
                    </button>
                    <button type="button" className="btn btn-icon" disabled={busy || index === siblings.length - 1} aria-label={t('disp.moveDown', { code: code.code })} onClick={() => void move(code, 1)}>
                      ↓
                    </button>
                    {node.depth < MAX_DISPOSITION_DEPTH && (
                      <button type="button" className="btn btn-icon" aria-label={t('disp.addChild', { code: code.code })} onClick={() => setSelection({ kind: 'new', parentId: code.id })}>
                        +
                      </button>
                    )}
                    <button type="button" className="btn btn-ghost btn-small" disabled={busy} onClick={() => void setActive(code, !code.active)} aria-label={t(code.active ? 'disp.deactivateN' : 'disp.activateN', { code: code.code })}>
                      {code.active ? t('disp.deactivate') : t('disp.activate')}
                    </button>
                  </span>
                )}
              </div>
              {node.children.length > 0 && renderNodes(node.children)}
            </li>
          );
        })}
    </ul>
  );

  return (
    <div className="admin-section">
      <SectionHead title={t('section.dispositions')}>
        {isManager && (
          <button type="button" className="btn btn-primary btn-small" onClick={() => setSelection({ kind: 'new', parentId: null })}>
            + {t('disp.new')}
          </button>
        )}
      </SectionHead>
      <SplitView
        wide
        listLabel={t('disp.tree')}
        list={
          <div className="stack">
            <div className="row gap-s">
              <label className="checkbox small">
                <input type="checkbox" checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)} />
                {t('disp.showInactive')}
              </label>
            </div>
            {treeError && (
              <p className="banner banner-error small" role="alert">
                {treeError}
              </p>
            )}
            {resource.data === undefined ? (
              <LoadState loading={resource.loading} error={resource.error} onRetry={resource.reload} />
            ) : tree.length === 0 ? (
              <p className="empty small">{t('disp.empty')}</p>
            ) : (
              <div className="disp-scroll">{renderNodes(tree)}</div>
            )}
            <p className="admin-hint">{t('disp.noDelete', { max: MAX_DISPOSITION_DEPTH })}</p>
          </div>
        }
        editor={
          selection?.kind === 'new' ? (
            isManager ? (
              <NewCodeForm
                key={`new-${selection.parentId ?? 'root'}`}
                campaignId={campaignId}
                codes={codes}
                parentId={selection.parentId}
                onCreated={(code) => {
                  upsert(code);
                  setSelection({ kind: 'edit', id: code.id });
                }}
                onCancel={() => setSelection(null)}
              />
            ) : null
          ) : selected ? (
            <EditCodeForm key={`${selected.id}:${String(selected.active)}:${selected.label}`} code={selected} codes={codes} onSaved={upsert} onAddChild={() => setSelection({ kind: 'new', parentId: selected.id })} />
          ) : (
            <p className="empty">{t('disp.pick')}</p>
          )
        }
      />
    </div>
  );
}

function NewCodeForm({ campaignId, codes, parentId, onCreated, onCancel }: { campaignId: string; codes: DispositionCode[]; parentId: string | null; onCreated(code: DispositionCode): void; onCancel(): void }) {
  const { api, t, announce } = useAdmin();
  const [form, setForm] = useState({ parentId, code: '', label: '' });
  const submit = useFormSubmit();
  const problems = () => validateNewCode(form, codes);
  const messages = useMessages(submit.attempted, problems, submit.server);
  const parents = flattenTree(buildAdminTree(codes)).filter((n) => n.depth < MAX_DISPOSITION_DEPTH);
  return (
    <form
      ref={submit.formRef}
      className="admin-form stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(problems(), async () => {
          const created = await api.createDispositionCode(campaignId, { parentId: form.parentId, code: form.code.trim(), label: form.label.trim() });
          onCreated(created);
          announce(t('admin.created', { name: created.code }));
        });
      }}
    >
      <EditorTitle text={t('disp.new')} />
      <FormBanner messages={messages} server={submit.server} claims={['parentId', 'code', 'label']} />
      <Field label={t('disp.parent')} messages={messages['parentId']}>
        {(a) => (
          <select {...a} value={form.parentId ?? ''} onChange={(e) => setForm({ ...form, parentId: e.target.value || null })}>
            <option value="">{t('disp.root')}</option>
            {parents.map((n) => (
              <option key={n.code.id} value={n.code.id}>
                {'— '.repeat(n.depth - 1)}
                {n.code.code} · {n.code.label}
                {n.retired ? ` (${t('disp.inactive')})` : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="admin-grid-2">
        <Field label={t('disp.code')} hint={t('disp.codeHint')} messages={messages['code']}>
          {(a) => <input {...a} type="text" className="mono" value={form.code} maxLength={20} onChange={(e) => setForm({ ...form, code: e.target.value.toUpperCase() })} />}
        </Field>
        <Field label={t('disp.label')} messages={messages['label']}>
          {(a) => <input {...a} type="text" value={form.label} maxLength={LABEL_MAX} onChange={(e) => setForm({ ...form, label: e.target.value })} />}
        </Field>
      </div>
      <p className="small muted">{t('disp.levelOf', { n: form.parentId ? depthOf(codes, form.parentId) + 1 : 1, max: MAX_DISPOSITION_DEPTH })}</p>
      <SaveBar busy={submit.busy} label={t('common.create')}>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </SaveBar>
    </form>
  );
}

function EditCodeForm({ code, codes, onSaved, onAddChild }: { code: DispositionCode; codes: DispositionCode[]; onSaved(code: DispositionCode): void; onAddChild(): void }) {
  const { api, t, isManager, announce } = useAdmin();
  const [label, setLabel] = useState(code.label);
  const [active, setActive] = useState(code.active);
  const submit = useFormSubmit();
  const problems = () => validateLabel(label);
  const messages = useMessages(submit.attempted, problems, submit.server);
  const parent = code.parentId ? codes.find((c) => c.id === code.parentId) : undefined;
  const dirty = label.trim() !== code.label || active !== code.active;
  return (
    <form
      ref={submit.formRef}
      className="admin-form stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(problems(), async () => {
          const saved = await api.updateDispositionCode(code.id, { ...(label.trim() !== code.label ? { label: label.trim() } : {}), ...(active !== code.active ? { active } : {}) });
          onSaved(saved);
          announce(t('admin.saved'));
        });
      }}
    >
      <EditorTitle text={t('disp.edit', { code: code.code })} />
      {!isManager && <ReadOnlyNote />}
      <FormBanner messages={messages} server={submit.server} claims={['label', 'active']} />
      <dl className="kv admin-kv">
        <div className="kv-row">
          <dt>{t('disp.code')}</dt>
          <dd className="mono">{code.code}</dd>
        </div>
        <div className="kv-row">
          <dt>{t('disp.parent')}</dt>
          <dd>{parent ? `${parent.code} · ${parent.label}` : t('disp.root')}</dd>
        </div>
        <div className="kv-row">
          <dt>{t('disp.level')}</dt>
          <dd>{t('disp.levelOf', { n: depthOf(codes, code.id), max: MAX_DISPOSITION_DEPTH })}</dd>
        </div>
      </dl>
      <fieldset disabled={!isManager} className="admin-plain-fieldset stack">
        <Field label={t('disp.label')} messages={messages['label']}>
          {(a) => <input {...a} type="text" value={label} maxLength={LABEL_MAX} onChange={(e) => setLabel(e.target.value)} />}
        </Field>
        <div>
          <label className="checkbox">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
            {t('disp.activeLabel')}
          </label>
          <p className="admin-hint">{t('disp.activeHint')}</p>
        </div>
        {isManager && (
          <SaveBar busy={submit.busy} disabled={!dirty}>
            {canHaveChildren(codes, code.id) && (
              <button type="button" className="btn btn-secondary" onClick={onAddChild}>
                <Icon name="done" /> {t('disp.addChildButton')}
              </button>
            )}
          </SaveBar>
        )}
      </fieldset>
    </form>
  );
}
