import { Icon } from '../../ui/icons.view.js';
import { useAdmin } from '../admin-context.js';
import { Field, FieldMessagesView } from '../admin-ui.js';
import { messagesAt, type FieldMessages } from '../form-problems.js';
import type { AdminMessageKey } from '../i18n/admin-messages.es-mx.js';
import { ACK_VARIABLES, EMAIL_LIMITS, type EmailSecretName, type EmailSettingsForm } from './email-settings-form.js';
import './channels.css';

/** Paths this editor shows next to a field; anything else the hub says goes to the form's banner. */
export const EMAIL_CLAIMS = [
  'settings.address',
  'settings.displayName',
  'settings.imap',
  'settings.smtp',
  'settings.autoAck',
  'settings.maxAttachmentBytes',
  'secrets.imapPassword',
  'secrets.smtpPassword',
];

const VARIABLE_HELP: Record<(typeof ACK_VARIABLES)[number], AdminMessageKey> = {
  folio: 'emailChannel.var.folio',
  name: 'emailChannel.var.name',
  subject: 'emailChannel.var.subject',
};

/**
 * A password the hub keeps and never returns: empty means "keep the stored one", so the field
 * says when one is stored instead of showing it.
 */
function PasswordField({ label, value, stored, messages, onChange }: { label: string; value: string; stored: boolean; messages: string[]; onChange(value: string): void }) {
  const { t } = useAdmin();
  return (
    <Field label={label} messages={messages} hint={stored ? t('emailChannel.passwordStoredHint') : t('emailChannel.passwordHint')}>
      {(a) => (
        <input
          {...a}
          type="password"
          autoComplete="new-password"
          value={value}
          maxLength={EMAIL_LIMITS.secret}
          placeholder={stored ? t('emailChannel.passwordStored') : ''}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** The mailbox: its address, IMAP to read it, SMTP to answer, the acknowledgement with the folio, attachment size. */
export function EmailSettingsEditor({
  form,
  messages,
  warnings,
  secretsSet,
  onChange,
}: {
  form: EmailSettingsForm;
  messages: FieldMessages;
  warnings: FieldMessages;
  secretsSet: readonly string[];
  onChange(form: EmailSettingsForm): void;
}) {
  const { t } = useAdmin();
  const set = (patch: Partial<EmailSettingsForm>) => onChange({ ...form, ...patch });
  const at = (path: string) => messagesAt(messages, path);
  const password = (name: EmailSecretName, label: string) => (
    <PasswordField
      label={label}
      value={form[name]}
      stored={secretsSet.includes(name)}
      messages={at(`secrets.${name}`)}
      onChange={(value) => set(name === 'imapPassword' ? { imapPassword: value } : { smtpPassword: value })}
    />
  );
  // A warning is the field's hint (described by it) rather than an error: it does not block a save.
  const warning = (path: string) => {
    const list = messagesAt(warnings, path);
    return list.length === 0 ? undefined : (
      <span className="admin-warning">
        <Icon name="alert" size={14} /> {list.join(' ')}
      </span>
    );
  };

  return (
    <>
      <fieldset className="admin-fieldset">
        <legend>{t('emailChannel.mailbox')}</legend>
        <div className="admin-grid-2">
          <Field label={t('emailChannel.address')} hint={t('emailChannel.addressHint')} messages={at('settings.address')}>
            {(a) => <input {...a} type="email" autoComplete="off" value={form.address} onChange={(e) => set({ address: e.target.value })} />}
          </Field>
          <Field label={t('emailChannel.displayName')} hint={t('emailChannel.displayNameHint')} messages={at('settings.displayName')}>
            {(a) => <input {...a} type="text" value={form.displayName} maxLength={EMAIL_LIMITS.displayName} onChange={(e) => set({ displayName: e.target.value })} />}
          </Field>
        </div>
      </fieldset>

      <fieldset className="admin-fieldset">
        <legend>{t('emailChannel.imap')}</legend>
        <p className="admin-hint">{t('emailChannel.imapHint')}</p>
        <div className="admin-grid-3">
          <Field label={t('emailChannel.imapHost')} messages={at('settings.imap.host')} className="channel-span-2">
            {(a) => <input {...a} type="text" spellCheck={false} value={form.imapHost} placeholder="imap.dependencia.gob.mx" onChange={(e) => set({ imapHost: e.target.value })} />}
          </Field>
          <Field label={t('emailChannel.imapPort')} hint={t('emailChannel.imapPortHint')} messages={at('settings.imap.port')}>
            {(a) => <input {...a} type="number" min={1} max={65535} step={1} value={form.imapPort} onChange={(e) => set({ imapPort: e.target.value })} />}
          </Field>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={form.imapSecure} onChange={(e) => set({ imapSecure: e.target.checked })} />
          {t('emailChannel.imapTls')}
        </label>
        <div className="admin-grid-2">
          <Field label={t('emailChannel.imapUser')} messages={at('settings.imap.user')}>
            {(a) => <input {...a} type="text" autoComplete="off" spellCheck={false} value={form.imapUser} maxLength={EMAIL_LIMITS.user} onChange={(e) => set({ imapUser: e.target.value })} />}
          </Field>
          {password('imapPassword', t('emailChannel.imapPassword'))}
        </div>
        <Field label={t('emailChannel.mailboxFolder')} hint={t('emailChannel.mailboxFolderHint')} messages={at('settings.imap.mailbox')} className="channel-narrow">
          {(a) => <input {...a} type="text" spellCheck={false} value={form.imapMailbox} maxLength={EMAIL_LIMITS.mailbox} onChange={(e) => set({ imapMailbox: e.target.value })} />}
        </Field>
      </fieldset>

      <fieldset className="admin-fieldset">
        <legend>{t('emailChannel.smtp')}</legend>
        <p className="admin-hint">{t('emailChannel.smtpHint')}</p>
        <div className="admin-grid-3">
          <Field label={t('emailChannel.smtpHost')} messages={at('settings.smtp.host')} className="channel-span-2">
            {(a) => <input {...a} type="text" spellCheck={false} value={form.smtpHost} placeholder="smtp.dependencia.gob.mx" onChange={(e) => set({ smtpHost: e.target.value })} />}
          </Field>
          <Field label={t('emailChannel.smtpPort')} hint={t('emailChannel.smtpPortHint')} messages={at('settings.smtp.port')}>
            {(a) => <input {...a} type="number" min={1} max={65535} step={1} value={form.smtpPort} onChange={(e) => set({ smtpPort: e.target.value })} />}
          </Field>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={form.smtpSecure} onChange={(e) => set({ smtpSecure: e.target.checked })} />
          {t('emailChannel.smtpTls')}
        </label>
        <div className="admin-grid-2">
          <Field label={t('emailChannel.smtpUser')} hint={t('emailChannel.smtpUserHint')} messages={at('settings.smtp.user')}>
            {(a) => <input {...a} type="text" autoComplete="off" spellCheck={false} value={form.smtpUser} maxLength={EMAIL_LIMITS.user} onChange={(e) => set({ smtpUser: e.target.value })} />}
          </Field>
          {password('smtpPassword', t('emailChannel.smtpPassword'))}
        </div>
      </fieldset>

      <fieldset className="admin-fieldset">
        <legend>{t('emailChannel.ack')}</legend>
        <label className="checkbox">
          <input type="checkbox" checked={form.ackEnabled} onChange={(e) => set({ ackEnabled: e.target.checked })} />
          {t('emailChannel.ackEnabled')}
        </label>
        <p className="admin-hint">{t('emailChannel.ackHint')}</p>
        <div className="admin-card-inner">
          <p className="admin-label">{t('emailChannel.variables')}</p>
          <dl className="channel-variables">
            {ACK_VARIABLES.map((v) => (
              <div key={v}>
                <dt>
                  <code>{`{{${v}}}`}</code>
                </dt>
                <dd>{t(VARIABLE_HELP[v])}</dd>
              </div>
            ))}
          </dl>
        </div>
        <Field label={t('emailChannel.ackSubject')} hint={warning('settings.autoAck.subject')} messages={at('settings.autoAck.subject')}>
          {(a) => <input {...a} type="text" value={form.ackSubject} maxLength={EMAIL_LIMITS.ackSubject} onChange={(e) => set({ ackSubject: e.target.value })} />}
        </Field>
        <Field label={t('emailChannel.ackText')} hint={warning('settings.autoAck.text')} messages={at('settings.autoAck.text')}>
          {(a) => <textarea {...a} rows={7} value={form.ackText} maxLength={EMAIL_LIMITS.ackText} onChange={(e) => set({ ackText: e.target.value })} />}
        </Field>
        <FieldMessagesView messages={at('settings.autoAck')} />
      </fieldset>

      <fieldset className="admin-fieldset">
        <legend>{t('emailChannel.attachments')}</legend>
        <Field label={t('emailChannel.maxMb')} hint={t('emailChannel.maxMbHint', { max: EMAIL_LIMITS.maxBytes.max / (1024 * 1024) })} messages={at('settings.maxAttachmentBytes')} className="channel-narrow">
          {(a) => <input {...a} type="text" inputMode="decimal" value={form.maxMb} onChange={(e) => set({ maxMb: e.target.value })} />}
        </Field>
      </fieldset>
    </>
  );
}
