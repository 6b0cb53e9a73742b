import { describe, expect, it } from 'vitest';
import type { BotModelInput } from '../model.schema.js';
import { parseBotModelText, validateBotModel } from './index.js';

function citasModel(): BotModelInput {
  return {
    name: 'Citas',
    intents: [
      { name: 'agendar_cita', phrases: { es: ['quiero agendar una cita'], en: [] }, flow: 'agendar-cita' },
      { name: 'horario', phrases: { es: ['a qué hora abren'], en: ['opening hours'] }, answers: [{ es: 'De 8 a 15 h.', en: '8 am to 3 pm.' }] },
      { name: 'agente', phrases: { es: ['quiero hablar con un agente'], en: [] }, handoff: true },
    ],
    entities: [{ name: 'tramite', values: [{ value: 'rfc', synonyms: { es: ['registro federal'], en: [] } }] }],
    flows: [
      {
        id: 'agendar-cita',
        start: 'pedir-nss',
        steps: {
          'pedir-nss': { type: 'collect', field: 'nss', kind: 'nss', prompt: { es: '¿Su NSS?' }, invalid: { es: 'NSS no válido.' }, next: 'pedir-tramite' },
          'pedir-tramite': { type: 'collect', field: 'tramite', kind: 'tramite', prompt: { es: '¿Qué trámite?' }, invalid: { es: 'No lo conozco.' }, next: 'confirmar' },
          confirmar: {
            type: 'message',
            text: { es: '¿Confirmamos?' },
            buttons: [
              { id: 'si', title: { es: 'Sí' }, next: 'fin' },
              { id: 'no', title: { es: 'No' }, next: 'asesor' },
            ],
          },
          asesor: { type: 'handoff' },
          fin: { type: 'resolve', text: { es: 'Listo.' } },
        },
      },
    ],
  };
}

describe('validateBotModel', () => {
  it('accepts a good model and fills in the defaults', () => {
    const result = validateBotModel(citasModel());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.model.threshold).toBe(0.7);
    expect(result.model.languages).toEqual(['es', 'en']);
    expect(result.model.flows[0]?.steps.fin).toMatchObject({ type: 'resolve', survey: true });
  });

  it('reports a dangling step with exactly the clear problem', () => {
    const model = citasModel();
    const steps = model.flows?.[0]?.steps ?? {};
    steps['pedir-nss'] = { type: 'collect', field: 'nss', kind: 'nss', prompt: { es: '¿Su NSS?' }, invalid: { es: 'No.' }, next: 'fecha' };
    const result = validateBotModel(model);
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: 'flows.agendar-cita.steps.pedir-nss.next',
          message: 'El paso «pedir-nss» apunta a «fecha», que no existe en el flujo «agendar-cita».',
        },
      ],
    });
  });

  it('checks start, buttons, branch cases, default and onFail', () => {
    const model = citasModel();
    model.flows = [
      {
        id: 'f',
        start: 'inicio',
        steps: {
          menu: { type: 'message', text: { es: 'Elija' }, buttons: [{ id: 'a', title: { es: 'A' }, next: 'nada' }] },
          rama: { type: 'branch', field: 'x', cases: [{ equals: '1', next: 'menu' }, { equals: '2', next: 'otro' }], default: 'ninguno' },
          dato: { type: 'collect', field: 'x', kind: 'texto', prompt: { es: 'x' }, invalid: { es: 'x' }, next: 'menu', onFail: 'falla' },
        },
      },
    ];
    model.intents = (model.intents ?? []).filter((i) => i.name !== 'agendar_cita');
    const result = validateBotModel(model);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual([
      'flows.f.start',
      'flows.f.steps.menu.buttons.0.next',
      'flows.f.steps.rama.cases.1.next',
      'flows.f.steps.rama.default',
      'flows.f.steps.dato.onFail',
      'flows.f.steps.dato.kind',
    ]);
    expect(result.problems[5]?.message).toBe('El paso «dato» pide un dato de tipo «texto», que no es un tipo incluido ni una entidad del modelo.');
  });

  it('reports an unknown flow, duplicates, an intent without phrases or answers', () => {
    const model = citasModel();
    model.intents = [
      { name: 'agendar_cita', phrases: { es: ['cita'] }, flow: 'citas' },
      { name: 'horario', phrases: { es: [], en: [] }, answers: [{ es: 'x' }] },
      { name: 'horario', phrases: { es: ['hola'] } },
    ];
    const result = validateBotModel(model);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { path: 'intents.horario', message: 'Hay más de una intención llamada «horario»; los nombres deben ser únicos.' },
      { path: 'intents.agendar_cita.flow', message: 'La intención «agendar_cita» usa el flujo «citas», que no existe.' },
      { path: 'intents.horario.phrases', message: 'La intención «horario» no tiene frases de entrenamiento en ningún idioma.' },
      { path: 'intents.horario.answers', message: 'La intención «horario» no tiene respuestas (agregue una, un flujo o márquela como paso a asesor).' },
    ]);
  });

  it('maps schema errors to Spanish problems with named paths', () => {
    const model = citasModel() as Record<string, unknown>;
    model.threshold = 5;
    model.name = '';
    const result = validateBotModel({ ...model, intents: [{ name: 'Mal Nombre', phrases: { es: ['x'] }, answers: [{}] }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { path: 'name', message: 'No puede estar vacío.' },
        { path: 'threshold', message: 'Debe ser como máximo 0.99.' },
        { path: 'intents.0.name', message: 'Nombre no válido: use minúsculas, dígitos, _ o -, empezando con una letra (máximo 64 caracteres).' },
        { path: 'intents.0.answers.0.es', message: 'Falta este campo obligatorio (se espera un texto).' },
      ]),
    );
  });

  it('names the flow in schema paths and explains an unknown step type', () => {
    const model = citasModel();
    const steps = model.flows?.[0]?.steps ?? {};
    (steps as Record<string, unknown>).raro = { type: 'telepatia' };
    const result = validateBotModel(model);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { path: 'flows.agendar-cita.steps.raro.type', message: expect.stringContaining('Tipo de paso desconocido') },
    ]);
  });

  it('never throws on garbage', () => {
    for (const input of [null, 42, 'modelo', [], { intents: 'x' }]) {
      const result = validateBotModel(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
    }
  });
});

describe('parseBotModelText', () => {
  it('parses JSON and YAML into the same model', () => {
    const json = parseBotModelText(JSON.stringify(citasModel()), 'json');
    const yaml = parseBotModelText(
      ['name: Citas', 'intents:', '  - name: horario', '    phrases:', '      es: ["a qué hora abren"]', '    answers:', '      - es: De 8 a 15 h.'].join('\n'),
      'yaml',
    );
    expect(validateBotModel(json).ok).toBe(true);
    expect(validateBotModel(yaml).ok).toBe(true);
  });

  it('says where bad JSON breaks', () => {
    expect(() => parseBotModelText('{\n  "name": "x",\n  "intents": [,]\n}', 'json')).toThrow(/JSON del modelo no es válido \(línea 3, columna 15\)/);
    expect(() => parseBotModelText('{"name": "x" "intents": []}', 'json')).toThrow(/\(línea 1, columna 14\)/);
  });

  it('says where bad YAML breaks', () => {
    expect(() => parseBotModelText('name: x\nintents:\n  - name: a\n   phrases: [', 'yaml')).toThrow(/YAML del modelo no es válido \(línea \d+, columna \d+\)/);
  });

  it('refuses an empty file with a clear message', () => {
    expect(() => parseBotModelText('   ', 'yaml')).toThrow('El archivo del modelo está vacío.');
  });
});
