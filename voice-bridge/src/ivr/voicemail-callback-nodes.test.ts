import { describe, expect, it } from 'vitest';
import { validateCurp, validateNss } from '../../../hub/src/contacts/official-ids.js';
import { createIvrInterpreter } from './interpreter.js';
import { ivrTreeSchema, type IvrTreeInput } from './ivr.schema.js';
import { parseTwiml, spokenTexts, testContext, verbNames, type TestContextOptions } from './ivr.test-support.js';
import { validateIvrTree } from './validate-ivr-tree.js';

const checks = { validNss: (raw: string) => validateNss(raw).ok, validCurp: (raw: string) => validateCurp(raw).ok };
const context = (options: Omit<TestContextOptions, 'checks'> = {}) => testContext({ checks, ...options });

function interpreterFor(nodes: IvrTreeInput['nodes'], start: string) {
  return createIvrInterpreter(ivrTreeSchema.parse({ name: 'Prueba', start, nodes }));
}

const tree = () =>
  interpreterFor(
    {
      horario: { type: 'hours', open: 'menu', closed: 'cerrado' },
      cerrado: { type: 'hangup', prompt: { text: 'Estamos cerrados.' } },
      menu: {
        type: 'menu',
        prompt: { text: 'Mensaje: 1. Llamada a este número: 2. Llamada a otro número: 3.' },
        options: [
          { digit: '1', next: 'buzon' },
          { digit: '2', next: 'llamada' },
          { digit: '3', next: 'otro-numero' },
        ],
      },
      buzon: { type: 'voicemail', prompt: { text: 'Deje su mensaje.' }, maxSeconds: 60 },
      llamada: { type: 'callback', confirm: { text: 'Le llamaremos al {{phone}}. Folio {{folio}}.' } },
      'otro-numero': { type: 'capture', field: 'telefono', kind: 'digits', numDigits: 10, prompt: { text: 'Marque el número.' }, invalid: { text: 'No válido.' }, next: 'llamada-otro' },
      'llamada-otro': { type: 'callback', prompt: { text: 'Gracias.' }, confirm: { text: 'Listo.' }, phoneField: 'telefono' },
    },
    'horario',
  );

describe('IVR voicemail and call-back nodes', () => {
  it('voicemail: its prompt, and the outcome the HTTP layer turns into a recording', async () => {
    const ivr = tree();
    const ctx = context();
    const result = await ivr.answer((await ivr.start(ctx)).state, { digits: '1' }, ctx);
    expect(result.outcome).toEqual({ type: 'voicemail' });
    expect(spokenTexts(parseTwiml(result.twiml))).toEqual(['Deje su mensaje.']);
    expect(verbNames(parseTwiml(result.twiml))).toEqual(['Say']);
    expect(result.state.node).toBe('buzon');
  });

  it('call-back to the caller’s own number: no phone in the outcome, nothing said yet (the hub confirms with the folio)', async () => {
    const ivr = tree();
    const ctx = context();
    const result = await ivr.answer((await ivr.start(ctx)).state, { digits: '2' }, ctx);
    expect(result.outcome).toEqual({ type: 'callback' });
    expect(parseTwiml(result.twiml)).toEqual([]);
    expect(result.state.node).toBe('llamada');
  });

  it('call-back to a captured number: the outcome carries it', async () => {
    const ivr = tree();
    const ctx = context();
    const atCapture = await ivr.answer((await ivr.start(ctx)).state, { digits: '3' }, ctx);
    const result = await ivr.answer(atCapture.state, { digits: '5512345678' }, ctx);
    expect(result.outcome).toEqual({ type: 'callback', phone: '5512345678' });
    expect(spokenTexts(parseTwiml(result.twiml))).toEqual(['Gracias.']);
  });

  it('closed with «voicemail outside hours»: voicemail is the only option, marked outside hours', async () => {
    const closed = await tree().start({ ...context({ open: false }), voicemailWhenClosed: true });
    expect(closed.outcome).toEqual({ type: 'voicemail', outsideHours: true });
    expect(spokenTexts(parseTwiml(closed.twiml))[0]).toMatch(/fuera del horario de atención/);
    const holiday = await tree().start({ ...context({ holiday: true }), voicemailWhenClosed: true });
    expect(holiday.outcome).toEqual({ type: 'voicemail', outsideHours: true });
    // Open: the flag changes nothing; off: the tree's own closed branch.
    expect((await tree().start({ ...context({ open: true }), voicemailWhenClosed: true })).outcome).toEqual({ type: 'continue' });
    expect((await tree().start({ ...context({ open: false }), voicemailWhenClosed: false })).outcome).toEqual({ type: 'hangup', reason: 'completed' });
  });
});

describe('validateIvrTree: voicemail and call-back nodes', () => {
  const base = (nodes: Record<string, unknown>) => ({ name: 'Prueba', start: 'a', nodes });

  it('accepts both node types', () => {
    expect(validateIvrTree(base({ a: { type: 'voicemail' }, b: { type: 'callback', confirm: { text: 'Su folio es {{folio}}.' } } })).ok).toBe(true);
  });

  it('a call-back needs its confirmation, a number field somebody captures; a voicemail between 10 and 600 seconds', () => {
    const result = validateIvrTree(
      base({
        a: { type: 'callback' },
        b: { type: 'callback', confirm: { text: 'Listo.' }, phoneField: 'telefono' },
        c: { type: 'voicemail', maxSeconds: 5 },
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = Object.fromEntries(result.problems.map((problem) => [problem.path, problem.message]));
    expect(byPath['nodes.a.confirm']).toMatch(/^El mensaje debe ser/);
    expect(byPath['nodes.c.maxSeconds']).toBe('Debe ser al menos 10.');
    const references = validateIvrTree(base({ a: { type: 'callback', confirm: { text: 'Listo.' }, phoneField: 'telefono' } }));
    expect(references).toEqual({ ok: false, problems: [{ path: 'nodes.a.phoneField', message: 'El nodo «a» toma el número del campo «telefono», que ningún nodo de captura pide.' }] });
  });
});
