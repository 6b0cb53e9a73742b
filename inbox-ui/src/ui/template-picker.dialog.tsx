import { useId, useState, type FormEvent } from 'react';
import { errorText } from '../api/api-error.js';
import type { ReplyTemplate, TemplateReply } from '../api/api-types.js';
import { invalidTemplateValue, templateSegments } from '../composer/template-body.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages.es-mx.js';
import { Dialog } from './dialog.view.js';
import './messaging.css';

const templateKey = (t: ReplyTemplate) => `${t.name}\u0000${t.language}`;

/** Meta's categories; anything else the hub passes through is shown as written. */
const CATEGORY: Record<string, MessageKey> = { utility: 'template.category.utility', marketing: 'template.category.marketing', authentication: 'template.category.authentication' };

/**
 * "Plantilla": the channel's approved templates with their body, one input per `{{n}}` and a
 * live preview of what the citizen will read. Outside the customer-service window this is the
 * only way to write to the citizen.
 */
export function TemplatePickerDialog({ templates, onSend, onClose }: { templates: ReplyTemplate[]; onSend(template: TemplateReply): Promise<void>; onClose(): void }) {
  const { t, lang } = useI18n();
  const id = useId();
  const [chosen, setChosen] = useState<string>(() => (templates[0] ? templateKey(templates[0]) : ''));
  const [values, setValues] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const categoryLabel = (category: string) => {
    const key = CATEGORY[category];
    return key ? t(key) : category;
  };
  const template = templates.find((x) => templateKey(x) === chosen) ?? null;
  const current = template ? Array.from({ length: template.variables }, (_, i) => values[chosen]?.[i] ?? '') : [];
  const missing = current.some((v) => v.trim() === '');
  const invalid = current.some(invalidTemplateValue);

  function setValue(i: number, value: string) {
    setValues((all) => {
      const next = [...current];
      next[i] = value;
      return { ...all, [chosen]: next };
    });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    if (!template || missing || invalid || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onSend({ name: template.name, language: template.language, variables: current.map((v) => v.trim()) });
    } catch (e) {
      setError(errorText(e, lang, t('common.networkError')));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={t('template.title')} onClose={onClose} wide>
      {templates.length === 0 ? (
        <div className="stack">
          <p className="banner banner-info small">{t('template.empty')}</p>
          <div className="dialog-actions">
            <button type="button" className="btn btn-primary" onClick={onClose}>
              {t('common.close')}
            </button>
          </div>
        </div>
      ) : (
        <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
          <p className="small muted">{t('template.intro')}</p>
          <fieldset>
            <legend>{t('template.list')}</legend>
            <ul className="template-list">
              {templates.map((x) => (
                <li key={templateKey(x)}>
                  <label className="template-option">
                    <input type="radio" name={`${id}-template`} checked={chosen === templateKey(x)} onChange={() => setChosen(templateKey(x))} />
                    <span>
                      <strong>{x.name}</strong> <span className="status-chip">{t('template.meta', { language: x.language })}</span>{' '}
                      {x.category && <span className="status-chip">{categoryLabel(x.category)}</span>}
                    </span>
                    <span className="template-body small">{x.body}</span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          {template &&
            current.map((value, i) => {
              const bad = invalidTemplateValue(value);
              const empty = attempted && value.trim() === '';
              return (
                <label key={`${chosen}-${i}`} className="field">
                  <span>{t('template.variable', { n: i + 1 })}</span>
                  <input
                    type="text"
                    value={value}
                    maxLength={1024}
                    lang="es-MX"
                    aria-invalid={bad || empty ? true : undefined}
                    aria-describedby={bad ? `${id}-invalid-${i}` : undefined}
                    onChange={(e) => setValue(i, e.target.value)}
                  />
                  {bad && (
                    <span id={`${id}-invalid-${i}`} className="small field-error">
                      {t('template.variableInvalid')}
                    </span>
                  )}
                </label>
              );
            })}
          {template && (
            <section aria-labelledby={`${id}-preview`}>
              <h3 id={`${id}-preview`} className="small">
                {t('template.preview')}
              </h3>
              <p className="template-preview" aria-live="polite">
                {templateSegments(template.body, current).map((s, i) =>
                  s.kind === 'text' ? (
                    <span key={i}>{s.text}</span>
                  ) : (
                    <mark key={i} className={`template-slot${s.filled ? ' template-slot-filled' : ''}`}>
                      {s.text}
                    </mark>
                  ),
                )}
              </p>
            </section>
          )}
          {attempted && missing && (
            <p className="small field-error" role="alert">
              {t('template.missing')}
            </p>
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
            <button type="submit" className="btn btn-primary" disabled={busy || !template}>
              {busy ? t('template.sending') : t('template.send')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
