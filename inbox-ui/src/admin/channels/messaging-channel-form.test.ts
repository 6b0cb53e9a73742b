import { describe, expect, it } from 'vitest';
import { metaChannelAdapter } from '../../../../connectors/meta/meta-channel.adapter.js';
import { metaChannelSettingsSchema } from '../../../../connectors/meta/meta-channel.schema.js';
import { smsChannelAdapter } from '../../../../connectors/sms/sms-channel.adapter.js';
import { smsChannelSettingsSchema } from '../../../../connectors/sms/sms-channel.schema.js';
import { whatsappWebChannelSettingsSchema } from '../../../../connectors/whatsapp-web/whatsapp-web-channel.schema.js';
import { xChannelAdapter } from '../../../../connectors/x/x-channel.adapter.js';
import { xChannelSettingsSchema } from '../../../../connectors/x/x-channel.schema.js';
import type { AdminChannel } from '../admin-types.js';
import { channelToForm, channelWarnings, emptyChannelForm, formToSecrets, formToSettings, messagingProblems } from '../channel-form.js';
import { META_SECRET_NAMES } from './meta-settings-form.js';
import { SMS_SECRET_NAMES } from './sms-settings-form.js';
import { X_SECRET_NAMES } from './x-settings-form.js';

const keys = (problems: Record<string, { key: string }>) => Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, v.key]));
const channel = (kind: string, settings: Record<string, unknown>, secretsSet: string[] = []): AdminChannel => ({
  id: '0b8f7a3e-6d5c-4f0e-9d1a-2b3c4d5e6f70',
  campaignId: 'c',
  kind,
  name: 'Canal',
  enabled: true,
  settings,
  webhookPath: `/webhooks/${kind}/0b8f7a3e-6d5c-4f0e-9d1a-2b3c4d5e6f70`,
  secretNames: [],
  secretsSet,
  secretSource: 'provided',
});
const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
const SERVICE_SID = `MG${'b2'.repeat(16)}`;

describe('messaging channel forms', () => {
  it('name the secrets each adapter asks the admin for', () => {
    expect(SMS_SECRET_NAMES).toEqual(smsChannelAdapter.secretNames);
    expect(META_SECRET_NAMES).toEqual(metaChannelAdapter.secretNames);
    expect(X_SECRET_NAMES).toEqual(xChannelAdapter.secretNames);
  });

  it('SMS: writes what the schema accepts, with a sender number or a service, and drops emptied optionals', () => {
    const form = emptyChannelForm('sms');
    const sms = { ...form.messaging.sms, accountSid: ACCOUNT_SID, from: '+52 55 1234 5678' };
    const settings = formToSettings({ ...form, messaging: { ...form.messaging, sms } });
    expect(smsChannelSettingsSchema.parse(settings)).toEqual({ accountSid: ACCOUNT_SID, from: '+525512345678', statusCallback: true });
    expect(keys(messagingProblems({ ...form, messaging: { ...form.messaging, sms } }, ['authToken']))).toEqual({});

    const stored = smsChannelSettingsSchema.parse({ accountSid: ACCOUNT_SID, messagingServiceSid: SERVICE_SID, webhookBaseUrl: 'https://ventanilla.gob.mx', maxSendsPerSecond: 10, statusCallback: false });
    const edited = channelToForm(channel('sms', stored, ['authToken']));
    expect(formToSettings(edited)).toEqual(stored);
    const emptied = formToSettings({ ...edited, messaging: { ...edited.messaging, sms: { ...edited.messaging.sms, webhookBaseUrl: '', maxSendsPerSecond: '' } } });
    expect(emptied).toEqual({ accountSid: ACCOUNT_SID, messagingServiceSid: SERVICE_SID, statusCallback: false });
  });

  it('SMS: asks for a sender, well-formed SIDs and the auth token', () => {
    const form = emptyChannelForm('sms');
    const sms = { ...form.messaging.sms, accountSid: 'AC123', messagingServiceSid: 'MG1' };
    expect(keys(messagingProblems({ ...form, messaging: { ...form.messaging, sms } }, []))).toEqual({
      'settings.accountSid': 'v.twilioAccountSid',
      'settings.messagingServiceSid': 'v.twilioServiceSid',
      'secrets.authToken': 'v.required',
    });
    const noSender = { ...sms, accountSid: ACCOUNT_SID, messagingServiceSid: '' };
    expect(keys(messagingProblems({ ...form, messaging: { ...form.messaging, sms: noSender } }, ['authToken']))).toEqual({ 'settings.from': 'v.smsSender' });
    expect(smsChannelSettingsSchema.safeParse(formToSettings({ ...form, messaging: { ...form.messaging, sms: noSender } })).success).toBe(false);
  });

  it('Meta: Page, optional Instagram account, the human-agent tag; round-trips the stored settings', () => {
    const form = emptyChannelForm('meta');
    const meta = { ...form.messaging.meta, pageId: '104938475610293', instagramAccountId: '17841400000000000' };
    const settings = formToSettings({ ...form, messaging: { ...form.messaging, meta } });
    expect(metaChannelSettingsSchema.parse(settings)).toEqual(metaChannelSettingsSchema.parse({ pageId: '104938475610293', instagramAccountId: '17841400000000000' }));
    const stored = metaChannelSettingsSchema.parse({ pageId: '104938475610293', humanAgentTag: false, sendTimeoutMs: 5000 });
    expect(formToSettings(channelToForm(channel('meta', stored)))).toEqual(stored);
    expect(keys(messagingProblems({ ...form, messaging: { ...form.messaging, meta: { ...meta, pageId: 'mi-pagina', sendTimeoutMs: '50' } } }, ['pageAccessToken', 'appSecret']))).toEqual({
      'settings.pageId': 'v.graphId',
      'settings.sendTimeoutMs': 'v.range',
      'secrets.verifyToken': 'v.required',
    });
  });

  it('X: the account id stays a string of digits (64-bit ids lose precision as numbers)', () => {
    const form = emptyChannelForm('x');
    const x = { ...form.messaging.x, accountId: '1456789012345678901' };
    const settings = formToSettings({ ...form, messaging: { ...form.messaging, x } });
    expect(xChannelSettingsSchema.parse(settings)).toEqual({ accountId: '1456789012345678901', apiBaseUrl: 'https://api.x.com', sendTimeoutMs: 10_000 });
    expect(keys(messagingProblems({ ...form, messaging: { ...form.messaging, x: { ...x, accountId: '@gobmx' } } }, []))).toEqual({
      'settings.accountId': 'v.xUserId',
      'secrets.consumerSecret': 'v.required',
      'secrets.userAccessToken': 'v.required',
    });
  });

  it('WhatsApp Web: one switch, no secrets', () => {
    const form = channelToForm(channel('whatsapp_web', { acceptGroups: true }));
    expect(whatsappWebChannelSettingsSchema.parse(formToSettings(form))).toEqual({ acceptGroups: true });
    expect(formToSecrets(form)).toBeUndefined();
    expect(messagingProblems(form, [])).toEqual({});
  });

  it('sends only the credentials typed in this session, for the channel’s own kind', () => {
    const form = emptyChannelForm('whatsapp');
    const typed = { ...form, messaging: { ...form.messaging, whatsapp: { ...form.messaging.whatsapp, secrets: { accessToken: ' EAAG123 ', appSecret: '', verifyToken: '' } } } };
    expect(formToSecrets(typed)).toEqual({ accessToken: 'EAAG123' });
    expect(formToSecrets({ ...typed, kind: 'meta' })).toBeUndefined();
    expect(formToSecrets(channelToForm(channel('whatsapp', { phoneNumberId: '1' }, ['accessToken'])))).toBeUndefined();
  });

  it('warns through the channel form about template bodies that skip a number', () => {
    const form = emptyChannelForm('whatsapp');
    const whatsapp = { ...form.messaging.whatsapp, templates: [{ name: 'aviso', language: 'es_MX', category: 'utility' as const, body: '{{2}}' }] };
    expect(Object.keys(channelWarnings({ ...form, messaging: { ...form.messaging, whatsapp } }))).toEqual(['settings.templates.0.body']);
  });
});
