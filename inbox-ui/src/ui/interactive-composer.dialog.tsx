import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { errorText } from '../api/api-error.js';
import type { InteractiveReply } from '../api/api-types.js';
import { draftToInteractive, emptyInteractiveDraft, INTERACTIVE_LIMITS as L, interactiveProblems, type DraftProblems, type InteractiveDraft } from '../composer/interactive-draft.js';
import { useI18n } from '../i18n/i18n.js';
import { Dialog } from './dialog.view.js';
import { Icon } from './icons.view.js';
import './messaging.css';

/** A labelled input with its problem, wired by aria-describedby; problems show after the first send attempt. */
function DraftField({ label, problem, children }: { label: string; problem: string | undefined; children(a: { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined }): ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': problem ? true : undefined, 'aria-describedby': problem ? `${id}-error` : undefined })}
      {problem && (
        <span id={`${id}-error`} className="small field-error">
          {problem}
        </span>
      )}
    </div>
  );
}

/**
 * "Opciones": the message text with up to three reply buttons, or a list of up to ten rows behind
 * one button. The citizen's tap comes back as an inbound "Eligió: …" message.
 */
export function InteractiveComposerDialog({ initialText, onSend, onClose }: { initialText: string; onSend(interactive: InteractiveReply): Promise<void>; onClose(): void }) {
  const { t, lang } = useI18n();
  const id = useId();
  const [draft, setDraft] = useState<InteractiveDraft>(() => emptyInteractiveDraft(initialText));
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problems: DraftProblems = interactiveProblems(draft);
  const say = (field: string): string | undefined => {
    const p = attempted ? problems[field] : undefined;
    return p ? t(p.key, p.values) : undefined;
  };
  const set = (patch: Partial<InteractiveDraft>) => setDraft((d) => ({ ...d, ...patch }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    if (Object.keys(problems).length > 0 || busy) {
      // Focus the first field the browser marked, once React has rendered the messages.
      requestAnimationFrame(() => document.querySelector<HTMLElement>(`#${CSS.escape(`${id}-form`)} [aria-invalid="true"]`)?.focus());
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSend(draftToInteractive(draft));
    } catch (e) {
      setError(errorText(e, lang, t('common.networkError')));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={t('options.title')} onClose={onClose} wide>
      <form id={`${id}-form`} className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <p className="small muted">{t('options.hint')}</p>
        <DraftField label={t('options.text')} problem={say('text')}>
          {(a) => <textarea {...a} rows={3} value={draft.text} maxLength={L.text} lang="es-MX" spellCheck onChange={(e) => set({ text: e.target.value })} />}
        </DraftField>
        <fieldset className="segmented-field">
          <legend>{t('options.mode')}</legend>
          <div className="segmented">
            {(['buttons', 'list'] as const).map((mode) => (
              <label key={mode} className={draft.mode === mode ? 'selected' : ''}>
                <input type="radio" name={`${id}-mode`} value={mode} checked={draft.mode === mode} onChange={() => set({ mode })} />
                {mode === 'buttons' ? t('options.modeButtons') : t('options.modeList')}
              </label>
            ))}
          </div>
        </fieldset>
        {draft.mode === 'buttons' ? (
          <fieldset className="stack">
            <legend className="sr-only">{t('options.modeButtons')}</legend>
            {Array.from({ length: L.buttons }, (_, i) => (
              <DraftField key={i} label={t('options.button', { n: i + 1 })} problem={say(`button.${i}`)}>
                {(a) => (
                  <input
                    {...a}
                    type="text"
                    value={draft.buttons[i] ?? ''}
                    maxLength={L.buttonTitle}
                    onChange={(e) => {
                      const buttons = Array.from({ length: L.buttons }, (_, j) => draft.buttons[j] ?? '');
                      buttons[i] = e.target.value;
                      set({ buttons });
                    }}
                  />
                )}
              </DraftField>
            ))}
            {say('buttons') && (
              <p className="small field-error" role="alert">
                {say('buttons')}
              </p>
            )}
          </fieldset>
        ) : (
          <fieldset className="stack">
            <legend className="sr-only">{t('options.modeList')}</legend>
            <div className="options-grid">
              <DraftField label={t('options.listButton')} problem={say('listButton')}>
                {(a) => <input {...a} type="text" value={draft.listButton} maxLength={L.listButton} onChange={(e) => set({ listButton: e.target.value })} />}
              </DraftField>
              <DraftField label={t('options.sectionTitle')} problem={say('sectionTitle')}>
                {(a) => <input {...a} type="text" value={draft.sectionTitle} maxLength={L.sectionTitle} onChange={(e) => set({ sectionTitle: e.target.value })} />}
              </DraftField>
              <span />
              {draft.rows.map((row, i) => (
                <RowFields
                  key={i}
                  n={i + 1}
                  row={row}
                  titleProblem={say(`row.${i}`)}
                  descriptionProblem={say(`rowDescription.${i}`)}
                  onChange={(next) => set({ rows: draft.rows.map((r, j) => (j === i ? next : r)) })}
                  onRemove={draft.rows.length > 1 ? () => set({ rows: draft.rows.filter((_, j) => j !== i) }) : undefined}
                />
              ))}
            </div>
            {say('rows') && (
              <p className="small field-error" role="alert">
                {say('rows')}
              </p>
            )}
            <div>
              <button type="button" className="btn btn-secondary btn-small" disabled={draft.rows.length >= L.rows} onClick={() => set({ rows: [...draft.rows, { title: '', description: '' }] })}>
                {t('options.addRow')}
              </button>
            </div>
          </fieldset>
        )}
        {error && (
          <p className="banner banner-error small" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            <Icon name="send" /> {t('options.send')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RowFields({
  n,
  row,
  titleProblem,
  descriptionProblem,
  onChange,
  onRemove,
}: {
  n: number;
  row: InteractiveDraft['rows'][number];
  titleProblem: string | undefined;
  descriptionProblem: string | undefined;
  onChange(row: InteractiveDraft['rows'][number]): void;
  onRemove: (() => void) | undefined;
}) {
  const { t } = useI18n();
  return (
    <>
      <DraftField label={t('options.row', { n })} problem={titleProblem}>
        {(a) => <input {...a} type="text" value={row.title} maxLength={L.rowTitle} onChange={(e) => onChange({ ...row, title: e.target.value })} />}
      </DraftField>
      <DraftField label={t('options.rowDescription', { n })} problem={descriptionProblem}>
        {(a) => <input {...a} type="text" value={row.description} maxLength={L.rowDescription} onChange={(e) => onChange({ ...row, description: e.target.value })} />}
      </DraftField>
      {onRemove ? (
        <button type="button" className="btn btn-icon" aria-label={t('options.removeRow', { n })} onClick={onRemove}>
          <Icon name="close" />
        </button>
      ) : (
        <span />
      )}
    </>
  );
}
