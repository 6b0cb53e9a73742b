import { botModelSchema } from '@ventanilla/bots';
import { describe, expect, it } from 'vitest';
import { icTranslator } from './i18n/ic-i18n.js';
import { emptyIntent, toModelForm } from './intent-form.js';
import { clientMessages, describeProblemPath, indexNamedPaths, indicesWithProblems, messagesWithin, normalizeMessages, normalizeProblemPath, validateModelForm } from './model-problems.js';

const t = icTranslator('es-MX');
const model = botModelSchema.parse({
  name: 'Prueba',
  intents: [
    { name: 'saludo', phrases: { es: ['hola'] }, answers: [{ es: '¡Hola!' }] },
    { name: 'despedida', phrases: { es: ['adiós'] }, handoff: true },
  ],
});

describe('problem paths', () => {
  it('normalizes the hub’s and the validator’s spellings to dotted paths', () => {
    expect(normalizeProblemPath('intents[3].phrases.es')).toBe('intents.3.phrases.es');
    expect(normalizeProblemPath('body.model.intents.0.name')).toBe('intents.0.name');
    expect(normalizeProblemPath('model.flows.citas.steps.pedir-nss.next')).toBe('flows.citas.steps.pedir-nss.next');
    expect(normalizeProblemPath('flows["citas"].start')).toBe('flows.citas.start');
    expect(normalizeProblemPath('threshold')).toBe('threshold');
  });

  it('re-keys the hub’s messages and merges the ones that land on the same path', () => {
    expect(normalizeMessages({ 'intents[1].name': ['Nombre repetido'], 'model.intents.1.name': ['Nombre repetido', 'Otro'] })).toEqual({ 'intents.1.name': ['Nombre repetido', 'Otro'] });
  });

  it('finds the messages under an intent with the rest of their path, and which intents have any', () => {
    const messages = { 'intents.1.name': ['a'], 'intents.1.phrases.es.2': ['b'], 'intents.10.name': ['c'], 'entities.0.values': ['d'] };
    expect(messagesWithin(messages, 'intents.1')).toEqual([
      { sub: 'name', message: 'a' },
      { sub: 'phrases.es.2', message: 'b' },
    ]);
    expect([...indicesWithProblems(messages, 'intents')].sort()).toEqual([1, 10]);
    expect([...indicesWithProblems(messages, 'entities')]).toEqual([0]);
  });

  it('turns the cross-reference checks’ names into the form’s positions, leaving unknown names and flows alone', () => {
    const form = toModelForm(model);
    expect(
      indexNamedPaths({ 'intents.despedida.flow': ['El flujo «x» no existe.'], 'intents.1.flow': ['Otro'], 'intents.fantasma.phrases': ['sin frases'], 'flows.citas.steps.a.next': ['colgado'] }, form),
    ).toEqual({ 'intents.1.flow': ['El flujo «x» no existe.', 'Otro'], 'intents.fantasma.phrases': ['sin frases'], 'flows.citas.steps.a.next': ['colgado'] });
  });

  it('says a path the way the form does', () => {
    const form = toModelForm(model);
    expect(describeProblemPath('intents.1.phrases.es', form, t)).toBe('Intención «despedida» · phrases.es');
    expect(describeProblemPath('intents.7', form, t)).toBe('Intención «#8»');
    expect(describeProblemPath('threshold', form, t)).toBe('Umbral de confianza (0.1 a 0.99)');
    expect(describeProblemPath('flows.citas.steps.x.next', form, t)).toBe('Flujos (JSON) · citas.steps.x.next');
  });
});

describe('checks before saving', () => {
  it('passes a valid form', () => {
    expect(validateModelForm(toModelForm(model))).toEqual([]);
  });

  it('names each problem at its path: names, repeats, phrases, answers, entities, settings, flows', () => {
    const form = toModelForm(model);
    form.intents.push({ ...emptyIntent('saludo') }, { ...emptyIntent('Mal Nombre'), phrases: { es: ['x'], en: [] }, answers: [{ es: '', en: 'Only English' }] });
    form.entities.push({ key: 'e', name: '', values: [{ value: ' ', synonyms: { es: '', en: '' } }] });
    form.threshold = '1.5';
    form.maxFallbacks = '0';
    form.flowsText = '{"id":"x"}';
    const messages = clientMessages(validateModelForm(form), t);
    expect(messages).toEqual({
      threshold: ['Escriba un número entre 0.1 y 0.99.'],
      maxFallbacks: ['Escriba un número entero entre 1 y 10.'],
      'intents.0.name': ['El nombre «saludo» está repetido.'],
      'intents.2.name': ['El nombre «saludo» está repetido.'],
      'intents.2.phrases': ['Agregue al menos una frase de entrenamiento.'],
      'intents.2.answers': ['Agregue una respuesta, elija un flujo o márquela para transferir a un asesor.'],
      'intents.3.name': ['Use minúsculas, números, _ o -, empezando con letra (máximo 64).'],
      'intents.3.answers.0.es': ['Escriba la respuesta en español (el inglés es opcional).'],
      'entities.0.name': ['Escriba un nombre.'],
      'entities.0.values': ['Agregue al menos un valor.'],
      flows: ['Los flujos deben ser una lista JSON ([ … ]).'],
    });
  });

  it('reports flows that are not JSON with the parser’s reason', () => {
    const problems = validateModelForm({ ...toModelForm(model), flowsText: '[{' });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('flows');
    expect(problems[0]?.key).toBe('p.flowsJson');
    expect(String(problems[0]?.values?.['error'])).not.toBe('');
  });
});
