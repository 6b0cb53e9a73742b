import { useState } from 'react';
import { Dialog } from '../../ui/dialog.view.js';
import { Icon } from '../../ui/icons.view.js';
import { CHANNEL_KINDS } from '../admin-limits.js';
import { useAdmin } from '../admin-context.js';
import type { AdminChannel } from '../admin-types.js';
import { ConfirmDialog, EditorTitle, Field, FormBanner, ListButton, LoadState, ReadOnlyNote, SaveBar, SectionHead, SplitView, useFormSubmit, useMessages, useResource } from '../admin-ui.js';
import { validateChannel } from '../admin-validation.js';
import { channelToForm, emptyChannelForm, formToSettings, type ChannelForm } from '../channel-form.js';

/** Channels of the campaign: created and changed by admins; the signing secret is shown once. */
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
                      {c.name} <span className="status-chip">{t(`kind.${c.kind === 'api' ? 'api' : 'other'}`)}</span>
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
  const { api, t, isAdmin, announce } = useAdmin();
  const [form, setForm] = useState<ChannelForm>(() => (channel ? channelToForm(channel) : emptyChannelForm()));
  const [rotating, setRotating] = useState(false);
  const submit = useFormSubmit();
  const problems = () => validateChannel(form);
  const messages = useMessages(submit.attempted, problems, submit.server);
  const webhook = channel ? `${window.location.origin}${channel.webhookPath}` : null;

  return (
    <form
      ref={submit.formRef}
      className="admin-form stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(problems(), async () => {
          const settings = formToSettings(form);
          const result = channel
            ? await api.updateChannel(channel.id, { name: form.name.trim(), enabled: form.enabled, settings })
            : await api.createChannel(campaignId, { kind: form.kind, name: form.name.trim(), settings });
          onSaved(result);
          announce(channel ? t('admin.saved') : t('admin.created', { name: result.name }));
        });
      }}
    >
      <EditorTitle text={channel ? t('channels.edit', { name: channel.name }) : t('channels.new')} />
      {!isAdmin && <ReadOnlyNote />}
      <FormBanner messages={messages} server={submit.server} claims={['name', 'kind', 'settings.callbackUrl', 'settings.callbackTimeoutMs']} />
      <fieldset disabled={!isAdmin} className="admin-plain-fieldset stack">
        <div className="admin-grid-2">
          <Field label={t('channels.kind')} hint={channel ? t('channels.kindFixed') : undefined} messages={messages['kind']}>
            {(a) => (
              <select {...a} value={form.kind} disabled={channel !== null} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
                {CHANNEL_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`kind.${k}`)}
                  </option>
                ))}
                {!(CHANNEL_KINDS as readonly string[]).includes(form.kind) && <option value={form.kind}>{form.kind}</option>}
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
              {(a) => <input {...a} type="url" value={form.callbackUrl} placeholder="https://" onChange={(e) => setForm({ ...form, callbackUrl: e.target.value })} />}
            </Field>
            <Field label={t('channels.callbackTimeoutMs')} hint={t('channels.callbackTimeoutHint')} messages={messages['settings.callbackTimeoutMs']}>
              {(a) => <input {...a} type="number" min={100} max={60000} step={100} value={form.callbackTimeoutMs} placeholder="10000" onChange={(e) => setForm({ ...form, callbackTimeoutMs: e.target.value })} />}
            </Field>
          </div>
        )}
        {webhook && (
          <div className="admin-card-inner">
            <p className="admin-label">{t('channels.webhook')}</p>
            <code className="admin-code">POST {webhook}</code>
            <p className="admin-hint">{t('channels.webhookHint')}</p>
          </div>
        )}
        {isAdmin && (
          <SaveBar busy={submit.busy} label={channel ? t('common.save') : t('common.create')}>
            {channel ? (
              <button type="button" className="btn btn-secondary" onClick={() => setRotating(true)}>
                {t('channels.rotate')}
              </button>
            ) : (
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
