import { describe, expect, it } from 'vitest';
import { testChecks, validNss } from '../entities/test-support/official-id-checks.js';
import { defaultFolds } from './cross-validate.js';
import { BIG_MODEL_PHRASES, crossValidate, loadNlu, MAX_UTTERANCE_CHARS, trainNlu, trainWithReport } from './index.js';
import { heldOutSpanish, smallModel } from './nlu-test-model.js';

describe('NLU (NLP.js)', async () => {
  const model = smallModel();
  const { nlu, durationMs } = await trainNlu(model, testChecks);

  it('trains and classifies held-out Spanish utterances at or above the threshold', async () => {
    expect(durationMs).toBeGreaterThan(0);
    let correct = 0;
    for (const { utterance, intent } of heldOutSpanish) {
      const result = await nlu.classify(utterance);
      expect(result.language).toBe('es');
      if (result.intent === intent) correct += 1;
    }
    expect(correct / heldOutSpanish.length).toBeGreaterThanOrEqual(0.9);
  });

  it('reports score, guess and up to 3 ranked candidates, and entities', async () => {
    const nss = validNss('1234567890');
    const result = await nlu.classify(`quiero saber el estado de mi folio DH-20261125-000999, mi NSS es ${nss}`);
    expect(result.intent).toBe('consultar_folio');
    expect(result.guess).toBe('consultar_folio');
    expect(result.score).toBeGreaterThanOrEqual(model.threshold);
    expect(result.candidates.length).toBeGreaterThan(0);
    expect(result.candidates.length).toBeLessThanOrEqual(3);
    expect(result.candidates[0]).toEqual({ intent: 'consultar_folio', score: result.score });
    const scores = result.candidates.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(result.entities).toEqual([
      { type: 'folio', text: 'DH-20261125-000999', value: 'DH-20261125-000999', valid: true },
      { type: 'nss', text: nss, value: nss, valid: true },
    ]);
    expect(result.issue).toBeUndefined();
  });

  it('keeps the guess but no intent below the threshold', async () => {
    const strict = smallModel({ threshold: 0.99 });
    const trained = (await trainNlu(strict, testChecks)).nlu;
    const result = await trained.classify('me interesa la oficina de citas y horarios');
    expect(result.intent).toBeNull();
    expect(result.guess).not.toBeNull();
    expect(result.score).toBeGreaterThan(0);
    expect(result.score).toBeLessThan(0.99);
    expect(result.candidates[0]?.intent).toBe(result.guess);
  });

  it('understands nothing in gibberish', async () => {
    const result = await nlu.classify('xqzv plorf wibble');
    expect(result.intent).toBeNull();
    expect(result.language).toBe('es');
  });

  it('answers bad input with an issue instead of classifying', async () => {
    for (const [text, issue] of [
      ['', 'empty'],
      ['   \n\t ', 'empty'],
      ['😀🙏🏽👍', 'no_words'],
      ['?!... ¿¡', 'no_words'],
      ['hola '.repeat(300), 'too_long'],
    ] as const) {
      const result = await nlu.classify(text);
      expect(result).toMatchObject({ intent: null, score: 0, guess: null, candidates: [], entities: [], issue });
    }
    expect((await nlu.classify('a'.repeat(MAX_UTTERANCE_CHARS))).issue).toBeUndefined();
    // Emoji around words is fine.
    expect((await nlu.classify('hola 👋')).intent).toBe('saludo');
  });

  it('detects English and classifies with the English phrases; mixed languages do not crash', async () => {
    const english = await nlu.classify('I need to book an appointment');
    expect(english).toMatchObject({ language: 'en', intent: 'agendar_cita' });
    const agent = await nlu.classify('please let me talk to an agent');
    expect(agent).toMatchObject({ language: 'en', intent: 'hablar_agente' });
    const mixed = await nlu.classify('hola, I want to hablar con un agente please');
    expect(['es', 'en']).toContain(mixed.language);
    expect(mixed.intent).toBe('hablar_agente');
  });

  it('defaults to the first language when unsure', async () => {
    expect((await nlu.classify('12345')).language).toBe('es');
    const englishFirst = smallModel({ languages: ['en', 'es'] });
    const trained = (await trainNlu(englishFirst, testChecks)).nlu;
    expect((await trained.classify('12345')).language).toBe('en');
  });

  it('exports and loads a model that classifies exactly like the original', async () => {
    const exported = nlu.exportTrained();
    const loaded = await loadNlu(model, exported, testChecks);
    const probes = [...heldOutSpanish.map((h) => h.utterance), 'book an appointment', 'xqzv', 'me interesa la oficina de citas'];
    for (const probe of probes) expect(await loaded.classify(probe)).toEqual(await nlu.classify(probe));
    await expect(loadNlu(model, '{"no": "es un modelo"}', testChecks)).rejects.toThrow(/vuelva a entrenar/);
    await expect(loadNlu(model, 'no es JSON', testChecks)).rejects.toThrow(/train again/);
  });

  it('cross-validates reproducibly with per-intent counts', async () => {
    const { nlu: final, report } = await trainWithReport(model, testChecks, { folds: 5 });
    expect(report.folds).toBe(5);
    // ~11 phrases an intent: a held-out phrase often has words no other phrase has, and a match on
    // mostly unknown words is refused (vocabulary.ts) — the small model cross-validates near 0.64.
    expect(report.accuracy).toBeGreaterThan(0.6);
    expect(report.accuracy).toBeLessThanOrEqual(1);
    expect(Object.keys(report.perIntent).sort()).toEqual(model.intents.map((i) => i.name).sort());
    const total = model.intents.reduce((n, i) => n + i.phrases.es.length + i.phrases.en.length, 0);
    expect(Object.values(report.perIntent).reduce((n, c) => n + c.total, 0)).toBe(total);
    const correct = Object.values(report.perIntent).reduce((n, c) => n + c.correct, 0);
    expect(report.accuracy).toBeCloseTo(correct / total, 10);
    expect(report.durationMs).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(report.trainedAt))).toBe(false);
    expect((await final.classify('buenos días')).intent).toBe('saludo');
    const again = await crossValidate(model, testChecks, { folds: 5 });
    expect(again.accuracy).toBe(report.accuracy);
    expect(again.perIntent).toEqual(report.perIntent);
  });

  it('copes with tiny and empty models', async () => {
    const tiny = smallModel({ intents: [{ name: 'unico', phrases: { es: ['hola'], en: [] }, answers: [], handoff: false }] });
    const report = (await trainWithReport(tiny, testChecks)).report;
    expect(report).toMatchObject({ accuracy: 0, perIntent: { unico: { correct: 0, total: 0 } } });
    const empty = smallModel({ intents: [] });
    const trained = await trainNlu(empty, testChecks);
    expect(await trained.nlu.classify('hola')).toMatchObject({ intent: null, guess: null, candidates: [] });
    const reloaded = await loadNlu(empty, trained.nlu.exportTrained(), testChecks);
    expect((await reloaded.classify('hola')).intent).toBeNull();
  });
});

describe('NLU with a language that has no phrases', async () => {
  const spanishOnly = smallModel({
    intents: smallModel().intents.map((intent) => ({ ...intent, phrases: { es: intent.phrases.es, en: [] } })),
  });
  const { nlu } = await trainNlu(spanishOnly, testChecks);

  it('classifies with the Spanish phrases and keeps the detected language', async () => {
    const result = await nlu.classify('I want to hablar con un agente');
    expect(result.intent).toBe('hablar_agente');
    expect(await nlu.classify('please, I need the curp requirements')).toMatchObject({ intent: 'requisitos_curp', language: 'en' });
    const unknown = await nlu.classify('what about the weather');
    expect(unknown).toMatchObject({ intent: null, language: 'en' });
  });
});

describe('folds', () => {
  it('uses 5 folds, and 3 above 3,000 phrases to keep the console responsive', () => {
    const phrasesOf = (n: number) => Array.from({ length: n }, (_, i) => `frase número ${i}`);
    // At most 2,000 phrases per intent and language (the schema).
    const sized = (n: number) =>
      smallModel({
        intents: [
          { name: 'grande', phrases: { es: phrasesOf(2000), en: [] }, answers: [], handoff: false },
          { name: 'otra', phrases: { es: phrasesOf(n - 2500), en: phrasesOf(500) }, answers: [], handoff: false },
        ],
      });
    expect(defaultFolds(smallModel())).toBe(5);
    expect(defaultFolds(sized(BIG_MODEL_PHRASES))).toBe(5);
    expect(defaultFolds(sized(BIG_MODEL_PHRASES + 1))).toBe(3);
  });
});
