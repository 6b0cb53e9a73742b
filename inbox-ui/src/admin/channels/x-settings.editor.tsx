import { useAdmin } from '../admin-context.js';
import { Field } from '../admin-ui.js';
import { messagesAt, type FieldMessages } from '../form-problems.js';
import { SecretField } from './secret-field.view.js';
import type { XSettingsForm } from './x-settings-form.js';
import './channels.css';

/** The institution's X account: its user id, the app's consumer secret (CRC and signatures) and the user token that sends. */
export function XSettingsEditor({ form, messages, secretsSet, onChange }: { form: XSettingsForm; messages: FieldMessages; secretsSet: readonly string[]; onChange(form: XSettingsForm): void }) {
  const { t } = useAdmin();
  const set = (patch: Partial<XSettingsForm>) => onChange({ ...form, ...patch });
  const at = (path: string) => messagesAt(messages, path);
  const secret = (name: string, label: string, hint: string) => (
    <SecretField label={label} hint={hint} value={form.secrets[name] ?? ''} stored={secretsSet.includes(name)} messages={at(`secrets.${name}`)} onChange={(value) => set({ secrets: { ...form.secrets, [name]: value } })} />
  );
  return (
    <>
      <fieldset className="admin-fieldset">
        <legend>{t('xChannel.account')}</legend>
        <Field label={t('xChannel.accountId')} hint={t('xChannel.accountIdHint')} messages={at('settings.accountId')} className="channel-narrow">
          {(a) => <input {...a} type="text" inputMode="numeric" spellCheck={false} value={form.accountId} onChange={(e) => set({ accountId: e.target.value })} />}
        </Field>
        <div className="admin-grid-2">
          {secret('consumerSecret', t('xChannel.consumerSecret'), t('xChannel.consumerSecretHint'))}
          {secret('userAccessToken', t('xChannel.userAccessToken'), t('xChannel.userAccessTokenHint'))}
        </div>
      </fieldset>
      <fieldset className="admin-fieldset">
        <legend>{t('msgChannel.advanced')}</legend>
        <div className="admin-grid-2">
          <Field label={t('xChannel.apiBaseUrl')} hint={t('msgChannel.baseUrlHint')} messages={at('settings.apiBaseUrl')}>
            {(a) => <input {...a} type="url" spellCheck={false} value={form.apiBaseUrl} onChange={(e) => set({ apiBaseUrl: e.target.value })} />}
          </Field>
          <Field label={t('msgChannel.sendTimeoutMs')} messages={at('settings.sendTimeoutMs')}>
            {(a) => <input {...a} type="number" min={100} max={60000} step={100} value={form.sendTimeoutMs} onChange={(e) => set({ sendTimeoutMs: e.target.value })} />}
          </Field>
        </div>
      </fieldset>
    </>
  );
}
