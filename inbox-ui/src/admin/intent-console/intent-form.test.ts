import { botModelSchema, type BotModel } from '@ventanilla/bots';
import { describe, expect, it } from 'vitest';
import { addPhrases, emptyIntent, filterIntents, flowIds, isDirty, MAX_PHRASE_CHARS, parseFlows, splitLines, toModelForm, toModelInput } from './intent-form.js';

const model: BotModel = botModelSchema.parse({
  name: 'Derechohabientes',
  threshold: 0.65,
  maxFallbacks: 3,
  greeting: { es: 'Hola, soy el asistente.' },
  intents: [
    { name: 'consulta_folio', description: 'Estado de un trámite', phrases: { es: ['¿cómo va mi folio?', 'estado de mi trámite'], en: ['status of my case'] }, answers: [{ es: 'Con gusto.', en: 'Sure.' }], flow: 'folio' },
    { name: 'hablar_agente', phrases: { es: ['quiero hablar con un agente'] }, handoff: true },
  ],
  entities: [{ name: 'tramite', values: [{ value: 'rfc', synonyms: { es: ['registro federal', 'rfc'], en: [] } }] }],
  flows: [{ id: 'folio', start: 'pedir', steps: { pedir: { type: 'collect', field: 'folio', kind: 'folio', prompt: { es: '¿Su folio?' }, invalid: { es: 'No es un folio.' }, next: 'ver' }, ver: { type: 'folio_status', field: 'folio', found: { es: '{{status}}' }, notFound: { es: 'No existe.' } } } }],
});

describe('model ↔ form', () => {
  it('round-trips a model unchanged, including what the console does not edit', () => {
    const input = toModelInput(toModelForm(model));
    expect(botModelSchema.parse(input)).toEqual(model);
    expect(input.greeting).toEqual({ es: 'Hola, soy el asistente.' });
  });

  it('carries the trainer’s edits: phrases per language, answers, flow, handoff, entities, settings', () => {
    const form = toModelForm(model);
    const first = form.intents[0]!;
    form.intents[0] = { ...first, phrases: { ...first.phrases, es: [...first.phrases.es, 'mi folio'] }, answers: [{ es: 'Claro.', en: '' }, { es: '', en: '' }], flow: '', handoff: true };
    form.entities[0] = { ...form.entities[0]!, values: [{ value: 'rfc', synonyms: { es: 'registro federal\n\n  rfc \n', en: 'tax id' } }, { value: '  ', synonyms: { es: '', en: '' } }] };
    form.threshold = '0,8';
    form.maxFallbacks = '2';
    const input = toModelInput(form);
    expect(input.intents[0]).toEqual({ name: 'consulta_folio', description: 'Estado de un trámite', phrases: { es: ['¿cómo va mi folio?', 'estado de mi trámite', 'mi folio'], en: ['status of my case'] }, answers: [{ es: 'Claro.' }], handoff: true });
    expect(input.entities?.[0]).toEqual({ name: 'tramite', values: [{ value: 'rfc', synonyms: { es: ['registro federal', 'rfc'], en: ['tax id'] } }] });
    expect([input.threshold, input.maxFallbacks]).toEqual([0.8, 2]);
  });

  it('sends a half-typed number as NaN (the hub names it) and keeps the stored flows while the text is not JSON', () => {
    const form = { ...toModelForm(model), threshold: 'abc', flowsText: '[{' };
    const input = toModelInput(form);
    expect(input.threshold).toBeNaN();
    expect(input.flows).toEqual(model.flows);
  });

  it('reads flow ids from the flows text for the intent’s picker', () => {
    const form = toModelForm(model);
    expect(flowIds(form)).toEqual(['folio']);
    expect(flowIds({ ...form, flowsText: '[{"id":"citas"},{"id":"quejas"},{"x":1}]' })).toEqual(['citas', 'quejas']);
    expect(flowIds({ ...form, flowsText: 'no es json' })).toEqual(['folio']);
  });

  it('tells unsaved changes apart from none', () => {
    const saved = toModelForm(model);
    expect(isDirty({ ...saved }, saved)).toBe(false);
    expect(isDirty({ ...saved, intents: [...saved.intents, emptyIntent('nueva')] }, saved)).toBe(true);
    expect(isDirty({ ...saved, maxFallbacks: '4' }, saved)).toBe(true);
  });
});

describe('flows text', () => {
  it('accepts a JSON list or nothing; refuses anything else with a reason', () => {
    expect(parseFlows('')).toEqual({ ok: true, flows: [] });
    expect(parseFlows('[]')).toEqual({ ok: true, flows: [] });
    expect(parseFlows('{"id":"x"}')).toEqual({ ok: false, message: 'not-array' });
    const bad = parseFlows('[{"id": }]');
    expect(bad.ok).toBe(false);
    expect(bad.ok ? '' : bad.message).not.toBe('');
  });
});

describe('bulk paste of phrases', () => {
  it('adds one phrase per line, trimming and collapsing spaces, skipping blanks', () => {
    expect(splitLines('  uno \r\n\n dos\n   \n')).toEqual(['uno', 'dos']);
    const result = addPhrases(['estado de mi trámite'], 'quiero   saber mi folio\n\n¿ya salió mi pensión?\n');
    expect(result.added).toEqual(['quiero saber mi folio', '¿ya salió mi pensión?']);
    expect(result.phrases).toEqual(['estado de mi trámite', 'quiero saber mi folio', '¿ya salió mi pensión?']);
  });

  it('reports repeats (ignoring case and spacing, also within the paste) and over-long lines instead of adding them', () => {
    const long = 'a'.repeat(MAX_PHRASE_CHARS + 1);
    const result = addPhrases(['Estado de mi trámite'], `estado de  mi trámite\nnuevo\nNUEVO\n${long}`);
    expect(result.added).toEqual(['nuevo']);
    expect(result.duplicates).toEqual(['estado de mi trámite', 'NUEVO']);
    expect(result.tooLong).toEqual([long]);
    expect(result.phrases).toHaveLength(2);
  });
});

describe('intent search', () => {
  it('matches name, description and phrases without regard to accents or case', () => {
    const form = toModelForm(model);
    expect(filterIntents(form.intents, 'TRAMITE').map((i) => i.name)).toEqual(['consulta_folio']);
    expect(filterIntents(form.intents, 'agente').map((i) => i.name)).toEqual(['hablar_agente']);
    expect(filterIntents(form.intents, '  ')).toHaveLength(2);
    expect(filterIntents(form.intents, 'citas')).toEqual([]);
  });
});
