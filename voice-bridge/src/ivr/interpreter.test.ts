import { describe, expect, it } from 'vitest';
import { curpCheckDigit, nssCheckDigit, validateCurp, validateNss } from '../../../hub/src/contacts/official-ids.js';
import { createIvrInterpreter } from './interpreter.js';
import type { IvrState } from './ivr.contract.js';
import { ivrTreeSchema, type IvrTreeInput } from './ivr.schema.js';
import { ACTION_BASE, parseTwiml, spokenTexts, testContext, verbNames, type TestContextOptions } from './ivr.test-support.js';

const checks = { validNss: (raw: string) => validateNss(raw).ok, validCurp: (raw: string) => validateCurp(raw).ok };
const context = (options: Omit<TestContextOptions, 'checks'> = {}) => testContext({ checks, ...options });
const validNss = (first10: string): string => `${first10}${nssCheckDigit(first10)}`;

const AGENTS_QUEUE = '0b5c8f0e-6a3b-4c1e-9d2a-3f4e5a6b7c8d';
const OTHER_CAMPAIGN = '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

function interpreterFor(nodes: IvrTreeInput['nodes'], start = 'menu', extra: Partial<IvrTreeInput> = {}) {
  return createIvrInterpreter(ivrTreeSchema.parse({ name: 'Prueba', start, nodes, ...extra }));
}

/** A small tree exercising every node type. */
const mainMenu = () =>
  interpreterFor({
    menu: {
      type: 'menu',
      prompt: { text: 'Para citas marque 1. Para su folio marque 2.' },
      options: [
        { digit: '1', speech: ['cita', 'agendar'], next: 'nss' },
        { digit: '2', speech: ['folio', 'trámite'], next: 'folio' },
        { digit: '3', next: 'info' },
        { digit: '4', next: 'fuera' },
        { digit: '5', next: 'otra-campana' },
        { digit: '0', speech: ['asesor'], next: 'cola' },
      ],
      invalid: { text: 'Opción no válida.' },
    },
    nss: {
      type: 'capture',
      field: 'nss',
      kind: 'nss',
      prompt: { text: 'Marque su NSS.' },
      invalid: { text: 'NSS no válido.' },
      next: 'nacimiento',
    },
    nacimiento: { type: 'capture', field: 'nacimiento', kind: 'date', prompt: { text: 'Fecha de nacimiento.' }, invalid: { text: 'Fecha no válida.' }, next: 'cola' },
    folio: { type: 'capture', field: 'folio', kind: 'digits', numDigits: 14, prompt: { text: 'Su folio.' }, invalid: { text: 'Folio no válido.' }, next: 'estatus' },
    estatus: { type: 'folio_status', field: 'folio', found: { text: 'El folio {{folio}} está {{status}}.' }, notFound: { text: 'No encontramos el folio {{folio}}.' }, next: 'menu' },
    info: { type: 'say', prompt: { text: 'Información de semanas cotizadas.' }, next: 'menu' },
    cola: { type: 'queue', prompt: { text: 'Le comunicamos con un asesor.' }, queueId: AGENTS_QUEUE, skill: 'citas_medicas' },
    fuera: { type: 'dial', prompt: { text: 'Le transferimos.' }, number: '+525555555555' },
    'otra-campana': { type: 'transfer_campaign', campaignId: OTHER_CAMPAIGN },
  });

describe('createIvrInterpreter: start', () => {
  it('answers with the menu prompt inside a <Gather> posting to the node’s action URL, then a <Redirect> for silence', async () => {
    const ivr = interpreterFor({
      hola: { type: 'say', prompt: { text: 'Bienvenido.' }, next: 'menu' },
      menu: { type: 'menu', prompt: { text: 'Marque 1.' }, options: [{ digit: '1', speech: ['cita', 'agendar'], next: 'fin' }], timeoutSeconds: 7 },
      fin: { type: 'hangup' },
    }, 'hola');
    const result = await ivr.start(context());
    const verbs = parseTwiml(result.twiml);
    expect(verbNames(verbs)).toEqual(['Say', 'Gather', 'Redirect']);
    expect(verbs[0]).toMatchObject({ text: 'Bienvenido.', attrs: { language: 'es-MX', voice: 'Polly.Mia' } });
    expect(verbs[1]?.attrs).toEqual({
      input: 'dtmf speech',
      action: `${ACTION_BASE}/menu`,
      method: 'POST',
      timeout: '7',
      numDigits: '1',
      language: 'es-MX',
      speechTimeout: 'auto',
      hints: 'cita, agendar',
    });
    expect(verbs[1]?.children).toEqual([{ name: 'Say', attrs: { language: 'es-MX', voice: 'Polly.Mia' }, text: 'Marque 1.', children: [] }]);
    expect(verbs[2]).toMatchObject({ text: `${ACTION_BASE}/menu`, attrs: { method: 'POST' } });
    expect(result.outcome).toEqual({ type: 'continue' });
    expect(result.state).toEqual({ node: 'menu', attempts: 0, collected: {}, heard: { hola: 1 }, path: [{ node: 'hola' }] });
  });

  it('gathers keys only when the menu does not accept speech, and plays audio prompts', async () => {
    const ivr = interpreterFor({
      menu: { type: 'menu', speech: false, prompt: { audioUrl: 'https://audios.example.mx/menu.mp3' }, options: [{ digit: '1', speech: ['cita'], next: 'fin' }] },
      fin: { type: 'hangup' },
    });
    const [gather] = parseTwiml((await ivr.start(context())).twiml);
    expect(gather?.attrs.input).toBe('dtmf');
    expect(gather?.attrs.hints).toBeUndefined();
    expect(gather?.children).toEqual([{ name: 'Play', attrs: {}, text: 'https://audios.example.mx/menu.mp3', children: [] }]);
  });

  it('a voice Twilio does not know is left out, so Twilio’s default voice speaks', async () => {
    const ivr = interpreterFor({ fin: { type: 'hangup', prompt: { text: 'Adiós.' } } }, 'fin', { voice: 'Robotina' });
    expect(parseTwiml((await ivr.start(context())).twiml)[0]?.attrs).toEqual({ language: 'es-MX' });
  });
});

describe('createIvrInterpreter: menus', () => {
  it('a key chooses its option and the path records it', async () => {
    const ivr = mainMenu();
    const { state } = await ivr.start(context());
    const result = await ivr.answer(state, { digits: '2' }, context());
    expect(result.state.node).toBe('folio');
    expect(result.state.path).toEqual([{ node: 'menu', input: '2' }]);
    const verbs = parseTwiml(result.twiml);
    expect(verbs[0]?.attrs).toMatchObject({ input: 'dtmf', numDigits: '14', action: `${ACTION_BASE}/folio` });
  });

  it.each([
    ['citas', 'nss'],
    ['Quiero AGENDAR una cita', 'nss'],
    ['tramite', 'folio'],
    ['el dos', 'folio'],
    ['Opción 2.', 'folio'],
    ['con un asesor, por favor', 'cola'],
  ])('speech «%s» chooses the option leading to %s', async (speech, node) => {
    const ivr = mainMenu();
    const { state } = await ivr.start(context());
    const result = await ivr.answer(state, { speech }, context());
    expect(result.state.node).toBe(node);
  });

  it('a word inside another word does not choose («todos» is not «dos»)', async () => {
    const ivr = mainMenu();
    const { state } = await ivr.start(context());
    const result = await ivr.answer(state, { speech: 'todos bien' }, context());
    expect(result.state).toMatchObject({ node: 'menu', attempts: 1 });
  });

  it('a wrong key: the invalid prompt and the menu again', async () => {
    const ivr = mainMenu();
    const { state } = await ivr.start(context());
    const result = await ivr.answer(state, { digits: '9' }, context());
    const verbs = parseTwiml(result.twiml);
    expect(verbNames(verbs)).toEqual(['Say', 'Gather', 'Redirect']);
    expect(verbs[0]?.text).toBe('Opción no válida.');
    expect(verbs[1]?.attrs.action).toBe(`${ACTION_BASE}/menu`);
    expect(result.state).toMatchObject({ node: 'menu', attempts: 1 });
    expect(result.outcome).toEqual({ type: 'continue' });
  });

  it('no input repeats the menu with the default «No le entendí.», then hangs up after maxAttempts', async () => {
    const ivr = interpreterFor({
      menu: { type: 'menu', prompt: { text: 'Marque 1.' }, options: [{ digit: '1', next: 'fin' }], maxAttempts: 2 },
      fin: { type: 'hangup' },
    });
    const first = await ivr.start(context());
    const second = await ivr.answer(first.state, {}, context());
    expect(spokenTexts(parseTwiml(second.twiml))).toEqual(['No le entendí.', 'Marque 1.']);
    expect(second.state.attempts).toBe(1);
    const third = await ivr.answer(second.state, { digits: '', speech: '  ' }, context());
    expect(third.outcome).toEqual({ type: 'hangup', reason: 'no_input' });
    expect(verbNames(parseTwiml(third.twiml))).toEqual(['Say', 'Hangup']);
  });

  it('wrong answers until maxAttempts hang up as invalid; with onFail the caller goes there instead', async () => {
    const plain = interpreterFor({
      menu: { type: 'menu', prompt: { text: 'Marque 1.' }, options: [{ digit: '1', next: 'fin' }], maxAttempts: 1 },
      fin: { type: 'hangup' },
    });
    const start = await plain.start(context());
    expect((await plain.answer(start.state, { digits: '7' }, context())).outcome).toEqual({ type: 'hangup', reason: 'invalid' });

    const withFallback = interpreterFor({
      menu: { type: 'menu', prompt: { text: 'Marque 1.' }, options: [{ digit: '1', next: 'fin' }], maxAttempts: 1, onFail: 'cola' },
      fin: { type: 'hangup' },
      cola: { type: 'queue' },
    });
    const again = await withFallback.start(context());
    const result = await withFallback.answer(again.state, { digits: '7' }, context());
    expect(result.outcome).toMatchObject({ type: 'queue', path: [{ node: 'menu', input: 'respuesta no válida' }, { node: 'cola' }] });
  });
});

describe('createIvrInterpreter: captures', () => {
  it('an NSS with a wrong check digit is refused, then a valid one is stored and the next capture asked', async () => {
    const ivr = mainMenu();
    const atNss = await ivr.answer((await ivr.start(context())).state, { digits: '1' }, context());
    const gather = parseTwiml(atNss.twiml)[0];
    expect(gather?.attrs).toMatchObject({ input: 'dtmf', numDigits: '11', action: `${ACTION_BASE}/nss`, method: 'POST' });

    const good = validNss('1234567890');
    const bad = `${good.slice(0, 10)}${(Number(good.charAt(10)) + 1) % 10}`;
    const refused = await ivr.answer(atNss.state, { digits: bad }, context());
    expect(spokenTexts(parseTwiml(refused.twiml))).toEqual(['NSS no válido.', 'Marque su NSS.']);
    expect(refused.state).toMatchObject({ node: 'nss', attempts: 1, collected: {} });

    const accepted = await ivr.answer(refused.state, { digits: good }, context());
    expect(accepted.state).toMatchObject({ node: 'nacimiento', attempts: 0, collected: { nss: good } });
    expect(parseTwiml(accepted.twiml)[0]?.attrs).toMatchObject({ numDigits: '8', action: `${ACTION_BASE}/nacimiento` });
  });

  it('a birth date must be a real date (DDMMAAAA), not in the future; it is stored as YYYY-MM-DD', async () => {
    const ivr = mainMenu();
    let state = (await ivr.answer((await ivr.start(context())).state, { digits: '1' }, context())).state;
    state = (await ivr.answer(state, { digits: validNss('1234567890') }, context())).state;
    for (const wrong of ['31022000', '01012099', '1503198']) {
      const refused = await ivr.answer(state, { digits: wrong }, context());
      expect(refused.state.node, wrong).toBe('nacimiento');
      expect(spokenTexts(parseTwiml(refused.twiml))[0]).toBe('Fecha no válida.');
    }
    const result = await ivr.answer(state, { digits: '29022000' }, context());
    expect(result.state.collected.nacimiento).toBe('2000-02-29');
    expect(result.outcome).toMatchObject({ type: 'queue', skill: 'citas_medicas', queueId: AGENTS_QUEUE });
  });

  it('a CURP is gathered by speech and normalised from what the caller spelled', async () => {
    const first17 = 'GODE561231HMCRGR0';
    const curp = `${first17}${curpCheckDigit(first17)}`;
    const ivr = interpreterFor({
      curp: { type: 'capture', field: 'curp', kind: 'curp', prompt: { text: 'Diga su CURP.' }, invalid: { text: 'CURP no válida.' }, next: 'fin' },
      fin: { type: 'hangup' },
    }, 'curp');
    const start = await ivr.start(context());
    expect(parseTwiml(start.twiml)[0]?.attrs).toMatchObject({ input: 'speech', speechTimeout: 'auto', action: `${ACTION_BASE}/curp` });
    const spelled = `${[...first17.slice(0, 16)].join(' ')}, cero ${curp.charAt(17)}.`;
    const result = await ivr.answer(start.state, { speech: spelled }, context());
    expect(result.state.collected).toEqual({ curp });
    const refused = await ivr.answer(start.state, { speech: 'no me la sé' }, context());
    expect(refused.state).toMatchObject({ node: 'curp', attempts: 1 });
  });

  it('digits with numDigits must be exactly that many; without it the gather ends on #', async () => {
    const ivr = mainMenu();
    const atFolio = await ivr.answer((await ivr.start(context())).state, { digits: '2' }, context());
    expect((await ivr.answer(atFolio.state, { digits: '2026011500004' }, context())).state).toMatchObject({ node: 'folio', attempts: 1 });

    const open = interpreterFor({
      ext: { type: 'capture', field: 'extension', kind: 'digits', prompt: { text: 'Extensión.' }, invalid: { text: 'No.' }, next: 'fin' },
      fin: { type: 'hangup' },
    }, 'ext');
    const start = await open.start(context());
    expect(parseTwiml(start.twiml)[0]?.attrs).toMatchObject({ input: 'dtmf', finishOnKey: '#' });
    expect(parseTwiml(start.twiml)[0]?.attrs.numDigits).toBeUndefined();
    expect((await open.answer(start.state, { digits: '12423' }, context())).state.collected).toEqual({ extension: '12423' });
  });

  it('after maxAttempts a capture goes to onFail', async () => {
    const ivr = interpreterFor({
      nss: { type: 'capture', field: 'nss', kind: 'nss', prompt: { text: 'NSS.' }, invalid: { text: 'No.' }, maxAttempts: 2, next: 'fin', onFail: 'cola' },
      fin: { type: 'hangup' },
      cola: { type: 'queue' },
    }, 'nss');
    let result = await ivr.start(context());
    result = await ivr.answer(result.state, { digits: '123' }, context());
    expect(result.outcome).toEqual({ type: 'continue' });
    result = await ivr.answer(result.state, {}, context());
    expect(result.outcome).toMatchObject({ type: 'queue', collected: {} });
  });
});

describe('createIvrInterpreter: hours', () => {
  const hours = (holiday: boolean) =>
    interpreterFor({
      horario: { type: 'hours', open: 'abierto', closed: 'cerrado', ...(holiday ? { holiday: 'festivo' } : {}) },
      abierto: { type: 'say', prompt: { text: 'Abierto.' } },
      cerrado: { type: 'hangup', prompt: { text: 'Nuestro horario es de 8 a 20 horas.' } },
      festivo: { type: 'hangup', prompt: { text: 'Hoy es día inhábil.' } },
    }, 'horario');

  it('open: the open branch (a say with no next hangs up as completed)', async () => {
    const result = await hours(true).start(context({ open: true }));
    expect(spokenTexts(parseTwiml(result.twiml))).toEqual(['Abierto.']);
    expect(verbNames(parseTwiml(result.twiml))).toEqual(['Say', 'Hangup']);
    expect(result.outcome).toEqual({ type: 'hangup', reason: 'completed' });
  });

  it('closed: the closed message and hang-up', async () => {
    const result = await hours(true).start(context({ open: false }));
    expect(spokenTexts(parseTwiml(result.twiml))).toEqual(['Nuestro horario es de 8 a 20 horas.']);
    expect(result.state.path).toEqual([{ node: 'horario', input: 'closed' }, { node: 'cerrado' }]);
  });

  it('holiday: the holiday branch, or the closed one when the tree has none', async () => {
    expect(spokenTexts(parseTwiml((await hours(true).start(context({ holiday: true }))).twiml))).toEqual(['Hoy es día inhábil.']);
    expect(spokenTexts(parseTwiml((await hours(false).start(context({ holiday: true, open: true }))).twiml))).toEqual(['Nuestro horario es de 8 a 20 horas.']);
  });
});

describe('createIvrInterpreter: folio status and repeated information', () => {
  async function atFolio(options: Parameters<typeof context>[0] = {}) {
    const ivr = mainMenu();
    const ctx = context(options);
    const atCapture = await ivr.answer((await ivr.start(ctx)).state, { digits: '2' }, ctx);
    return { ivr, ctx, state: atCapture.state };
  }

  it('found: the status and the folio read digit by digit, then the menu', async () => {
    const { ivr, ctx, state } = await atFolio({ folios: { '20260115000042': 'en revisión' } });
    const result = await ivr.answer(state, { digits: '20260115000042' }, ctx);
    expect(ctx.lookups).toEqual(['20260115000042']);
    const said = spokenTexts(parseTwiml(result.twiml));
    expect(said[0]).toBe('El folio 2 0 2 6 0 1 1 5 0 0 0 0 4 2 está en revisión.');
    expect(result.state).toMatchObject({ node: 'menu', heard: { estatus: 1 } });
  });

  it('not found: the notFound prompt', async () => {
    const { ivr, ctx, state } = await atFolio();
    const result = await ivr.answer(state, { digits: '20260115000099' }, ctx);
    expect(spokenTexts(parseTwiml(result.twiml))[0]).toBe('No encontramos el folio 2 0 2 6 0 1 1 5 0 0 0 0 9 9.');
  });

  it('a look-up that fails says so instead of «not found»', async () => {
    const { ivr, ctx, state } = await atFolio({ folioFails: true });
    const result = await ivr.answer(state, { digits: '20260115000099' }, ctx);
    expect(spokenTexts(parseTwiml(result.twiml))[0]).toMatch(/no podemos consultar su folio/);
    expect(result.state.node).toBe('menu');
  });

  it('the third hearing of the same information says the goodbye and hangs up (seed L1531)', async () => {
    const ivr = mainMenu();
    let result = await ivr.start(context());
    result = await ivr.answer(result.state, { digits: '3' }, context());
    expect(spokenTexts(parseTwiml(result.twiml))[0]).toBe('Información de semanas cotizadas.');
    result = await ivr.answer(result.state, { digits: '3' }, context());
    expect(result.outcome).toEqual({ type: 'continue' });
    expect(result.state.heard).toEqual({ info: 2 });
    result = await ivr.answer(result.state, { digits: '3' }, context());
    expect(result.outcome).toEqual({ type: 'hangup', reason: 'repeated_information' });
    const verbs = parseTwiml(result.twiml);
    expect(verbNames(verbs)).toEqual(['Say', 'Hangup']);
    // The schema's default goodbye (this tree sets none).
    expect(verbs[0]?.text).toBe('Ya le compartimos esta información. Gracias por llamar; hasta luego.');
  });
});

describe('createIvrInterpreter: where the IVR ends', () => {
  it('queue: only the prompt in the TwiML (the HTTP layer enqueues), the outcome carries queue, skill, data and path', async () => {
    const ivr = mainMenu();
    const result = await ivr.answer((await ivr.start(context())).state, { digits: '0' }, context());
    expect(verbNames(parseTwiml(result.twiml))).toEqual(['Say']);
    expect(result.outcome).toEqual({ type: 'queue', queueId: AGENTS_QUEUE, skill: 'citas_medicas', collected: {}, path: [{ node: 'menu', input: '0' }, { node: 'cola' }] });
  });

  it('dial: the prompt then <Dial> with the number', async () => {
    const ivr = mainMenu();
    const result = await ivr.answer((await ivr.start(context())).state, { digits: '4' }, context());
    const verbs = parseTwiml(result.twiml);
    expect(verbNames(verbs)).toEqual(['Say', 'Dial']);
    expect(verbs[1]?.text).toBe('+525555555555');
    expect(result.outcome).toEqual({ type: 'dial', number: '+525555555555' });
  });

  it('transfer to another campaign: the outcome names it, with the data captured', async () => {
    const ivr = mainMenu();
    const result = await ivr.answer((await ivr.start(context())).state, { digits: '5' }, context());
    expect(result.outcome).toEqual({ type: 'transfer_campaign', campaignId: OTHER_CAMPAIGN, collected: {} });
    expect(parseTwiml(result.twiml)).toEqual([]);
  });
});

describe('createIvrInterpreter: never throws on a bad call state', () => {
  it.each<[string, unknown]>([
    ['an unknown node', { node: 'borrado', attempts: 0, collected: {}, heard: {}, path: [] }],
    ['a state that is not one', { node: 3 }],
    ['nothing', null],
  ])('%s: a short apology and the tree from the start', async (_label, stored) => {
    const ivr = mainMenu();
    // Stored state is JSON from outside; the cast is the point of the test.
    const result = await ivr.answer(stored as IvrState, { digits: '1' }, context());
    const said = spokenTexts(parseTwiml(result.twiml));
    expect(said[0]).toMatch(/Volvamos a empezar/);
    expect(said[1]).toBe('Para citas marque 1. Para su folio marque 2.');
    expect(result.state).toEqual({ node: 'menu', attempts: 0, collected: {}, heard: {}, path: [] });
  });

  it('a context that throws (the calendar) hands the caller to an agent instead of failing the webhook', async () => {
    const ivr = interpreterFor({ horario: { type: 'hours', open: 'fin', closed: 'fin' }, fin: { type: 'hangup' } }, 'horario');
    const broken = { ...context(), isOpen: (): boolean => { throw new Error('calendar down'); } };
    const result = await ivr.start(broken);
    expect(result.outcome).toMatchObject({ type: 'queue' });
    expect(spokenTexts(parseTwiml(result.twiml))[0]).toMatch(/problema técnico/);
  });

  it('refuses a tree with a dangling reference when created, not mid-call', () => {
    expect(() => interpreterFor({ menu: { type: 'menu', prompt: { text: 'x' }, options: [{ digit: '1', next: 'nada' }] } })).toThrow(/«nada», que no existe/);
  });
});
