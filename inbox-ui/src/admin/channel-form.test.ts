import { describe, expect, it } from 'vitest';
import type { AdminChannel } from './admin-types.js';
import { channelToForm, channelWarnings, emptyChannelForm, formToSecrets, formToSettings } from './channel-form.js';

const channel = (kind: string, settings: Record<string, unknown>): AdminChannel => ({
  id: '0b8f7a3e-6d5c-4f0e-9d1a-2b3c4d5e6f70',
  campaignId: 'c',
  kind,
  name: 'Canal',
  enabled: true,
  settings,
  webhookPath: `/webhooks/${kind}/x`,
  secretNames: [],
  secretsSet: [],
  secretSource: 'generated',
});

describe('channel form', () => {
  it('writes the fields of the chosen kind only, and a new form keeps every kind’s fields while switching', () => {
    const form = emptyChannelForm();
    const edited = { ...form, api: { callbackUrl: 'https://crm.mx/cb', callbackTimeoutMs: '' }, webchat: { ...form.webchat, origins: 'https://www.gob.mx' } };
    expect(formToSettings(edited)).toEqual({ callbackUrl: 'https://crm.mx/cb' });
    const asWebchat = formToSettings({ ...edited, kind: 'webchat' });
    expect(asWebchat).toMatchObject({ allowedOrigins: ['https://www.gob.mx'], title: 'Atención ciudadana' });
    expect(asWebchat).not.toHaveProperty('callbackUrl');
    expect(formToSettings({ ...edited, kind: 'webchat' })).toEqual(asWebchat);
    expect(formToSettings({ ...edited, kind: 'api' })).toEqual({ callbackUrl: 'https://crm.mx/cb' });
  });

  it('returns the settings of a kind it does not know untouched', () => {
    const settings = { token: 'x', nested: { a: 1 } };
    expect(formToSettings(channelToForm(channel('telegram', settings)))).toEqual(settings);
  });

  it('sends typed passwords for e-mail channels only', () => {
    const form = emptyChannelForm('email');
    const typed = { ...form, email: { ...form.email, imapPassword: 'clave' } };
    expect(formToSecrets(typed)).toEqual({ imapPassword: 'clave' });
    expect(formToSecrets({ ...typed, kind: 'webchat' })).toBeUndefined();
    expect(formToSecrets(channelToForm(channel('email', { address: 'a@b.mx' })))).toBeUndefined();
  });

  it('asks the kind for its warnings', () => {
    const form = emptyChannelForm('webchat');
    const low = { ...form, webchat: { ...form.webchat, primary: '#ffffff', onPrimary: '#eeeeee' } };
    expect(Object.keys(channelWarnings(low))).toEqual(['settings.colors.onPrimary']);
    expect(channelWarnings({ ...low, kind: 'api' })).toEqual({});
    const email = emptyChannelForm('email');
    expect(Object.keys(channelWarnings({ ...email, email: { ...email.email, ackText: '{{curp}}' } }))).toEqual(['settings.autoAck.text']);
  });
});
