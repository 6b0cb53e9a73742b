import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import { Dialog } from '../ui/dialog.view.js';
import { Icon } from '../ui/icons.view.js';
import { useAdmin } from './admin-context.js';
import { formatMessage, hasMessages, mergeMessages, serverFeedback, translateProblems, unclaimedMessages, type ClientProblems, type FieldMessages, type ServerFeedback } from './form-problems.js';

/** Building blocks shared by the console's sections: fields with their messages, form state, lists. */

export interface FieldA11y {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** A labelled control with its hint and its messages (browser's or hub's), wired by aria-describedby. */
export function Field({ label, messages, hint, className, children }: { label: ReactNode; messages?: readonly string[] | undefined; hint?: ReactNode; className?: string; children(a11y: FieldA11y): ReactNode }) {
  const id = useId();
  const invalid = messages !== undefined && messages.length > 0;
  const describedBy = [hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field admin-field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': invalid ? true : undefined, 'aria-describedby': describedBy })}
      {hint && (
        <p id={`${id}-hint`} className="admin-hint">
          {hint}
        </p>
      )}
      {invalid && <FieldMessagesView id={`${id}-error`} messages={messages} />}
    </div>
  );
}

export function FieldMessagesView({ id, messages, tone = 'error' }: { id?: string; messages: readonly string[]; tone?: 'error' | 'warn' }) {
  if (messages.length === 0) return null;
  return (
    <p id={id} className={tone === 'error' ? 'admin-error' : 'admin-warning'}>
      <Icon name="alert" size={14} /> {messages.join(' ')}
    </p>
  );
}

/**
 * Submit lifecycle: the browser's checks first, then the request; focus goes to the first problem.
 * The hub's error is kept as is and read in the current language, so switching language re-words it.
 */
export function useFormSubmit() {
  const { lang, t } = useAdmin();
  const formRef = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [error, setError] = useState<{ value: unknown } | null>(null);
  const [failures, setFailures] = useState(0);
  const offline = t('admin.networkError');
  const server = useMemo(() => (error ? serverFeedback(error.value, lang, offline) : null), [error, lang, offline]);

  useEffect(() => {
    if (failures === 0) return;
    const form = formRef.current;
    const target = form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('.form-banner');
    target?.focus();
  }, [failures]);

  const run = useCallback(async (problems: ClientProblems, action: () => Promise<void>): Promise<boolean> => {
    setAttempted(true);
    setError(null);
    if (Object.keys(problems).length > 0) {
      setFailures((n) => n + 1);
      return false;
    }
    setBusy(true);
    try {
      await action();
      setAttempted(false);
      return true;
    } catch (e) {
      setError({ value: e });
      setFailures((n) => n + 1);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);

  const reset = useCallback(() => {
    setAttempted(false);
    setError(null);
  }, []);
  const clearServer = useCallback(() => setError(null), []);

  return { formRef, busy, attempted, server, run, reset, clearServer };
}

/** The browser's problems (once a save was attempted) and the hub's, per path, in the current language. */
export function useMessages(attempted: boolean, problems: () => ClientProblems, server: ServerFeedback | null): FieldMessages {
  const { t } = useAdmin();
  const client = attempted ? translateProblems(problems(), t) : {};
  return mergeMessages(client, server?.errors ?? {});
}

/**
 * The top of a form after a failed save: the hub's message when no field shows it, otherwise a
 * pointer to the marked fields plus whatever no field shows. Focusable, announced (role=alert).
 */
export function FormBanner({ messages, server, claims, describe }: { messages: FieldMessages; server: ServerFeedback | null; claims: readonly string[]; describe?: (path: string) => string | null }) {
  const { t } = useAdmin();
  if (!server && !hasMessages(messages)) return null;
  const rest = unclaimedMessages(messages, claims, describe);
  const claimed = Object.entries(messages).some(([path, list]) => list.length > 0 && claims.some((c) => path === c || path.startsWith(`${c}.`)));
  const lines = claimed ? rest : server ? (rest.length > 0 ? rest : [server.general]) : rest;
  return (
    <div className="banner banner-error form-banner" role="alert" tabIndex={-1}>
      <p className="admin-banner-title">
        <Icon name="alert" /> {t('form.errorsTitle')}
      </p>
      {claimed && <p>{t('form.checkFields')}</p>}
      {lines.length > 0 && (
        <ul className="admin-banner-list">
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function WarningsBanner({ messages, title, describe }: { messages: FieldMessages; title: string; describe?: (path: string) => string | null }) {
  const lines = Object.entries(messages).flatMap(([path, list]) => list.map((m) => formatMessage(path, m, describe)));
  if (lines.length === 0) return null;
  return (
    <div className="banner banner-warn" role="status">
      <p className="admin-banner-title">
        <Icon name="alert" /> {title}
      </p>
      <ul className="admin-banner-list">
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}

export function ReadOnlyNote({ text }: { text?: string }) {
  const { t } = useAdmin();
  return (
    <p className="banner banner-info small">
      <Icon name="lock" /> {text ?? t('admin.readOnly')}
    </p>
  );
}

/** Data for a key (campaign id…); `reload` fetches again, `setData` applies a local change. */
export function useResource<T>(key: string | null, load: () => Promise<T>) {
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  const [state, setState] = useState<{ key: string | null; data: T | undefined; error: unknown; loading: boolean }>({ key: null, data: undefined, error: null, loading: key !== null });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (key === null) return;
    let cancelled = false;
    setState((s) => ({ key, data: s.key === key ? s.data : undefined, error: null, loading: true }));
    loadRef.current().then(
      (data) => {
        if (!cancelled) setState({ key, data, error: null, loading: false });
      },
      (error: unknown) => {
        if (!cancelled) setState((s) => ({ key, data: s.key === key ? s.data : undefined, error, loading: false }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [key, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const setData = useCallback((update: (data: T | undefined) => T) => setState((s) => ({ ...s, data: update(s.data) })), []);
  const current = state.key === key;
  return { data: current ? state.data : undefined, error: current ? state.error : null, loading: !current || state.loading, reload, setData };
}

/** Loading, or the load error with a retry. */
export function LoadState({ loading, error, onRetry }: { loading: boolean; error: unknown; onRetry(): void }) {
  const { t, lang } = useAdmin();
  if (error) {
    const message = serverFeedback(error, lang, t('admin.networkError')).general;
    return (
      <div className="banner banner-error small admin-load-error" role="alert">
        <span>{t('admin.loadError', { message })}</span>
        <button type="button" className="btn btn-secondary btn-small" onClick={onRetry}>
          {t('common.retry')}
        </button>
      </div>
    );
  }
  if (loading) return <p className="empty small">{t('common.loading')}</p>;
  return null;
}

export function ConfirmDialog({ title, message, confirmLabel, danger, onConfirm, onClose }: { title: string; message: ReactNode; confirmLabel: string; danger?: boolean; onConfirm(): Promise<void> | void; onClose(): void }) {
  const { t, lang } = useAdmin();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (e) {
      setError(serverFeedback(e, lang, t('admin.networkError')).general);
      setBusy(false);
    }
  }
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="stack">
        <div>{message}</div>
        {error && (
          <p className="banner banner-error small" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} disabled={busy} onClick={() => void confirm()}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </Dialog>
  );
}

/** Section title (focused when the section opens) and its actions. */
/** Section heading; `onNew` (given only to those who may create) adds the "+ Nuevo…" button. */
export function SectionHead({
  title,
  headingRef,
  newLabel,
  onNew,
  children,
}: {
  title: string;
  headingRef?: RefObject<HTMLHeadingElement | null>;
  newLabel?: string;
  onNew?: (() => void) | undefined;
  children?: ReactNode;
}) {
  return (
    <div className="admin-section-head">
      <h2 ref={headingRef} tabIndex={-1}>
        {title}
      </h2>
      <div className="admin-section-actions">
        {children}
        {onNew && newLabel !== undefined && (
          <button type="button" className="btn btn-primary btn-small" onClick={onNew}>
            + {newLabel}
          </button>
        )}
      </div>
    </div>
  );
}

/** List on the left, editor on the right. */
export function SplitView({ listLabel, list, editor, wide }: { listLabel: string; list: ReactNode; editor: ReactNode; wide?: boolean }) {
  return (
    <div className={`admin-split${wide ? ' admin-split-wide' : ''}`}>
      {/* Focusable so a keyboard can scroll a long list (axe: scrollable-region-focusable). */}
      <div className="admin-list-pane" role="region" aria-label={listLabel} tabIndex={0}>
        {list}
      </div>
      <div className="admin-editor-pane">{editor}</div>
    </div>
  );
}

export function ListButton({ selected, onClick, children }: { selected: boolean; onClick(): void; children: ReactNode }) {
  return (
    <button type="button" className={`admin-item${selected ? ' selected' : ''}`} aria-current={selected ? 'true' : undefined} onClick={onClick}>
      {children}
    </button>
  );
}

export function SaveBar({ busy, disabled, label, children }: { busy: boolean; disabled?: boolean; label?: string; children?: ReactNode }) {
  const { t } = useAdmin();
  return (
    <div className="admin-savebar">
      {children}
      <span className="spacer" />
      <button type="submit" className="btn btn-primary" disabled={busy || disabled}>
        {busy ? t('common.saving') : (label ?? t('common.save'))}
      </button>
    </div>
  );
}

/** Save bar of an editor: "Crear" + "Cancelar" for a new item, "Guardar" + delete for an existing one. */
export function EditActions({ busy, editing, deleteLabel, onDelete, onCancel }: { busy: boolean; editing: boolean; deleteLabel: string; onDelete(): void; onCancel(): void }) {
  const { t } = useAdmin();
  return (
    <SaveBar busy={busy} label={editing ? t('common.save') : t('common.create')}>
      {editing ? (
        <button type="button" className="btn btn-ghost admin-danger-text" onClick={onDelete}>
          {deleteLabel}
        </button>
      ) : (
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      )}
    </SaveBar>
  );
}

/** The form's editor title: "Nueva fila" or "Editar «Orientación»". */
export function EditorTitle({ text }: { text: string }) {
  return <h3 className="admin-editor-title">{text}</h3>;
}
