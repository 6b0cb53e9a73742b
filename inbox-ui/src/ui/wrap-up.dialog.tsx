import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { ApiError, errorText } from '../api/api-error.js';
import type { ConversationListItem, DispositionCode } from '../api/api-types.js';
import type { HubApi } from '../api/hub-api.js';
import { useI18n } from '../i18n/i18n.js';
import { buildCodeTree, filterCodeTree, MAX_CODES, toggleCode, type CodeNode } from '../workspace/disposition-tree.js';
import { Dialog } from './dialog.view.js';
import { Icon } from './icons.view.js';

/** Close with 1–5 codes from the campaign's tree and a summary; ACW follows on the seat. */
export function WrapUpDialog({ api, conversation, onResolve, onClose }: { api: HubApi; conversation: ConversationListItem; onResolve(input: { dispositionCodeIds: string[]; summary: string }): Promise<void>; onClose(): void }) {
  const { t, lang } = useI18n();
  const id = useId();
  const [codes, setCodes] = useState<DispositionCode[] | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [filter, setFilter] = useState('');
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .dispositionCodes(conversation.campaignId)
      .then(({ items }) => setCodes(items))
      .catch((e: unknown) => {
        // A hub without tipification yet: close without codes.
        setCodes([]);
        if (!(e instanceof ApiError && e.status === 404)) setError(errorText(e, lang, t('common.networkError')));
      });
  }, [api, conversation.campaignId, lang, t]);

  const tree = useMemo(() => buildCodeTree(codes ?? []), [codes]);
  const visible = useMemo(() => filterCodeTree(tree, filter), [tree, filter]);
  const byId = useMemo(() => new Map((codes ?? []).map((c) => [c.id, c])), [codes]);
  const needsCodes = tree.length > 0;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (needsCodes && selected.length === 0) {
      setError(t('wrapup.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onResolve({ dispositionCodeIds: selected, summary });
      onClose();
    } catch (e) {
      setError(errorText(e, lang, t('common.networkError')));
      setBusy(false);
    }
  }

  const renderNodes = (nodes: CodeNode[], depth: number) => (
    <ul className={depth === 0 ? 'code-tree' : 'code-children'}>
      {nodes.map(({ code, children }) => {
        const checked = selected.includes(code.id);
        const full = !checked && selected.length >= MAX_CODES;
        return (
          <li key={code.id}>
            <label className={`code-item${full ? ' disabled' : ''}`}>
              <input type="checkbox" checked={checked} disabled={full} onChange={() => setSelected((s) => toggleCode(s, code.id))} />
              <span className="code-code mono">{code.code}</span>
              <span>{code.label}</span>
            </label>
            {children.length > 0 && renderNodes(children, depth + 1)}
          </li>
        );
      })}
    </ul>
  );

  return (
    <Dialog title={t('wrapup.title')} onClose={onClose} wide>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <p className="small muted">
          {conversation.folio} · {conversation.contactName ?? t('common.noName')}
        </p>
        {codes === null ? (
          <p className="empty small">{t('common.loading')}</p>
        ) : !needsCodes ? (
          <p className="banner banner-info small">{t('wrapup.noCodes')}</p>
        ) : (
          <fieldset className="codes-fieldset" aria-describedby={`${id}-hint`}>
            <legend>{t('wrapup.codes')}</legend>
            <p id={`${id}-hint`} className="small muted">
              {t('wrapup.codesHint')} <span aria-live="polite">{t('wrapup.selected', { n: selected.length })}</span>
            </p>
            {selected.length > 0 && (
              <ul className="file-chips">
                {selected.map((sid) => {
                  const c = byId.get(sid);
                  const label = c ? `${c.code} · ${c.label}` : sid;
                  return (
                    <li key={sid} className="chip chip-code">
                      {label}
                      <button type="button" className="chip-remove" aria-label={t('wrapup.remove', { label })} onClick={() => setSelected((s) => s.filter((x) => x !== sid))}>
                        <Icon name="close" size={12} />
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
            <label className="field">
              <span className="sr-only">{t('wrapup.filter')}</span>
              <input type="search" value={filter} placeholder={t('wrapup.filter')} onChange={(e) => setFilter(e.target.value)} />
            </label>
            <div className="code-scroll">{renderNodes(visible, 0)}</div>
            {selected.length >= MAX_CODES && <p className="small muted">{t('wrapup.max')}</p>}
          </fieldset>
        )}
        <label className="field">
          <span>{t('wrapup.summary')}</span>
          <textarea rows={3} value={summary} maxLength={2000} placeholder={t('wrapup.summaryPlaceholder')} onChange={(e) => setSummary(e.target.value)} lang="es-MX" spellCheck />
        </label>
        {error && (
          <p className="banner banner-error small" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || codes === null}>
            {t('wrapup.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
