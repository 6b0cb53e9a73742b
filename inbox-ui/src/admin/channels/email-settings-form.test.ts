import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTO_ACK_SUBJECT, DEFAULT_AUTO_ACK_TEXT, emailChannelSettingsSchema, renderEmailTemplate } from '../../../../connectors/email/email-channel.schema.js';
import { emailChannelAdapter } from '../../../../connectors/email/email-channel.adapter.js';
import {
  EMAIL_DEFAULTS,
  EMAIL_SECRET_NAMES,
  emailFormToSecrets,
  emailFormToSettings,
  emailSettingsToForm,
  emailWarnings,
  emptyEmailForm,
  isHostname,
  unknownAckVariables,
  validateEmailForm,
  type EmailSettingsForm,
} from './email-settings-form.js';

const keys = (problems: Record<string, { key: string }>) => Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, v.key]));
const filled = (patch: Partial<EmailSettingsForm> = {}): EmailSettingsForm => ({
  ...emptyEmailForm(),
  address: 'atencion@dependencia.gob.mx',
  imapHost: 'imap.dependencia.gob.mx',
  imapUser: 'atencion',
  smtpHost: 'smtp.dependencia.gob.mx',
  imapPassword: 'clave-imap',
  ...patch,
});

describe('e-mail settings form', () => {
  it('starts from the schema’s own defaults and names the adapter’s secrets', () => {
    const settings = emailFormToSettings(filled(), {});
    const defaults = emailChannelSettingsSchema.parse({ address: 'atencion@dependencia.gob.mx', imap: { host: 'imap.dependencia.gob.mx', user: 'atencion' }, smtp: { host: 'smtp.dependencia.gob.mx' } });
    // Every value the form writes is the schema's default; what it does not show (TLS certificate checks) the hub fills in.
    expect(defaults).toMatchObject(settings);
    expect(emailChannelSettingsSchema.parse(settings)).toEqual(defaults);
    expect([EMAIL_DEFAULTS.ackSubject, EMAIL_DEFAULTS.ackText]).toEqual([DEFAULT_AUTO_ACK_SUBJECT, DEFAULT_AUTO_ACK_TEXT]);
    expect(EMAIL_SECRET_NAMES).toEqual(emailChannelAdapter.secretNames);
  });

  it('keeps settings it does not show and drops optional ones the admin emptied', () => {
    const stored = emailChannelSettingsSchema.parse({
      address: 'quejas@dependencia.gob.mx',
      displayName: 'Quejas',
      imap: { host: 'imap.dependencia.gob.mx', port: 143, secure: false, user: 'quejas', rejectUnauthorized: false },
      smtp: { host: 'relay.dependencia.gob.mx', port: 25, user: 'quejas', rejectUnauthorized: false },
      messageIdDomain: 'ventanilla.dependencia.gob.mx',
      maxAttachmentBytes: 1024,
    });
    const form = emailSettingsToForm(stored);
    expect([form.imapPort, form.imapSecure, form.smtpPort, form.imapPassword, form.maxMb]).toEqual(['143', false, '25', '', '0']);
    expect(emailFormToSettings(form, stored)).toEqual(stored);

    const emptied = emailFormToSettings({ ...form, displayName: ' ', smtpUser: '' }, stored);
    expect(emptied).not.toHaveProperty('displayName');
    expect(emptied['smtp']).toEqual({ host: 'relay.dependencia.gob.mx', port: 25, secure: false, rejectUnauthorized: false });
    expect(emptied).toMatchObject({ messageIdDomain: 'ventanilla.dependencia.gob.mx', imap: { rejectUnauthorized: false }, maxAttachmentBytes: 1024 });
    expect(emailChannelSettingsSchema.safeParse(emptied).success).toBe(true);
  });

  it('sends only the passwords typed in this session', () => {
    expect(emailFormToSecrets(filled({ imapPassword: '', smtpPassword: '' }))).toBeUndefined();
    expect(emailFormToSecrets(filled({ imapPassword: 'a', smtpPassword: '' }))).toEqual({ imapPassword: 'a' });
    expect(emailFormToSecrets(filled({ imapPassword: '', smtpPassword: ' b ' }))).toEqual({ smtpPassword: ' b ' });
  });

  it('asks for the IMAP password, and the SMTP one when there is an SMTP user, unless the hub holds them', () => {
    const none = filled({ imapPassword: '', smtpUser: 'atencion' });
    expect(keys(validateEmailForm(none, []))).toEqual({ 'secrets.imapPassword': 'v.required', 'secrets.smtpPassword': 'v.required' });
    expect(validateEmailForm(none, ['imapPassword', 'smtpPassword'])).toEqual({});
    expect(validateEmailForm({ ...none, smtpUser: '' }, ['imapPassword'])).toEqual({});
    expect(keys(validateEmailForm(filled({ smtpPassword: 'x'.repeat(501) }), []))).toEqual({ 'secrets.smtpPassword': 'v.maxLength' });
  });

  it('checks ports, host names, the address and the acknowledgement like the schema', () => {
    const bad = filled({ address: 'atencion', imapHost: 'https://imap.x.mx', imapPort: '0', smtpPort: '70000', imapMailbox: '', ackSubject: '', maxMb: '60' });
    expect(keys(validateEmailForm(bad, []))).toEqual({
      'settings.address': 'v.email',
      'settings.imap.host': 'v.hostname',
      'settings.imap.port': 'v.range',
      'settings.imap.mailbox': 'v.required',
      'settings.smtp.port': 'v.range',
      'settings.autoAck.subject': 'v.required',
      'settings.maxAttachmentBytes': 'v.megabytes',
    });
    expect(keys(validateEmailForm(filled({ imapPort: '99.5', smtpPort: '' }), []))).toEqual({ 'settings.imap.port': 'v.integer', 'settings.smtp.port': 'v.required' });
    for (const host of ['imap.gob.mx', 'localhost', '127.0.0.1', 'mail-01.sat.gob.mx', '-x.mx', 'imap.gob.mx:993', 'imap gob.mx', 'imap..gob.mx', '']) {
      expect(isHostname(host), host).toBe(emailChannelSettingsSchema.shape.imap.shape.host.safeParse(host).success);
    }
    const accepted = [filled(), filled({ smtpSecure: true, smtpPort: '465', smtpUser: 'u', smtpPassword: 'p', displayName: 'Atención', maxMb: '50' })];
    for (const form of accepted) {
      expect(validateEmailForm(form, [])).toEqual({});
      expect(emailChannelSettingsSchema.safeParse(emailFormToSettings(form, {})).success).toBe(true);
    }
  });

  it('warns about variables the hub does not fill and a subject without the folio', () => {
    expect(unknownAckVariables('Hola {{ name }}, folio {{folio}}, {{nombre}} {{nombre}} {{curp}}')).toEqual(['nombre', 'curp']);
    expect(emailWarnings(filled())).toEqual({});
    const form = filled({ ackSubject: 'Recibido: {{asunto}}', ackText: 'Su folio es {{folio}}.' });
    expect(keys(emailWarnings(form))).toEqual({ 'settings.autoAck.subject': 'emailChannel.unknownVariables' });
    expect(keys(emailWarnings(filled({ ackSubject: 'Recibimos su correo' })))).toEqual({ 'settings.autoAck.subject': 'emailChannel.subjectWithoutFolio' });
    expect(emailWarnings(filled({ ackEnabled: false, ackSubject: 'Recibimos su correo' }))).toEqual({});
    // What the warning says is what the hub does: an unknown variable becomes empty.
    expect(renderEmailTemplate('Recibido: {{asunto}}', { folio: 'DH-1', name: '', subject: 'x' })).toBe('Recibido: ');
  });
});
