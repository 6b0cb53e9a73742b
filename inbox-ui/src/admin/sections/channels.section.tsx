import { useState } from 'react';
import { Dialog } from '../../ui/dialog.view.js';
import { Icon } from '../../ui/icons.view.js';
import { CHANNEL_KINDS, type ChannelKindName } from '../admin-limits.js';
import { useAdmin } from '../admin-context.js';
import type { AdminChannel } from '../admin-types.js';
import { ConfirmDialog, EditorTitle, Field, FormBanner, ListButton, LoadState, ReadOnlyNote, SaveBar, SectionHead, SplitView, useFormSubmit, useMessages, useResource } from '../admin-ui.js';
import { validateChannel } from '../admin-validation.js';
import { channelToForm, channelWarnings, emptyChannelForm, formToSecrets, formToSettings, messagingProblems, voiceProblems, type ChannelForm } from '../channel-form.js';
import { EMAIL_CLAIMS, EmailSettingsEditor } from '../channels/email-settings.editor.js';
import { EmbedSnippet } from '../channels/embed-snippet.view.js';
import { isMessagingKind } from '../channels/messaging-channel-form.js';
import { MESSAGING_CLAIMS, MessagingSettingsEditor } from '../channels/messaging-settings.editor.js';
import { VOICE_CLAIMS, VoiceSettingsEditor } from '../channels/voice-settings.editor.js';
import { parseOrigins } from '../channels/webchat-settings-form.js';
import { WEBCHAT_CLAIMS, WebchatSettingsEditor } from '../channels/webchat-settings.editor.js';
import { translateProblems } from '../form-problems.js';
import type { AdminMessageKey } from '../i18n/admin-messages.es-mx.js';

const KIND_LABEL: Record<ChannelKindName, AdminMessageKey> = {
  api: 'kind.api',
  email: 'kind.email',
  webchat: 'kind.webchat',
  whatsapp: 'kind.whatsapp',
  whatsapp_web: 'kind.whatsapp_web',
  sms: 'kind.sms',
  meta: 'kind.meta',
  x: 'kind.x',
  voice: 'kind.voice',
};
const KIND_CLAIMS: Record<ChannelKindName, readonly string[]> = { api: ['settings.callbackUrl', 'settings.callbackTimeoutMs'], email: EMAIL_CLAIMS, webchat: WEBCHAT_CLAIMS, ...MESSAGING_CLAIMS, voice: VOICE_CLAIMS };

function knownKind(kind: string): ChannelKindName | undefined {
  return CHANNEL_KINDS.find((k) => k === kind);
}

function kindLabel(kind: string): AdminMessageKey {
  const known = knownKind(kind);
  return known ? KIND_LABEL[known] : 'kind.other';
}

/**
 * Channels of the campaign, created and changed by admins. Secrets the hub generates (the API
 * signing key) are shown once; passwords an admin types (e-mail) are never shown back.
 */
export function ChannelsSection({ campaignId }: { campaignId: string }) {
  const { api, t, isAdmin } = useAdmin();
  const resource = useResource(campaignId, () => api.channels(campaignId).then((r) => r.items));
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  const [secrets, setSecrets] = useState<{ channel: string; values: Record<string, string> } | null>(null);
  const channels = resource.data ?? [];
  const current = selected === 'new' ? null : (channels.find((c) => c.id === selected) ?? channels[0] ?? null);
  const editing = selected === 'new' || (resource.data !== undefined && current === null && isAdmin) ? 'new' : current;

  function saved(channel: AdminChannel) {
    resource.setData((list) => {
      const items = list ?? [];
      return items.some((c) => c.id === channel.id) ? items.map((c) => (c.id === channel.id ? channel : c)) : [...items, channel];
    });
    setSelected(channel.id);
    if (channel.secrets && Object.keys(channel.secrets).length > 0) setSecrets({ channel: channel.name, values: channel.secrets });
  }

  return (
    <div className="admin-section">
      <SectionHead title={t('section.channels')} newLabel={t('channels.new')} onNew={isAdmin ? () => setSelected('new') : undefined} />
      <SplitView
        listLabel={t('channels.list')}
        list={
          resource.data === undefined ? (
            <LoadState loading={resource.loading} error={resource.error} onRetry={resource.reload} />
          ) : channels.length === 0 ? (
            <p className="empty small">{t('channels.empty')}</p>
          ) : (
            <ul className="admin-list">
              {channels.map((c) => (
                <li key={c.id}>
                  <ListButton selected={editing !== 'new' && c.id === current?.id} onClick={() => setSelected(c.id)}>
                    <span className="admin-item-title">
                      {c.name} <span className="status-chip">{t(kindLabel(c.kind))}</span>
                    </span>
                    <span className="admin-item-sub">
                      <span className={`status-chip ${c.enabled ? 'status-assigned' : 'status-abandoned'}`}>{c.enabled ? t('channels.enabled') : t('channels.disabled')}</span>
                    </span>
                  </ListButton>
                </li>
              ))}
            </ul>
          )
        }
        editor={
          editing === 'new' ? (
            isAdmin ? <ChannelEditor key="new" campaignId={campaignId} channel={null} onSaved={saved} onCancel={() => setSelected(null)} /> : null
          ) : editing ? (
            <ChannelEditor key={editing.id} campaignId={campaignId} channel={editing} onSaved={saved} onCancel={() => setSelected(null)} />
          ) : null
        }
      />
      {secrets && <SecretsDialog channel={secrets.channel} secrets={secrets.values} onClose={() => setSecrets(null)} />}
    </div>
  );
}

function ChannelEditor({ campaignId, channel, onSaved, onCancel }: { campaignId: string; channel: AdminChannel | null; onSaved(c: AdminChannel): void; onCancel(): void }) {
  const { api, t, lang, isAdmin, announce } = useAdmin();
  const [form, setForm] = useState<ChannelForm>(() => (channel ? channelToForm(channel) : emptyChannelForm()));
  const [rotating, setRotating] = useState(false);
  const submit = useFormSubmit();
  const secretsSet = channel?.secretsSet ?? [];
  const problems = () => ({ ...validateChannel(form, secretsSet), ...messagingProblems(form, secretsSet), ...voiceProblems(form, secretsSet) });
  const messages = useMessages(submit.attempted, problems, submit.server);
  const warnings = translateProblems(channelWarnings(form, secretsSet), t);
  const kind = knownKind(form.kind);
  const claims = ['name', 'kind', ...(kind ? KIND_CLAIMS[kind] : [])];
  const kindOptions = [...CHANNEL_KINDS].sort((a, b) => t(KIND_LABEL[a]).localeCompare(t(KIND_LABEL[b]), lang));
  const rotatable = channel !== null && channel.secretSource === 'generated' && channel.secretNames.length > 0;

  return (
    <form
      ref={submit.formRef}
      className="admin-form stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(problems(), async () => {
          const settings = formToSettings(form);
          const secrets = formToSecrets(form);
          const result = channel
            ? await api.updateChannel(channel.id, { name: form.name.trim(), enabled: form.enabled, settings, ...(secrets ? { secrets } : {}) })
            : await api.createChannel(campaignId, { kind: form.kind, name: form.name.trim(), settings, ...(secrets ? { secrets } : {}) });
          // The hub's stored view: defaults filled in, typed passwords cleared ("guardada" instead).
          setForm(channelToForm(result));
          onSaved(result);
          announce(channel ? t('admin.saved') : t('admin.created', { name: result.name }));
        });
      }}
    >
      <EditorTitle text={channel ? t('channels.edit', { name: channel.name }) : t('channels.new')} />
      {!isAdmin && <ReadOnlyNote />}
      <FormBanner messages={messages} server={submit.server} claims={claims} />
      <fieldset disabled={!isAdmin} className="admin-plain-fieldset stack">
        <div className="admin-grid-2">
          <Field label={t('channels.kind')} hint={channel ? t('channels.kindFixed') : undefined} messages={messages['kind']}>
            {(a) => (
              <select {...a} value={form.kind} disabled={channel !== null} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
                {kindOptions.map((k) => (
                  <option key={k} value={k}>
                    {t(KIND_LABEL[k])}
                  </option>
                ))}
                {!kind && <option value={form.kind}>{form.kind}</option>}
              </select>
            )}
          </Field>
          <Field label={t('channels.name')} messages={messages['name']}>
            {(a) => <input {...a} type="text" value={form.name} maxLength={120} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
          </Field>
        </div>
        {channel && (
          <label className="checkbox">
            <input type="checkbox" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.target.checked })} />
            {t('channels.enabledLabel')}
          </label>
        )}
        {form.kind === 'api' && (
          <div className="admin-grid-2">
            <Field label={t('channels.callbackUrl')} hint={t('channels.callbackHint')} messages={messages['settings.callbackUrl']}>
              {(a) => <input {...a} type="url" value={form.api.callbackUrl} placeholder="https://" onChange={(e) => setForm({ ...form, api: { ...form.api, callbackUrl: e.target.value } })} />}
            </Field>
            <Field label={t('channels.callbackTimeoutMs')} hint={t('channels.callbackTimeoutHint')} messages={messages['settings.callbackTimeoutMs']}>
              {(a) => (
                <input
                  {...a}
                  type="number"
                  min={100}
                  max={60000}
                  step={100}
                  value={form.api.callbackTimeoutMs}
                  placeholder="10000"
                  onChange={(e) => setForm({ ...form, api: { ...form.api, callbackTimeoutMs: e.target.value } })}
                />
              )}
            </Field>
          </div>
        )}
        {form.kind === 'webchat' && <WebchatSettingsEditor form={form.webchat} messages={messages} warnings={warnings} onChange={(webchat) => setForm({ ...form, webchat })} />}
        {form.kind === 'email' && <EmailSettingsEditor form={form.email} messages={messages} warnings={warnings} secretsSet={secretsSet} onChange={(email) => setForm({ ...form, email })} />}
        {isMessagingKind(form.kind) && (
          <MessagingSettingsEditor
            kind={form.kind}
            forms={form.messaging}
            messages={messages}
            warnings={warnings}
            secretsSet={secretsSet}
            webhookPath={channel?.webhookPath ?? null}
            channelId={channel?.id ?? null}
            onChange={(messaging) => setForm({ ...form, messaging })}
          />
        )}
        {form.kind === 'voice' && (
          <VoiceSettingsEditor
            campaignId={campaignId}
            form={form.voice}
            messages={messages}
            warnings={warnings}
            secretsSet={secretsSet}
            saved={channel ? { webhookPath: channel.webhookPath, webhookBaseUrl: typeof channel.settings['webhookBaseUrl'] === 'string' ? channel.settings['webhookBaseUrl'] : '' } : null}
            onChange={(voice) => setForm({ ...form, voice })}
          />
        )}
        {channel && channel.kind === 'api' && (
          <div className="admin-card-inner">
            <p className="admin-label">{t('channels.webhook')}</p>
            <code className="admin-code">POST {`${window.location.origin}${channel.webhookPath}`}</code>
            <p className="admin-hint">{t('channels.webhookHint')}</p>
          </div>
        )}
        {channel && channel.kind === 'webchat' && <EmbedSnippet channelId={channel.id} allowedOrigins={parseOrigins(form.webchat.origins)} />}
        {isAdmin && (
          <SaveBar busy={submit.busy} label={channel ? t('common.save') : t('common.create')}>
            {rotatable ? (
              <button type="button" className="btn btn-secondary" onClick={() => setRotating(true)}>
                {t('channels.rotate')}
              </button>
            ) : channel ? null : (
              <button type="button" className="btn btn-ghost" onClick={onCancel}>
                {t('common.cancel')}
              </button>
            )}
          </SaveBar>
        )}
      </fieldset>
      {rotating && channel && (
        <ConfirmDialog
          title={t('channels.rotate')}
          message={<p>{t('channels.rotateConfirm', { name: channel.name })}</p>}
          confirmLabel={t('channels.rotate')}
          danger
          onClose={() => setRotating(false)}
          onConfirm={async () => {
            onSaved(await api.updateChannel(channel.id, { rotateSecrets: true }));
          }}
        />
      )}
    </form>
  );
}

function SecretsDialog({ channel, secrets, onClose }: { channel: string; secrets: Record<string, string>; onClose(): void }) {
  const { t } = useAdmin();
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <Dialog title={t('channels.secretsTitle', { name: channel })} onClose={onClose} wide>
      <div className="stack">
        <p className="banner banner-warn small" role="status">
          <Icon name="lock" /> {t('channels.secretsOnce')}
        </p>
        {Object.entries(secrets).map(([name, value]) => (
          <div key={name} className="admin-secret">
            <p className="admin-label">{name}</p>
            <div className="row gap-s">
              <code className="admin-code admin-secret-value">{value}</code>
              <button
                type="button"
                className="btn btn-secondary btn-small"
                onClick={() => {
                  void navigator.clipboard?.writeText(value).then(() => setCopied(name));
                }}
              >
                {copied === name ? t('channels.copied') : t('channels.copy')}
              </button>
            </div>
          </div>
        ))}
        <div className="dialog-actions">
          <button type="button" className="btn btn-primary" onClick={onClose}>
            {t('channels.secretsDone')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
