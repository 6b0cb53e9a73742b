import { useAdmin } from '../admin-context.js';
import { Field } from '../admin-ui.js';
import { messagesAt, type FieldMessages } from '../form-problems.js';
import { SecretField } from './secret-field.view.js';
import { TemplateCatalogueEditor } from './template-catalogue.editor.js';
import type { WhatsAppSettingsForm } from './whatsapp-settings-form.js';
import './channels.css';

/** The WhatsApp Cloud API number, its credentials from Meta's app dashboard, the template catalogue and the send limits. */
export function WhatsAppSettingsEditor({
  form,
  messages,
  warnings,
  secretsSet,
  onChange,
}: {
  form: WhatsAppSettingsForm;
  messages: FieldMessages;
  warnings: FieldMessages;
  secretsSet: readonly string[];
  onChange(form: WhatsAppSettingsForm): void;
}) {
  const { t } = useAdmin();
  const set = (patch: Partial<WhatsAppSettingsForm>) => onChange({ ...form, ...patch });
  const at = (path: string) => messagesAt(messages, path);
  const secret = (name: string, label: string, hint?: string) => (
    <SecretField label={label} hint={hint} value={form.secrets[name] ?? ''} stored={secretsSet.includes(name)} messages={at(`secrets.${name}`)} onChange={(value) => set({ secrets: { ...form.secrets, [name]: value } })} />
  );
  return (
    <>
      <fieldset className="admin-fieldset">
        <legend>{t('waChannel.number')}</legend>
        <div className="admin-grid-2">
          <Field label={t('waChannel.phoneNumberId')} hint={t('waChannel.phoneNumberIdHint')} messages={at('settings.phoneNumberId')}>
            {(a) => <input {...a} type="text" inputMode="numeric" spellCheck={false} value={form.phoneNumberId} onChange={(e) => set({ phoneNumberId: e.target.value })} />}
          </Field>
          <Field label={t('waChannel.businessAccountId')} hint={t('waChannel.businessAccountIdHint')} messages={at('settings.businessAccountId')}>
            {(a) => <input {...a} type="text" inputMode="numeric" spellCheck={false} value={form.businessAccountId} onChange={(e) => set({ businessAccountId: e.target.value })} />}
          </Field>
        </div>
      </fieldset>
      <fieldset className="admin-fieldset">
        <legend>{t('msgChannel.credentials')}</legend>
        <p className="admin-hint">{t('waChannel.credentialsHint')}</p>
        <div className="admin-grid-2">
          {secret('accessToken', t('waChannel.accessToken'), t('waChannel.accessTokenHint'))}
          {secret('appSecret', t('msgChannel.appSecret'), t('msgChannel.appSecretHint'))}
          {secret('verifyToken', t('msgChannel.verifyToken'), t('msgChannel.verifyTokenHint'))}
        </div>
      </fieldset>
      <TemplateCatalogueEditor rows={form.templates} messages={messages} warnings={warnings} onChange={(templates) => set({ templates })} />
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
        <Field label={t('msgChannel.maxSendsPerSecond')} hint={t('waChannel.maxSendsHint')} messages={at('settings.maxSendsPerSecond')} className="channel-narrow">
          {(a) => <input {...a} type="number" min={1} max={1000} step={1} value={form.maxSendsPerSecond} placeholder="80" onChange={(e) => set({ maxSendsPerSecond: e.target.value })} />}
        </Field>
      </fieldset>
    </>
  );
}
