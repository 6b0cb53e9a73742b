import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { DEFAULT_ALERT_SETTINGS, validAlertSettings, type AlertSettings } from '../workspace/session-alerts.js';
import { Dialog } from './dialog.view.js';

export function AlertSettingsDialog({ settings, onSave, onClose }: { settings: AlertSettings; onSave(settings: AlertSettings): void; onClose(): void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(settings);
  const [error, setError] = useState(false);
  const number = (key: 'warnAfterSeconds' | 'alertAfterSeconds' | 'idleAfterSeconds', label: string) => (
    <label className="field field-inline">
      <span>{label}</span>
      <input type="number" min={1} max={86_400} step={1} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: Math.round(Number(e.target.value)) })} />
    </label>
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!validAlertSettings(draft)) {
      setError(true);
      return;
    }
    onSave(draft);
    onClose();
  }
  return (
    <Dialog title={t('settings.title')} onClose={onClose}>
      <form onSubmit={submit} className="stack">
        <p className="small muted">{t('settings.intro')}</p>
        {number('warnAfterSeconds', t('settings.warn'))}
        {number('alertAfterSeconds', t('settings.alert'))}
        {number('idleAfterSeconds', t('settings.idle'))}
        <label className="checkbox">
          <input type="checkbox" checked={draft.sound} onChange={(e) => setDraft({ ...draft, sound: e.target.checked })} />
          {t('settings.sound')}
        </label>
        {error && (
          <p className="banner banner-error small" role="alert">
            {t('settings.invalid')}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" onClick={() => setDraft({ ...DEFAULT_ALERT_SETTINGS })}>
            {t('settings.reset')}
          </button>
          <button type="submit" className="btn btn-primary">
            {t('settings.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
