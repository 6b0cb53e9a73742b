import { useId, useState } from 'react';
import { errorText } from '../../api/api-error.js';
import { useI18n } from '../../i18n/i18n.js';
import { Dialog } from '../../ui/dialog.view.js';
import { TAKEOVER_REASONS, type TakeoverReason } from './supervision-api.js';
import { supervisionText, type SupervisionKey } from './supervision-text.js';

/** The takeover's reason: one of the list, plus free text (required for «Otro»). */
export function TakeoverDialog({ folio, agentName, onConfirm, onClose }: { folio: string; agentName: string; onConfirm(reason: TakeoverReason, text: string): Promise<void>; onClose(): void }) {
  const { lang } = useI18n();
  const id = useId();
  const t = (key: SupervisionKey, values?: Record<string, string | number>) => supervisionText(lang, key, values);
  const [reason, setReason] = useState<TakeoverReason>('quality');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const missingText = reason === 'other' && text.trim() === '';
  return (
    <Dialog title={t('takeoverTitle', { folio })} onClose={onClose}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (missingText) return setError(t('reasonTextRequired'));
          setBusy(true);
          onConfirm(reason, text.trim()).then(onClose, (err: unknown) => {
            setBusy(false);
            setError(t('failed', { message: errorText(err, lang, '') }));
          });
        }}
      >
        <p>{t('takeoverIntro', { agent: agentName })}</p>
        <label className="field" htmlFor={`${id}-reason`}>
          {t('reason')}
          <select id={`${id}-reason`} value={reason} onChange={(e) => setReason(TAKEOVER_REASONS.find((r) => r === e.target.value) ?? 'other')}>
            {TAKEOVER_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`reason.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field" htmlFor={`${id}-text`}>
          {t('reasonText')}
          <textarea id={`${id}-text`} rows={3} maxLength={500} value={text} aria-invalid={error !== null && missingText} onChange={(e) => setText(e.target.value)} />
        </label>
        {error && (
          <p role="alert" className="small">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" className="btn btn-danger" disabled={busy}>
            {t('confirmTakeover')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
