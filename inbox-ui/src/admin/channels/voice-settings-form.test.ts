import { describe, expect, it } from 'vitest';
import { voiceChannelAdapter } from '../../../../connectors/voice/voice-channel.adapter.js';
import { voiceChannelSettingsSchema } from '../../../../connectors/voice/voice-channel.schema.js';
import { SECRET_MAX_LENGTH } from '../../../../hub/src/campaigns/channel-secrets.js';
import type { AdminChannel } from '../admin-types.js';
import { channelToForm, channelWarnings, emptyChannelForm, formToSecrets, formToSettings, voiceProblems, type ChannelForm } from '../channel-form.js';
import { adminTranslator } from '../i18n/admin-i18n.js';
import { HUB_SECRET_MAX, VOICE_RANGES, VOICE_SECRET_NAMES, type VoiceSettingsForm } from './voice-settings-form.js';

const keys = (problems: Record<string, { key: string }>) => Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, v.key]));
const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
const APP_SID = `AP${'b2'.repeat(16)}`;
const KEY_SID = `SK${'c3'.repeat(16)}`;
const QUEUE_ID = '6f1c1d56-2f35-4a8e-9a51-4d0c8f1f6b11';
const channel = (settings: Record<string, unknown>, secretsSet: string[] = []): AdminChannel => ({
  id: '0b8f7a3e-6d5c-4f0e-9d1a-2b3c4d5e6f70',
  campaignId: 'c',
  kind: 'voice',
  name: 'Línea 800',
  enabled: true,
  settings,
  webhookPath: '/webhooks/voice/0b8f7a3e-6d5c-4f0e-9d1a-2b3c4d5e6f70',
  secretNames: ['authToken', 'apiKeySecret'],
  secretsSet,
  secretSource: 'provided',
});
const withVoice = (form: ChannelForm, patch: Partial<VoiceSettingsForm>): ChannelForm => ({ ...form, voice: { ...form.voice, ...patch } });

describe('voice channel form', () => {
  it('names the secrets the adapter asks the admin for', () => {
    expect(VOICE_SECRET_NAMES).toEqual(voiceChannelAdapter.secretNames);
    expect(voiceChannelAdapter.secretSource).toBe('provided');
  });

  it('mirrors the schema’s ranges and defaults', () => {
    const defaults = voiceChannelSettingsSchema.parse({ accountSid: ACCOUNT_SID, callerId: '+525512345678' });
    for (const [field, { min, max, default: value }] of Object.entries(VOICE_RANGES)) {
      expect(new Map(Object.entries(defaults)).get(field), field).toBe(value);
      const parse = (n: number) => voiceChannelSettingsSchema.safeParse({ ...defaults, [field]: n }).success;
      expect([parse(min), parse(max), parse(min - 1), parse(max + 1)], field).toEqual([true, true, false, false]);
    }
  });

  it('a new channel writes what the schema accepts, with the defaults shown and the number compacted', () => {
    const form = withVoice(emptyChannelForm('voice'), { accountSid: ACCOUNT_SID, callerId: '+52 (55) 1234-5678' });
    expect(form.voice.agentRingSeconds).toBe('20');
    const settings = formToSettings(form);
    expect(voiceChannelSettingsSchema.parse(settings)).toEqual(voiceChannelSettingsSchema.parse({ accountSid: ACCOUNT_SID, callerId: '+525512345678' }));
    expect(settings).not.toHaveProperty('queueId');
    expect(keys(voiceProblems(form, ['authToken']))).toEqual({});
  });

  it('round-trips stored settings and drops emptied optionals; going back to the default queue sends null', () => {
    const stored = voiceChannelSettingsSchema.parse({
      accountSid: ACCOUNT_SID,
      callerId: '+525512345678',
      webhookBaseUrl: 'https://ventanilla.gob.mx',
      apiBaseUrl: 'http://127.0.0.1:4010',
      queueId: QUEUE_ID,
      recording: false,
      agentEndpoint: 'sip',
      agentRingSeconds: 30,
      voicemailOutsideHours: false,
      voicemailMaxSeconds: 300,
      survey: false,
      callbackMaxAttempts: 5,
      callbackRetryMinutes: 60,
      twimlAppSid: APP_SID,
      apiKeySid: KEY_SID,
    });
    const edited = channelToForm(channel(stored, ['authToken']));
    expect(formToSettings(edited)).toEqual(stored);
    const emptied = formToSettings(withVoice(edited, { webhookBaseUrl: '', apiBaseUrl: ' ', twimlAppSid: '', apiKeySid: '', agentRingSeconds: '', queueId: '' }));
    const { webhookBaseUrl: _w, apiBaseUrl: _a, twimlAppSid: _t, apiKeySid: _k, agentRingSeconds: _r, queueId: _q, ...rest } = stored;
    expect(emptied).toEqual({ ...rest, queueId: null });
    // The hub turns queueId: null into "no queue of its own" before the adapter's schema reads it.
    const { queueId: _null, ...forSchema } = emptied;
    expect(voiceChannelSettingsSchema.parse(forSchema)).toEqual({ ...rest, agentRingSeconds: 20 });
  });

  it('refuses what the schema refuses, with Spanish messages', () => {
    const form = withVoice(emptyChannelForm('voice'), {
      accountSid: 'AC123',
      callerId: '5512345678',
      webhookBaseUrl: 'ventanilla.gob.mx',
      queueId: 'fila-1',
      agentRingSeconds: '3',
      voicemailMaxSeconds: '10.5',
      callbackMaxAttempts: '11',
      callbackRetryMinutes: '0',
      twimlAppSid: 'AP1',
      apiKeySid: 'SK1',
    });
    const problems = voiceProblems(form, []);
    expect(keys(problems)).toEqual({
      'settings.accountSid': 'v.twilioAccountSid',
      'settings.callerId': 'v.e164',
      'settings.webhookBaseUrl': 'v.url',
      'settings.queueId': 'v.unknownQueue',
      'settings.agentRingSeconds': 'v.range',
      'settings.voicemailMaxSeconds': 'v.integer',
      'settings.callbackMaxAttempts': 'v.range',
      'settings.callbackRetryMinutes': 'v.range',
      'settings.twimlAppSid': 'v.twimlAppSid',
      'settings.apiKeySid': 'v.twilioApiKeySid',
      'secrets.authToken': 'v.required',
    });
    // Every field the browser flags, the hub's schema flags too.
    const refused = voiceChannelSettingsSchema.safeParse(formToSettings(form));
    const schemaPaths = new Set(refused.error?.issues.map((i) => `settings.${i.path.join('.')}`));
    for (const path of Object.keys(problems).filter((p) => p.startsWith('settings.') && p !== 'settings.voicemailMaxSeconds')) expect(schemaPaths, path).toContain(path);
    const t = adminTranslator('es-MX');
    expect(t(problems['settings.callerId']!.key)).toBe('Número en formato internacional E.164, por ejemplo +525512345678.');
    expect(t(problems['settings.agentRingSeconds']!.key, problems['settings.agentRingSeconds']!.values)).toBe('Debe estar entre 5 y 60.');
    expect(keys(voiceProblems({ ...form, kind: 'sms' }, []))).toEqual({});
  });

  it('sends only the secrets typed in this session; a stored auth token is enough', () => {
    const form = emptyChannelForm('voice');
    expect(formToSecrets(withVoice(form, { secrets: { authToken: ' tok3n ', apiKeySecret: '' } }))).toEqual({ authToken: 'tok3n' });
    expect(formToSecrets(channelToForm(channel({ accountSid: ACCOUNT_SID }, ['authToken'])))).toBeUndefined();
    const valid = withVoice(form, { accountSid: ACCOUNT_SID, callerId: '+525512345678' });
    expect(keys(voiceProblems(valid, ['authToken']))).toEqual({});
    expect(keys(voiceProblems(valid, []))).toEqual({ 'secrets.authToken': 'v.required' });
    // The hub stores at most SECRET_MAX_LENGTH characters: longer is refused here, in Spanish.
    expect(HUB_SECRET_MAX).toBe(SECRET_MAX_LENGTH);
    const long = withVoice(valid, { secrets: { authToken: 'x'.repeat(HUB_SECRET_MAX + 1), apiKeySecret: 'y'.repeat(HUB_SECRET_MAX) } });
    expect(voiceProblems(long, [])).toEqual({ 'secrets.authToken': { key: 'v.maxLength', values: { max: HUB_SECRET_MAX } } });
  });

  it('warns when the browser softphone lacks its TwiML App or API key', () => {
    const form = withVoice(emptyChannelForm('voice'), { accountSid: ACCOUNT_SID, callerId: '+525512345678' });
    const warning = channelWarnings(form);
    expect(keys(warning)).toEqual({ 'settings.agentEndpoint': 'voiceChannel.softphoneMissing' });
    expect(warning['settings.agentEndpoint']?.values).toEqual({ names: 'TwiML App SID, API Key SID, API Key Secret' });
    const complete = withVoice(form, { twimlAppSid: APP_SID, apiKeySid: KEY_SID });
    expect(channelWarnings(complete, ['apiKeySecret'])).toEqual({});
    expect(channelWarnings(withVoice(form, { agentEndpoint: 'phone' }))).toEqual({});
  });
});
