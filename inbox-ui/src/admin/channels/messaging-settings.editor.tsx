import { WhatsAppWebPairing } from './whatsapp-web-pairing.view.js';
import { useAdmin } from '../admin-context.js';
import type { FieldMessages } from '../form-problems.js';
import type { AdminMessageKey } from '../i18n/admin-messages.es-mx.js';
import type { MessagingForms, MessagingKind } from './messaging-channel-form.js';
import { MetaSettingsEditor } from './meta-settings.editor.js';
import { SmsSettingsEditor } from './sms-settings.editor.js';
import { WebhookUrl } from './webhook-url.view.js';
import { WhatsAppSettingsEditor } from './whatsapp-settings.editor.js';
import { XSettingsEditor } from './x-settings.editor.js';

/** Paths each kind's editor shows next to a field; anything else the hub says goes to the form's banner. */
export const MESSAGING_CLAIMS: Record<MessagingKind, readonly string[]> = {
  whatsapp: ['settings.phoneNumberId', 'settings.businessAccountId', 'settings.graphApiVersion', 'settings.graphBaseUrl', 'settings.maxSendsPerSecond', 'settings.templates', 'secrets.accessToken', 'secrets.appSecret', 'secrets.verifyToken'],
  sms: ['settings.accountSid', 'settings.from', 'settings.messagingServiceSid', 'settings.webhookBaseUrl', 'settings.apiBaseUrl', 'settings.maxSendsPerSecond', 'secrets.authToken'],
  meta: ['settings.pageId', 'settings.instagramAccountId', 'settings.graphApiVersion', 'settings.graphBaseUrl', 'settings.sendTimeoutMs', 'secrets.pageAccessToken', 'secrets.appSecret', 'secrets.verifyToken'],
  x: ['settings.accountId', 'settings.apiBaseUrl', 'settings.sendTimeoutMs', 'secrets.consumerSecret', 'secrets.userAccessToken'],
  whatsapp_web: ['settings.acceptGroups'],
};

/** What the provider's console asks for besides the URL (whatsapp_web has no webhook: its session is the hub's own). */
const WEBHOOK_HINTS: Partial<Record<MessagingKind, { hint: AdminMessageKey; verify?: AdminMessageKey }>> = {
  whatsapp: { hint: 'waChannel.webhookHint', verify: 'msgChannel.verifyTokenWebhookHint' },
  meta: { hint: 'metaChannel.webhookHint', verify: 'msgChannel.verifyTokenWebhookHint' },
  sms: { hint: 'smsChannel.webhookHint' },
  x: { hint: 'xChannel.webhookHint' },
};

/** The settings of a messaging channel and, once it exists, the webhook URL to give the provider. */
export function MessagingSettingsEditor({
  kind,
  forms,
  messages,
  warnings,
  secretsSet,
  webhookPath,
  channelId = null,
  onChange,
}: {
  kind: MessagingKind;
  forms: MessagingForms;
  messages: FieldMessages;
  warnings: FieldMessages;
  secretsSet: readonly string[];
  /** null until the channel is saved (the URL carries its id). */
  webhookPath: string | null;
  /** The saved channel (the WhatsApp Web pairing needs it); null while creating. */
  channelId?: string | null;
  onChange(forms: MessagingForms): void;
}) {
  const { t, api } = useAdmin();
  const webhook = WEBHOOK_HINTS[kind];
  return (
    <>
      {kind === 'whatsapp' && <WhatsAppSettingsEditor form={forms.whatsapp} messages={messages} warnings={warnings} secretsSet={secretsSet} onChange={(whatsapp) => onChange({ ...forms, whatsapp })} />}
      {kind === 'sms' && <SmsSettingsEditor form={forms.sms} messages={messages} secretsSet={secretsSet} onChange={(sms) => onChange({ ...forms, sms })} />}
      {kind === 'meta' && <MetaSettingsEditor form={forms.meta} messages={messages} secretsSet={secretsSet} onChange={(meta) => onChange({ ...forms, meta })} />}
      {kind === 'x' && <XSettingsEditor form={forms.x} messages={messages} secretsSet={secretsSet} onChange={(x) => onChange({ ...forms, x })} />}
      {kind === 'whatsapp_web' && (
        <fieldset className="admin-fieldset">
          <legend>{t('wawebChannel.session')}</legend>
          <label className="checkbox">
            <input type="checkbox" checked={forms.whatsappWeb.acceptGroups} onChange={(e) => onChange({ ...forms, whatsappWeb: { acceptGroups: e.target.checked } })} />
            {t('wawebChannel.acceptGroups')}
          </label>
          <p className="admin-hint">{t('wawebChannel.hint')}</p>
          {channelId && <WhatsAppWebPairing channelId={channelId} load={(id) => api.whatsappWebStatus(id)} unlink={(id) => api.whatsappWebLogout(id)} />}
        </fieldset>
      )}
      {webhook &&
        (webhookPath ? (
          <WebhookUrl path={webhookPath} hint={t(webhook.hint)} verifyTokenHint={webhook.verify ? t(webhook.verify) : undefined} />
        ) : (
          <p className="admin-hint">{t('msgChannel.webhookAfterSave')}</p>
        ))}
    </>
  );
}
