import { describe, expect, it } from 'vitest';
import { nssCheckDigit, validateCurp, validateNss } from '../../../hub/src/contacts/official-ids.js';
import { DEMO_IVR_NAME, demoIvrTree } from './demo-ivr.js';
import { createIvrInterpreter } from './interpreter.js';
import type { IvrInput, IvrStepResult } from './ivr.contract.js';
import { ACTION_BASE, parseTwiml, spokenTexts, testContext, verbNames, type TestContextOptions } from './ivr.test-support.js';
import { validateIvrTree } from './validate-ivr-tree.js';

const checks = { validNss: (raw: string) => validateNss(raw).ok, validCurp: (raw: string) => validateCurp(raw).ok };
const context = (options: Omit<TestContextOptions, 'checks'> = {}) => testContext({ checks, ...options });

function demo() {
  const validation = validateIvrTree(demoIvrTree);
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  return createIvrInterpreter(validation.tree);
}

/** Plays a call: the start, then each answer in turn; every step's result. */
async function call(inputs: IvrInput[], ctx = context()): Promise<IvrStepResult[]> {
  const ivr = demo();
  const steps = [await ivr.start(ctx)];
  for (const input of inputs) {
    const last = steps.at(-1);
    if (!last) throw new Error('no step');
    steps.push(await ivr.answer(last.state, input, ctx));
  }
  return steps;
}

describe('demoIvrTree', () => {
  it('validates, in Spanish with Polly.Mia', () => {
    const validation = validateIvrTree(demoIvrTree);
    expect(validation).toMatchObject({ ok: true, tree: { name: DEMO_IVR_NAME, language: 'es-MX', voice: 'Polly.Mia' } });
  });

  it('open: welcome, privacy notice, then the main menu accepting keys and speech', async () => {
    const [start] = await call([]);
    const verbs = parseTwiml(start?.twiml ?? '');
    expect(verbNames(verbs)).toEqual(['Say', 'Say', 'Gather', 'Redirect']);
    expect(verbs[0]?.text).toMatch(/^Bienvenido/);
    expect(verbs[1]?.text).toMatch(/^Aviso de privacidad/);
    expect(verbs[2]?.attrs).toMatchObject({ input: 'dtmf speech', action: `${ACTION_BASE}/menu-principal`, numDigits: '1' });
    expect(verbs[2]?.attrs.hints).toContain('asesor');
  });

  it('closed: the hours, then a voicemail (1) or a call-back (2); holiday: the message, then hang up', async () => {
    const [closed] = await call([], context({ open: false }));
    expect(spokenTexts(parseTwiml(closed?.twiml ?? ''))[0]).toMatch(/lunes a viernes, de 8 de la mañana a 8 de la noche.*mensaje de voz, marque 1.*devuelva la llamada, marque 2/);
    expect(closed?.outcome).toEqual({ type: 'continue' });
    const voicemail = await call([{ digits: '1' }], context({ open: false }));
    expect(voicemail.at(-1)?.outcome).toEqual({ type: 'voicemail' });
    const callback = await call([{ speech: 'que me regresen la llamada' }], context({ open: false }));
    expect(callback.at(-1)?.outcome).toEqual({ type: 'callback' });
    const [holiday] = await call([], context({ holiday: true }));
    expect(spokenTexts(parseTwiml(holiday?.twiml ?? ''))[0]).toMatch(/día inhábil/);
    expect(verbNames(parseTwiml(holiday?.twiml ?? '')).at(-1)).toBe('Hangup');
  });

  it('appointments: «citas», a wrong NSS, the right NSS, the birth date → the citas_medicas queue with the data and the path', async () => {
    const check = Number(nssCheckDigit('0123456789'));
    const nss = `0123456789${check}`;
    const wrongNss = `0123456789${(check + 1) % 10}`;
    const steps = await call([{ speech: 'Citas' }, { digits: wrongNss }, { digits: nss }, { digits: '15031985' }]);
    expect(steps.map((step) => step.state.node)).toEqual(['menu-principal', 'captura-nss', 'captura-nss', 'captura-nacimiento', 'cola-citas']);
    expect(spokenTexts(parseTwiml(steps[2]?.twiml ?? ''))[0]).toBe('El número de seguridad social no es válido.');
    const last = steps.at(-1);
    expect(last?.outcome).toEqual({
      type: 'queue',
      skill: 'citas_medicas',
      collected: { nss, fecha_nacimiento: '1985-03-15' },
      path: [
        { node: 'horario', input: 'open' },
        { node: 'bienvenida' },
        { node: 'aviso-privacidad' },
        { node: 'menu-principal', input: '1' },
        { node: 'captura-nss' },
        { node: 'captura-nacimiento' },
        { node: 'cola-citas' },
      ],
    });
    expect(spokenTexts(parseTwiml(last?.twiml ?? ''))).toEqual(['Gracias. En un momento un asesor le ayudará con su cita.']);
  });

  it('folio status: 14 digits, the status read back, repeat once, and the third hearing ends the call', async () => {
    const ctx = context({ folios: { '20260115000042': 'en revisión por el área de afiliación' } });
    const steps = await call([{ digits: '2' }, { digits: '20260115000042' }, { digits: '1' }, { speech: 'repetir' }], ctx);
    expect(ctx.lookups[0]).toBe('20260115000042');
    const status = spokenTexts(parseTwiml(steps[2]?.twiml ?? ''));
    expect(status[0]).toBe('Su folio 2 0 2 6 0 1 1 5 0 0 0 0 4 2 está: en revisión por el área de afiliación.');
    expect(steps[2]?.state.node).toBe('menu-folio');
    expect(steps[3]?.state.heard['estatus-folio']).toBe(2);
    expect(steps[4]?.outcome).toEqual({ type: 'hangup', reason: 'repeated_information' });
    expect(spokenTexts(parseTwiml(steps[4]?.twiml ?? ''))).toEqual(['Ya le compartimos esta información dos veces. Gracias por llamar al IMSS; hasta luego.']);
  });

  it('semanas cotizadas is information then the main menu; 0 or «asesor» reaches an agent', async () => {
    const info = await call([{ digits: '3' }]);
    expect(spokenTexts(parseTwiml(info[1]?.twiml ?? ''))[0]).toMatch(/semanas cotizadas/);
    expect(info[1]?.state.node).toBe('menu-principal');
    const agent = await call([{ speech: 'quiero hablar con un asesor' }]);
    expect(agent[1]?.outcome).toMatchObject({ type: 'queue', collected: {} });
    expect(agent[1]?.outcome).not.toHaveProperty('skill');
  });

  it('a caller who never answers the main menu reaches an agent after three tries', async () => {
    const steps = await call([{}, {}, {}]);
    expect(steps.map((step) => step.outcome.type)).toEqual(['continue', 'continue', 'continue', 'queue']);
  });
});
