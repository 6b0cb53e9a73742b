import type { ReactNode } from 'react';
import { useAdmin } from '../admin-context.js';
import { Field, useResource } from '../admin-ui.js';
import { messagesAt, type FieldMessages } from '../form-problems.js';
import { Icon } from '../../ui/icons.view.js';
import { SecretField } from './secret-field.view.js';
import { AGENT_ENDPOINTS, VOICE_RANGES, type AgentEndpoint, type VoiceSettingsForm } from './voice-settings-form.js';
import { VoiceWebhookUrls } from './voice-webhook-urls.view.js';
import './channels.css';

/** Paths the voice editor shows next to a field; anything else the hub says goes to the form's banner. */
export const VOICE_CLAIMS: readonly string[] = [
  ...['accountSid', 'callerId', 'webhookBaseUrl', 'apiBaseUrl', 'queueId', 'recording', 'agentEndpoint', 'agentRingSeconds', 'voicemailOutsideHours', 'voicemailMaxSeconds', 'survey', 'callbackMaxAttempts', 'callbackRetryMinutes', 'twimlAppSid', 'apiKeySid'].map((k) => `settings.${k}`),
  'secrets.authToken',
  'secrets.apiKeySecret',
];

const ENDPOINT_LABEL = { client: 'voiceChannel.endpoint.client', phone: 'voiceChannel.endpoint.phone', sip: 'voiceChannel.endpoint.sip' } as const satisfies Record<AgentEndpoint, string>;

/**
 * Twilio Voice: the account and the number calls show, the queue and how agents answer, voicemail,
 * the survey and call-backs, the softphone's TwiML App and API key; once saved, the two URLs to
 * paste on the number in Twilio's console.
 */
export function VoiceSettingsEditor({
  campaignId,
  form,
  messages,
  warnings,
  secretsSet,
  saved,
  onChange,
}: {
  campaignId: string;
  form: VoiceSettingsForm;
  messages: FieldMessages;
  warnings: FieldMessages;
  secretsSet: readonly string[];
  /** The stored channel's webhook path and public base URL; null while creating. */
  saved: { webhookPath: string; webhookBaseUrl: string } | null;
  onChange(form: VoiceSettingsForm): void;
}) {
  const { t, api } = useAdmin();
  const queues = useResource(`voice-queues:${campaignId}`, () => api.queues(campaignId).then((r) => r.items));
  const set = (patch: Partial<VoiceSettingsForm>) => onChange({ ...form, ...patch });
  const at = (path: string) => messagesAt(messages, path);
  const secret = (name: 'authToken' | 'apiKeySecret', label: string, hint: string) => (
    <SecretField label={label} hint={hint} value={form.secrets[name] ?? ''} stored={secretsSet.includes(name)} messages={at(`secrets.${name}`)} onChange={(value) => set({ secrets: { ...form.secrets, [name]: value } })} />
  );
  const number = (key: keyof typeof VOICE_RANGES, label: string, hint?: ReactNode) => (
    <Field label={label} hint={hint ?? t('v.rangeHint', VOICE_RANGES[key])} messages={at(`settings.${key}`)}>
      {(a) => <input {...a} type="number" min={VOICE_RANGES[key].min} max={VOICE_RANGES[key].max} step={1} value={form[key]} onChange={(e) => set({ [key]: e.target.value })} />}
    </Field>
  );
  // A warning does not block a save: it is part of the field's hint (described by it).
  const endpointWarning = messagesAt(warnings, 'settings.agentEndpoint');
  const list = queues.data;
  const storedElsewhere = form.queueId !== '' && list !== undefined && !list.some((q) => q.id === form.queueId);

  return (
    <>
      <fieldset className="admin-fieldset">
        <legend>{t('voiceChannel.account')}</legend>
        <div className="admin-grid-2">
          <Field label={t('smsChannel.accountSid')} hint={t('smsChannel.accountSidHint')} messages={at('settings.accountSid')}>
            {(a) => <input {...a} type="text" spellCheck={false} value={form.accountSid} placeholder="AC…" onChange={(e) => set({ accountSid: e.target.value })} />}
          </Field>
          {secret('authToken', t('smsChannel.authToken'), t('voiceChannel.authTokenHint'))}
          <Field label={t('voiceChannel.callerId')} hint={t('voiceChannel.callerIdHint')} messages={at('settings.callerId')}>
            {(a) => <input {...a} type="tel" spellCheck={false} value={form.callerId} placeholder="+525512345678" onChange={(e) => set({ callerId: e.target.value })} />}
          </Field>
        </div>
      </fieldset>
      <fieldset className="admin-fieldset">
        <legend>{t('voiceChannel.routing')}</legend>
        <div className="admin-grid-2">
          {list !== undefined ? (
            <Field label={t('voiceChannel.queue')} hint={t('voiceChannel.queueHint')} messages={at('settings.queueId')}>
              {(a) => (
                <select {...a} value={form.queueId} onChange={(e) => set({ queueId: e.target.value })}>
                  <option value="">{t('voiceChannel.queueDefault')}</option>
                  {list.map((q) => (
                    <option key={q.id} value={q.id}>
                      {q.name}
                    </option>
                  ))}
                  {storedElsewhere && <option value={form.queueId}>{t('voiceChannel.queueUnknown', { id: form.queueId })}</option>}
                </select>
              )}
            </Field>
          ) : (
            // The queue list did not load (or not yet): the id can still be typed.
            <Field label={t('voiceChannel.queue')} hint={t('voiceChannel.queueIdHint')} messages={at('settings.queueId')}>
              {(a) => <input {...a} type="text" spellCheck={false} value={form.queueId} onChange={(e) => set({ queueId: e.target.value })} />}
            </Field>
          )}
          <Field
            label={t('voiceChannel.agentEndpoint')}
            hint={
              <>
                {t('voiceChannel.agentEndpointHint')}
                {endpointWarning.length > 0 && (
                  <span className="admin-warning">
                    {' '}
                    <Icon name="alert" size={14} /> {endpointWarning.join(' ')}
                  </span>
                )}
              </>
            }
            messages={at('settings.agentEndpoint')}
          >
            {(a) => (
              <select {...a} value={form.agentEndpoint} onChange={(e) => set({ agentEndpoint: AGENT_ENDPOINTS.find((k) => k === e.target.value) ?? 'client' })}>
                {AGENT_ENDPOINTS.map((k) => (
                  <option key={k} value={k}>
                    {t(ENDPOINT_LABEL[k])}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {number('agentRingSeconds', t('voiceChannel.agentRingSeconds'), t('voiceChannel.agentRingHint', VOICE_RANGES.agentRingSeconds))}
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={form.recording} onChange={(e) => set({ recording: e.target.checked })} />
          {t('voiceChannel.recording')}
        </label>
      </fieldset>
      <fieldset className="admin-fieldset">
        <legend>{t('voiceChannel.voicemail')}</legend>
        <label className="checkbox">
          <input type="checkbox" checked={form.voicemailOutsideHours} onChange={(e) => set({ voicemailOutsideHours: e.target.checked })} />
          {t('voiceChannel.voicemailOutsideHours')}
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={form.survey} onChange={(e) => set({ survey: e.target.checked })} />
          {t('voiceChannel.survey')}
        </label>
        <div className="admin-grid-3">
          {number('voicemailMaxSeconds', t('voiceChannel.voicemailMaxSeconds'))}
          {number('callbackMaxAttempts', t('voiceChannel.callbackMaxAttempts'))}
          {number('callbackRetryMinutes', t('voiceChannel.callbackRetryMinutes'))}
        </div>
      </fieldset>
      <fieldset className="admin-fieldset">
        <legend>{t('voiceChannel.softphone')}</legend>
        <p className="admin-hint">{t('voiceChannel.softphoneHint')}</p>
        <div className="admin-grid-2">
          <Field label={t('voiceChannel.twimlAppSid')} messages={at('settings.twimlAppSid')}>
            {(a) => <input {...a} type="text" spellCheck={false} value={form.twimlAppSid} placeholder="AP…" onChange={(e) => set({ twimlAppSid: e.target.value })} />}
          </Field>
          <Field label={t('voiceChannel.apiKeySid')} messages={at('settings.apiKeySid')}>
            {(a) => <input {...a} type="text" spellCheck={false} value={form.apiKeySid} placeholder="SK…" onChange={(e) => set({ apiKeySid: e.target.value })} />}
          </Field>
          {secret('apiKeySecret', t('voiceChannel.apiKeySecret'), t('voiceChannel.apiKeySecretHint'))}
        </div>
      </fieldset>
      <fieldset className="admin-fieldset">
        <legend>{t('msgChannel.advanced')}</legend>
        <div className="admin-grid-2">
          <Field label={t('smsChannel.webhookBaseUrl')} hint={t('voiceChannel.webhookBaseUrlHint')} messages={at('settings.webhookBaseUrl')}>
            {(a) => <input {...a} type="url" spellCheck={false} value={form.webhookBaseUrl} placeholder="https://" onChange={(e) => set({ webhookBaseUrl: e.target.value })} />}
          </Field>
          <Field label={t('smsChannel.apiBaseUrl')} hint={t('msgChannel.baseUrlHint')} messages={at('settings.apiBaseUrl')}>
            {(a) => <input {...a} type="url" spellCheck={false} value={form.apiBaseUrl} placeholder="https://api.twilio.com" onChange={(e) => set({ apiBaseUrl: e.target.value })} />}
          </Field>
        </div>
      </fieldset>
      {saved ? <VoiceWebhookUrls webhookPath={saved.webhookPath} webhookBaseUrl={saved.webhookBaseUrl} /> : <p className="admin-hint">{t('voiceChannel.urlsAfterSave')}</p>}
    </>
  );
}
