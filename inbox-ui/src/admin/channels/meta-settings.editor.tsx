import { useAdmin } from '../admin-context.js';
import { Field } from '../admin-ui.js';
import { messagesAt, type FieldMessages } from '../form-problems.js';
import type { MetaSettingsForm } from './meta-settings-form.js';
import { SecretField } from './secret-field.view.js';
import './channels.css';

/** A Facebook Page and its linked Instagram account: ids, the human-agent tag, credentials from Meta's app dashboard. */
export function MetaSettingsEditor({ form, messages, secretsSet, onChange }: { form: MetaSettingsForm; messages: FieldMessages; secretsSet: readonly string[]; onChange(form: MetaSettingsForm): void }) {
  const { t } = useAdmin();
  const set = (patch: Partial<MetaSettingsForm>) => onChange({ ...form, ...patch });
  const at = (path: string) => messagesAt(messages, path);
  const secret = (name: string, label: string, hint: string) => (
    <SecretField label={label} hint={hint} value={form.secrets[name] ?? ''} stored={secretsSet.includes(name)} messages={at(`secrets.${name}`)} onChange={(value) => set({ secrets: { ...form.secrets, [name]: value } })} />
  );
  return (
    <>
      <fieldset className="admin-fieldset">
        <legend>{t('metaChannel.accounts')}</legend>
        <div className="admin-grid-2">
          <Field label={t('metaChannel.pageId')} hint={t('metaChannel.pageIdHint')} messages={at('settings.pageId')}>
            {(a) => <input {...a} type="text" inputMode="numeric" spellCheck={false} value={form.pageId} onChange={(e) => set({ pageId: e.target.value })} />}
          </Field>
          <Field label={t('metaChannel.instagramAccountId')} hint={t('metaChannel.instagramAccountIdHint')} messages={at('settings.instagramAccountId')}>
            {(a) => <input {...a} type="text" inputMode="numeric" spellCheck={false} value={form.instagramAccountId} onChange={(e) => set({ instagramAccountId: e.target.value })} />}
          </Field>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={form.humanAgentTag} onChange={(e) => set({ humanAgentTag: e.target.checked })} />
          {t('metaChannel.humanAgentTag')}
        </label>
        <p className="admin-hint">{t('metaChannel.humanAgentTagHint')}</p>
      </fieldset>
      <fieldset className="admin-fieldset">
        <legend>{t('msgChannel.credentials')}</legend>
        <div className="admin-grid-2">
          {secret('pageAccessToken', t('metaChannel.pageAccessToken'), t('metaChannel.pageAccessTokenHint'))}
          {secret('appSecret', t('msgChannel.appSecret'), t('msgChannel.appSecretHint'))}
          {secret('verifyToken', t('msgChannel.verifyToken'), t('msgChannel.verifyTokenHint'))}
        </div>
      </fieldset>
      <fieldset className="admin-fieldset">
        <legend>{t('msgChannel.advanced')}</legend>
        <div className="admin-grid-3">
          <Field label={t('msgChannel.graphApiVersion')} messages={at('settings.graphApiVersion')}>
            {(a) => <input {...a} type="text" spellCheck={false} value={form.graphApiVersion} onChange={(e) => set({ graphApiVersion: e.target.value })} />}
          </Field>
          <Field label={t('msgChannel.graphBaseUrl')} hint={t('msgChannel.baseUrlHint')} messages={at('settings.graphBaseUrl')} className="channel-span-2">
            {(a) => <input {...a} type="url" spellCheck={false} value={form.graphBaseUrl} onChange={(e) => set({ graphBaseUrl: e.target.value })} />}
          </Field>
        </div>
        <Field label={t('msgChannel.sendTimeoutMs')} messages={at('settings.sendTimeoutMs')} className="channel-narrow">
          {(a) => <input {...a} type="number" min={100} max={60000} step={100} value={form.sendTimeoutMs} onChange={(e) => set({ sendTimeoutMs: e.target.value })} />}
        </Field>
      </fieldset>
    </>
  );
}
