import { useAdmin } from '../admin-context.js';
import { Field } from '../admin-ui.js';
import { messagesAt, type FieldMessages } from '../form-problems.js';
import { SecretField } from './secret-field.view.js';
import type { SmsSettingsForm } from './sms-settings-form.js';
import './channels.css';

/** Twilio: the account, who sends (a number or a Messaging Service), the URL Twilio signs, and the auth token. */
export function SmsSettingsEditor({ form, messages, secretsSet, onChange }: { form: SmsSettingsForm; messages: FieldMessages; secretsSet: readonly string[]; onChange(form: SmsSettingsForm): void }) {
  const { t } = useAdmin();
  const set = (patch: Partial<SmsSettingsForm>) => onChange({ ...form, ...patch });
  const at = (path: string) => messagesAt(messages, path);
  return (
    <>
      <fieldset className="admin-fieldset">
        <legend>{t('smsChannel.account')}</legend>
        <div className="admin-grid-2">
          <Field label={t('smsChannel.accountSid')} hint={t('smsChannel.accountSidHint')} messages={at('settings.accountSid')}>
            {(a) => <input {...a} type="text" spellCheck={false} value={form.accountSid} placeholder="AC…" onChange={(e) => set({ accountSid: e.target.value })} />}
          </Field>
          <SecretField
            label={t('smsChannel.authToken')}
            hint={t('smsChannel.authTokenHint')}
            value={form.secrets['authToken'] ?? ''}
            stored={secretsSet.includes('authToken')}
            messages={at('secrets.authToken')}
            onChange={(value) => set({ secrets: { ...form.secrets, authToken: value } })}
          />
        </div>
      </fieldset>
      <fieldset className="admin-fieldset">
        <legend>{t('smsChannel.sender')}</legend>
        <p className="admin-hint">{t('smsChannel.senderHint')}</p>
        <div className="admin-grid-2">
          <Field label={t('smsChannel.from')} hint={t('smsChannel.fromHint')} messages={at('settings.from')}>
            {(a) => <input {...a} type="tel" spellCheck={false} value={form.from} placeholder="+525512345678" onChange={(e) => set({ from: e.target.value })} />}
          </Field>
          <Field label={t('smsChannel.messagingServiceSid')} messages={at('settings.messagingServiceSid')}>
            {(a) => <input {...a} type="text" spellCheck={false} value={form.messagingServiceSid} placeholder="MG…" onChange={(e) => set({ messagingServiceSid: e.target.value })} />}
          </Field>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={form.statusCallback} onChange={(e) => set({ statusCallback: e.target.checked })} />
          {t('smsChannel.statusCallback')}
        </label>
      </fieldset>
      <fieldset className="admin-fieldset">
        <legend>{t('msgChannel.advanced')}</legend>
        <div className="admin-grid-2">
          <Field label={t('smsChannel.webhookBaseUrl')} hint={t('smsChannel.webhookBaseUrlHint')} messages={at('settings.webhookBaseUrl')}>
            {(a) => <input {...a} type="url" spellCheck={false} value={form.webhookBaseUrl} placeholder="https://" onChange={(e) => set({ webhookBaseUrl: e.target.value })} />}
          </Field>
          <Field label={t('smsChannel.apiBaseUrl')} hint={t('msgChannel.baseUrlHint')} messages={at('settings.apiBaseUrl')}>
            {(a) => <input {...a} type="url" spellCheck={false} value={form.apiBaseUrl} placeholder="https://api.twilio.com" onChange={(e) => set({ apiBaseUrl: e.target.value })} />}
          </Field>
        </div>
        <Field label={t('msgChannel.maxSendsPerSecond')} messages={at('settings.maxSendsPerSecond')} className="channel-narrow">
          {(a) => <input {...a} type="number" min={1} max={1000} step={1} value={form.maxSendsPerSecond} onChange={(e) => set({ maxSendsPerSecond: e.target.value })} />}
        </Field>
      </fieldset>
    </>
  );
}
