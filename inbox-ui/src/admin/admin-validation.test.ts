import { describe, expect, it } from 'vitest';
import { apiChannelSettingsSchema } from '../../../connectors/api/api-channel.schema.js';
import type { AdminChannel } from './admin-types.js';
import { isHttpUrl, parseTags, toSkillName, validateAgentSkills, validateCampaign, validateCanned, validateCapacity, validateChannel, validateKb, validateSkillName, validateUser } from './admin-validation.js';
import { channelToForm, emptyChannelForm, formToSettings } from './channel-form.js';

const keys = (problems: Record<string, { key: string }>) => Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, v.key]));
const known = () => true;

describe('small forms', () => {
  it('campaigns: slug, folio prefix, name and zone', () => {
    expect(validateCampaign({ slug: 'derechohabientes', name: 'Derechohabientes', folioPrefix: 'DHE', timeZone: 'America/Mexico_City' }, known, true)).toEqual({});
    expect(keys(validateCampaign({ slug: '-x', name: 'D', folioPrefix: 'dhe', timeZone: '' }, known, true))).toEqual({ slug: 'v.slug', name: 'v.minLength', folioPrefix: 'v.folioPrefix', timeZone: 'v.required' });
    expect(validateCampaign({ slug: '', name: 'Nombre', folioPrefix: '', timeZone: 'X' }, known, false)).toEqual({});
  });

  it('channels (API): name, callback URL and timeout, other settings kept', () => {
    const api = (name: string, callbackUrl: string, callbackTimeoutMs: string) => ({ ...emptyChannelForm('api'), name, api: { callbackUrl, callbackTimeoutMs } });
    expect(keys(validateChannel(api('P', 'ftp://x', '50')))).toEqual({ name: 'v.minLength', 'settings.callbackUrl': 'v.url', 'settings.callbackTimeoutMs': 'v.range' });
    expect(validateChannel(api('Portal', '', ''))).toEqual({});
    expect([isHttpUrl('https://a.mx/cb'), isHttpUrl('a.mx'), isHttpUrl('javascript:alert(1)')]).toEqual([true, false, false]);
    const channel: AdminChannel = {
      id: 'c',
      campaignId: 'k',
      kind: 'api',
      name: 'Portal',
      enabled: true,
      settings: { callbackUrl: 'https://a.mx/cb', callbackTimeoutMs: 5000, queueId: 'q' },
      webhookPath: '/webhooks/api/c',
      secretNames: ['signingSecret'],
      secretsSet: ['signingSecret'],
      secretSource: 'generated',
    };
    const form = channelToForm(channel);
    expect(formToSettings(form)).toEqual(channel.settings);
    expect(formToSettings({ ...form, api: { callbackUrl: ' ', callbackTimeoutMs: '' } })).toEqual({ queueId: 'q' });
    expect(apiChannelSettingsSchema.safeParse(formToSettings(api('Portal', 'https://a.mx/cb', '2000'))).success).toBe(true);
  });

  it('channels (web chat, e-mail): the kind decides which fields are checked', () => {
    const webchat = { ...emptyChannelForm('webchat'), name: 'Chat del portal' };
    expect(keys(validateChannel(webchat))).toEqual({ 'settings.allowedOrigins': 'v.originsRequired' });
    expect(validateChannel({ ...webchat, webchat: { ...webchat.webchat, origins: 'https://www.gob.mx' } })).toEqual({});
    const email = { ...emptyChannelForm('email'), name: 'Correo' };
    expect(Object.keys(validateChannel(email)).sort()).toEqual(['secrets.imapPassword', 'settings.address', 'settings.imap.host', 'settings.imap.user', 'settings.smtp.host']);
    // A stored IMAP password satisfies the form; the API fields are not looked at for other kinds.
    expect(Object.keys(validateChannel({ ...email, api: { callbackUrl: 'ftp://x', callbackTimeoutMs: '1' } }, ['imapPassword']))).not.toContain('secrets.imapPassword');
    expect(Object.keys(validateChannel({ ...email, api: { callbackUrl: 'ftp://x', callbackTimeoutMs: '1' } }))).not.toContain('settings.callbackUrl');
  });

  it('skills: the hub’s name pattern, duplicates, and a suggestion from a label', () => {
    expect(validateSkillName('segundo_nivel', ['pensiones'])).toEqual({});
    expect(keys(validateSkillName('Pensiones', []))).toEqual({ name: 'v.skillName' });
    expect(keys(validateSkillName('pensiones', ['pensiones']))).toEqual({ name: 'v.duplicate' });
    expect(toSkillName('Atención a Pensiones (IMSS)')).toBe('atencion_a_pensiones_imss');
  });

  it('users: email, password length, name and roles on create; name and roles on edit', () => {
    expect(keys(validateUser({ email: 'no', displayName: ' ', password: 'corta', roles: [] }, true))).toEqual({ email: 'v.email', password: 'v.minLength', displayName: 'v.required', roles: 'v.roles' });
    expect(validateUser({ email: '', displayName: 'Ana', password: '', roles: ['agent'] }, false)).toEqual({});
  });

  it('agents: capacity overrides within the campaign ranges (empty = default) and skill levels 1–5', () => {
    expect(keys(validateCapacity({ text: '11', voice: '', email: '0' }))).toEqual({ text: 'v.range' });
    expect(keys(validateAgentSkills({ s1: '3', s2: '', s3: '6' }))).toEqual({ 'skills.s3': 'v.range' });
  });

  it('canned responses: shortcut pattern, duplicates and the variables the composer fills', () => {
    expect(validateCanned({ shortcut: 'saludo', title: 'Saludo', body: 'Hola {{contact.firstName}}, su folio es {{folio}}.' }, [])).toEqual({});
    expect(keys(validateCanned({ shortcut: 'Saludo!', title: '', body: 'Hola {{nombre}}' }, []))).toEqual({ shortcut: 'v.shortcut', title: 'v.required', body: 'v.cannedUnknown' });
    expect(validateCanned({ shortcut: 'a-b', title: 't', body: 'Hola {{folio' }, [])['body']?.key).toBe('v.cannedUnclosed');
    expect(validateCanned({ shortcut: 'saludo', title: 't', body: 'b' }, ['saludo'])['shortcut']?.key).toBe('v.duplicate');
  });

  it('KB articles: lengths and tags', () => {
    expect(parseTags('trámite, Pensión,  pensión, , IMSS')).toEqual(['trámite', 'Pensión', 'IMSS']);
    expect(keys(validateKb({ title: '', body: 'x', topic: '', tags: 'x'.repeat(41) }))).toEqual({ title: 'v.required', topic: 'v.required', tags: 'v.tagLength' });
  });
});
