import { describe, expect, it } from 'vitest';
import { whatsappChannelAdapter } from '../../../../connectors/whatsapp/whatsapp-channel.adapter.js';
import { whatsappChannelSettingsSchema } from '../../../../connectors/whatsapp/whatsapp-channel.schema.js';
import { emptyTemplateRow, validateWhatsAppForm, WHATSAPP_DEFAULTS, WHATSAPP_SECRET_NAMES, whatsappFormToSettings, whatsappSettingsToForm, whatsappWarnings, type WhatsAppSettingsForm } from './whatsapp-settings-form.js';

const keys = (problems: Record<string, { key: string }>) => Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, v.key]));
const filled = (patch: Partial<WhatsAppSettingsForm> = {}): WhatsAppSettingsForm => ({
  ...whatsappSettingsToForm({}),
  phoneNumberId: '106540352242922',
  secrets: { accessToken: 'EAAG…', appSecret: 'secreto', verifyToken: 'frase-de-verificacion' },
  ...patch,
});
const reminder = { name: 'recordatorio_cita', language: 'es_MX', category: 'utility' as const, body: 'Hola {{1}}, su cita del folio {{2}} es mañana a las {{3}}.' };

describe('WhatsApp settings form', () => {
  it('writes what the schema accepts, with its own defaults, and names the adapter’s secrets', () => {
    const settings = whatsappFormToSettings(filled(), {});
    const parsed = whatsappChannelSettingsSchema.parse(settings);
    expect(parsed).toEqual({ phoneNumberId: '106540352242922', graphApiVersion: WHATSAPP_DEFAULTS.graphApiVersion, graphBaseUrl: WHATSAPP_DEFAULTS.graphBaseUrl, templates: [] });
    expect(whatsappChannelSettingsSchema.parse({ phoneNumberId: '1' })).toMatchObject({ graphApiVersion: WHATSAPP_DEFAULTS.graphApiVersion, graphBaseUrl: WHATSAPP_DEFAULTS.graphBaseUrl });
    expect(WHATSAPP_SECRET_NAMES).toEqual(whatsappChannelAdapter.secretNames);
  });

  it('derives each template’s variables count from its body, so the hub’s check always agrees', () => {
    const settings = whatsappFormToSettings(filled({ templates: [reminder, { ...emptyTemplateRow(), name: 'aviso', category: '', body: 'Su trámite cambió de estado.' }] }), {});
    const parsed = whatsappChannelSettingsSchema.parse(settings);
    expect(parsed.templates).toEqual([
      { ...reminder, variables: 3 },
      { name: 'aviso', language: 'es_MX', body: 'Su trámite cambió de estado.', variables: 0 },
    ]);
  });

  it('reads the stored settings back unchanged, keeping keys it does not show and dropping emptied optionals', () => {
    const stored = whatsappChannelSettingsSchema.parse({
      phoneNumberId: '106540352242922',
      businessAccountId: '102290129340398',
      graphApiVersion: 'v20.0',
      graphBaseUrl: 'http://127.0.0.1:4010',
      maxSendsPerSecond: 20,
      templates: [{ ...reminder, variables: 3 }],
    });
    const form = whatsappSettingsToForm({ ...stored, futureKey: true });
    expect(form.templates).toEqual([reminder]);
    expect(form.secrets).toEqual({ accessToken: '', appSecret: '', verifyToken: '' });
    expect(whatsappFormToSettings(form, { ...stored, futureKey: true })).toEqual({ ...stored, futureKey: true });
    const emptied = whatsappFormToSettings({ ...form, businessAccountId: ' ', maxSendsPerSecond: '' }, stored);
    expect(emptied).not.toHaveProperty('businessAccountId');
    expect(emptied).not.toHaveProperty('maxSendsPerSecond');
    expect(whatsappChannelSettingsSchema.safeParse(emptied).success).toBe(true);
  });

  it('flags what the schema would refuse, and asks for credentials the hub does not hold yet', () => {
    expect(keys(validateWhatsAppForm(filled(), []))).toEqual({});
    const bad = filled({
      phoneNumberId: '+52 55 1234',
      graphApiVersion: '21',
      graphBaseUrl: 'graph.facebook.com',
      maxSendsPerSecond: '5000',
      templates: [
        { ...reminder, name: 'Recordatorio Cita' },
        { ...reminder, language: '' },
        reminder,
        reminder,
      ],
      secrets: { accessToken: '', appSecret: '', verifyToken: '' },
    });
    expect(keys(validateWhatsAppForm(bad, ['appSecret']))).toEqual({
      'settings.phoneNumberId': 'v.graphId',
      'settings.graphApiVersion': 'v.graphVersion',
      'settings.graphBaseUrl': 'v.url',
      'settings.maxSendsPerSecond': 'v.range',
      'settings.templates.0.name': 'v.templateName',
      'settings.templates.1.language': 'v.required',
      'settings.templates.3.name': 'v.duplicate',
      'secrets.accessToken': 'v.required',
      'secrets.verifyToken': 'v.required',
    });
    // The schema agrees on the settings side.
    const refused = whatsappChannelSettingsSchema.safeParse(whatsappFormToSettings(bad, {}));
    expect(refused.success).toBe(false);
  });

  it('warns about a body that skips a placeholder number (Meta never approves one)', () => {
    expect(whatsappWarnings(filled({ templates: [reminder] }))).toEqual({});
    expect(whatsappWarnings(filled({ templates: [{ ...reminder, body: 'Hola {{1}}, folio {{3}}' }] }))).toEqual({ 'settings.templates.0.body': { key: 'waChannel.placeholderGap', values: { names: '{{2}}' } } });
  });
});
