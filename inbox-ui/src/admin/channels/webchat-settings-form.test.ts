import { describe, expect, it } from 'vitest';
import { DEFAULT_WIDGET_ACCEPT, PRECHAT_FIELD_NAMES as SCHEMA_FIELDS, webchatChannelSettingsSchema } from '../../../../connectors/webchat/webchat-channel.schema.js';
import {
  emptyWebchatForm,
  formatRatio,
  headerContrast,
  isOrigin,
  parseOrigins,
  PRECHAT_FIELD_NAMES,
  validateWebchatForm,
  WEBCHAT_DEFAULTS,
  webchatFormToSettings,
  webchatSettingsToForm,
  webchatWarnings,
  type WebchatSettingsForm,
} from './webchat-settings-form.js';

const keys = (problems: Record<string, { key: string }>) => Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, v.key]));
const filled = (patch: Partial<WebchatSettingsForm> = {}): WebchatSettingsForm => ({ ...emptyWebchatForm(), origins: 'https://www.gob.mx', ...patch });
const hubAccepts = (form: WebchatSettingsForm) => webchatChannelSettingsSchema.safeParse(webchatFormToSettings(form, {})).success;

describe('web chat settings form', () => {
  it('starts from the schema’s own defaults', () => {
    const settings = webchatFormToSettings(filled(), {});
    expect(settings).toEqual(webchatChannelSettingsSchema.parse({ allowedOrigins: ['https://www.gob.mx'] }));
    expect(WEBCHAT_DEFAULTS.accept).toEqual(DEFAULT_WIDGET_ACCEPT);
    expect(PRECHAT_FIELD_NAMES).toEqual(SCHEMA_FIELDS);
  });

  it('checks origins with the schema’s rule', () => {
    const samples = ['https://www.gob.mx', 'http://localhost:8080', 'https://www.gob.mx/', 'https://www.gob.mx/tramites', 'https://*.gob.mx', 'www.gob.mx', 'ftp://gob.mx', 'HTTPS://WWW.GOB.MX', 'https://gob.mx:443'];
    for (const origin of samples) {
      expect(isOrigin(origin), origin).toBe(webchatChannelSettingsSchema.safeParse({ allowedOrigins: [origin] }).success);
    }
    expect(parseOrigins(' https://a.mx \n\n https://b.mx\r\nhttps://a.mx ')).toEqual(['https://a.mx', 'https://b.mx']);
  });

  it('marks each bad origin by its index in what is sent, as the hub does', () => {
    const form = filled({ origins: 'https://www.gob.mx\n\nhttps://www.gob.mx/tramites\nhttp://localhost:5173' });
    expect(keys(validateWebchatForm(form))).toEqual({ 'settings.allowedOrigins.1': 'v.origin' });
    expect(validateWebchatForm(form)['settings.allowedOrigins.1']?.values).toEqual({ value: 'https://www.gob.mx/tramites' });
    const hub = webchatChannelSettingsSchema.safeParse(webchatFormToSettings(form, {}));
    expect(hub.success ? [] : hub.error.issues.map((i) => i.path.join('.'))).toEqual(['allowedOrigins.1']);
    expect(keys(validateWebchatForm(filled({ origins: '  \n ' })))).toEqual({ 'settings.allowedOrigins': 'v.originsRequired' });
  });

  it('keeps stored keys it does not show, at every level, and reads back what it wrote', () => {
    const stored = {
      ...webchatChannelSettingsSchema.parse({ allowedOrigins: ['https://www.imss.gob.mx'], prechat: { fields: [{ name: 'topic', required: true }, { name: 'name', required: false }], topics: [{ id: 'pensiones', label: 'Pensiones' }] } }),
      idleCloseMinutes: 30,
      queueId: '6f1c1d56-2f35-4a8e-9a51-4d0c8f1f6b11',
    };
    const form = webchatSettingsToForm(stored);
    expect(form.prechat.map((f) => [f.name, f.ask, f.required])).toEqual([
      ['topic', true, true],
      ['name', true, false],
      ['email', false, false],
      ['phone', false, false],
    ]);
    expect(webchatFormToSettings(form, stored)).toEqual(stored);

    const changed = webchatFormToSettings(
      { ...form, prechat: form.prechat.map((f) => (f.name === 'topic' ? { ...f, ask: false, required: false } : f)), primary: '#611232', maxMb: '2.5', captcha: 'none' },
      stored,
    );
    expect(changed).toMatchObject({ idleCloseMinutes: 30, colors: { primary: '#611232', onPrimary: '#ffffff' }, prechat: { fields: [{ name: 'name', required: false }] }, captcha: { kind: 'none', difficulty: 16 } });
    expect(changed['attachments']).toMatchObject({ maxBytes: 2.5 * 1024 * 1024 });
  });

  it('keeps a stored size the MB field cannot show exactly while it is untouched', () => {
    const stored = webchatChannelSettingsSchema.parse({ allowedOrigins: ['https://a.mx'], attachments: { maxBytes: 1024 } });
    const form = webchatSettingsToForm(stored);
    expect(form.maxMb).toBe('0');
    expect(validateWebchatForm(form)).toEqual({});
    expect(webchatFormToSettings(form, stored)['attachments']).toMatchObject({ maxBytes: 1024 });
    expect(keys(validateWebchatForm({ ...form, maxMb: '0' }))).toEqual({});
    expect(keys(validateWebchatForm({ ...form, maxMb: '51' }))).toEqual({ 'settings.attachments.maxBytes': 'v.megabytes' });
    expect(keys(validateWebchatForm({ ...form, maxMb: 'cinco' }))).toEqual({ 'settings.attachments.maxBytes': 'v.megabytes' });
  });

  it('flags what the hub would refuse, and only that', () => {
    const bad = filled({
      title: ' ',
      primary: 'verde',
      onPrimary: '#fff',
      topics: [
        { id: 'pensiones', label: 'Pensiones' },
        { id: 'pensiones', label: 'Otra' },
        { id: '', label: 'Sin id' },
      ],
      closedMessage: 'x'.repeat(1001),
      difficulty: '30',
      accept: 'application/pdf, pdf',
    });
    expect(keys(validateWebchatForm(bad))).toEqual({
      'settings.title': 'v.required',
      'settings.colors.primary': 'v.hexColor',
      'settings.colors.onPrimary': 'v.hexColor',
      'settings.prechat.topics.1.id': 'v.duplicate',
      'settings.prechat.topics.2.id': 'v.required',
      'settings.closedMessage': 'v.maxLength',
      'settings.captcha.difficulty': 'v.range',
      'settings.attachments.accept': 'v.mimeType',
    });
    // The CAPTCHA off hides the difficulty: a bad value there blocks nothing and keeps the stored one.
    expect(validateWebchatForm(filled({ captcha: 'none', difficulty: '99' }))).toEqual({});
    expect(webchatFormToSettings(filled({ captcha: 'none', difficulty: '99' }), { captcha: { kind: 'pow', difficulty: 12 } })['captcha']).toEqual({ kind: 'none', difficulty: 12 });

    // Whatever the form accepts, the hub accepts; what the form refuses (schema-wise), the hub refuses.
    const variants: Partial<WebchatSettingsForm>[] = [
      {},
      { title: 'x'.repeat(81) },
      { primary: '#0B5C4C', onPrimary: '#000000', locale: 'en', position: 'bottom-left' },
      { topics: [{ id: 'a', label: 'A' }] },
      { topics: [{ id: 'a', label: 'A' }, { id: 'a', label: 'B' }] },
      { difficulty: '8' },
      { difficulty: '7' },
      { maxMb: '50' },
      { maxMb: '50.01' },
      { accept: '' },
      { origins: 'https://a.mx\nhttp://b.mx:8080' },
    ];
    for (const v of variants) expect(Object.keys(validateWebchatForm(filled(v))).length === 0, JSON.stringify(v)).toBe(hubAccepts(filled(v)));
  });

  it('shows the header contrast and warns below 4.5:1 without blocking', () => {
    expect(headerContrast({ primary: '#0b5c4c', onPrimary: '#ffffff' })).toBeGreaterThan(7.5);
    expect(headerContrast({ primary: '#0b5c4c', onPrimary: 'blanco' })).toBeNull();
    expect(webchatWarnings(filled())).toEqual({});
    const low = filled({ primary: '#ffcc00', onPrimary: '#ffffff' });
    expect(webchatWarnings(low)['settings.colors.onPrimary']).toEqual({ key: 'webchat.contrastLow', values: { ratio: '1.5:1', min: 4.5 } });
    expect(validateWebchatForm(low)).toEqual({});
    // Rounded down: 4.47 must not read as meeting 4.5.
    expect(formatRatio(4.47)).toBe('4.4:1');
    expect(formatRatio(21)).toBe('21.0:1');
  });

  it('warns when the topic is required but there are no topics', () => {
    expect(webchatWarnings(filled())).toEqual({});
    const form = filled({ prechat: emptyWebchatForm().prechat.map((f) => ({ ...f, ask: true, required: true })) });
    expect(keys(webchatWarnings(form))).toEqual({ 'settings.prechat.topics': 'webchat.topicsMissing' });
    expect(webchatWarnings({ ...form, topics: [{ id: 'a', label: 'A' }] })).toEqual({});
  });
});
