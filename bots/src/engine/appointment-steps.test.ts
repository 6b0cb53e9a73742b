import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentBookResult, AppointmentCancelResult, AppointmentPort, AppointmentSlotOption, BotEngine, BotPorts, BotSessionState, RenderCapabilities, TurnResult } from '../engine.contract.js';
import { breakCheckDigit, testChecks, validCurp, validNss } from '../entities/test-support/official-id-checks.js';
import { validateBotModel } from '../flows/index.js';
import { botModelSchema, type BotModel, type BotModelInput } from '../model.schema.js';
import { trainNlu } from '../nlu/index.js';
import { createBotEngine } from './index.js';

const WHATSAPP: RenderCapabilities = { interactive: true, maxButtons: 3, maxTextLength: 4096 };
const SMS: RenderCapabilities = { interactive: false, maxButtons: 0, maxTextLength: 1000 };

const NSS = validNss('1234567890');
const CURP = validCurp('GOMC850214MDFRRR0');
const FOLIO = 'CITA-20261130-000042';

/** TESTS ONLY: booking and cancelling through the appointment steps, Spanish first. */
const modelInput: BotModelInput = {
  name: 'Citas de prueba',
  threshold: 0.7,
  maxFallbacks: 3,
  kb: { enabled: false, minScore: 1.5 },
  intents: [
    {
      name: 'agendar_cita',
      phrases: {
        es: ['quiero agendar una cita', 'necesito una cita', 'sacar cita', 'programar una cita', 'reservar cita', 'agendar consulta', 'cita médica', 'hacer una cita'],
        en: ['book an appointment', 'I need an appointment', 'schedule an appointment'],
      },
      flow: 'agendar',
    },
    {
      name: 'cancelar_cita',
      phrases: { es: ['quiero cancelar mi cita', 'cancelar cita', 'ya no puedo ir a mi cita', 'anular mi cita', 'cancelar mi consulta', 'no podré asistir a mi cita'], en: ['cancel my appointment'] },
      flow: 'cancelar',
    },
    {
      name: 'agendar_con_curp',
      phrases: { es: ['cita con mi curp', 'agendar con curp', 'no tengo nss, tengo curp', 'uso mi curp para la cita', 'mi curp para agendar'], en: [] },
      flow: 'agendar-curp',
    },
    {
      name: 'hablar_agente',
      phrases: { es: ['quiero hablar con un agente', 'pásame con un asesor', 'con una persona', 'necesito un asesor', 'hablar con alguien'], en: ['talk to a human'] },
      handoff: true,
    },
  ],
  flows: [
    {
      id: 'agendar',
      start: 'pedir-nss',
      steps: {
        'pedir-nss': { type: 'collect', field: 'nss', kind: 'nss', prompt: { es: '¿Cuál es su NSS?' }, invalid: { es: 'Ese NSS no es válido.' }, next: 'pedir-nacimiento' },
        'pedir-nacimiento': { type: 'collect', field: 'fecha_nacimiento', kind: 'date', prompt: { es: '¿Su fecha de nacimiento?' }, invalid: { es: 'Escriba la fecha como 14/02/1985.' }, next: 'servicio' },
        servicio: { type: 'appointment_service', text: { es: '¿Para qué servicio es la cita?', en: 'Which service?' }, next: 'horarios' },
        horarios: {
          type: 'appointment_slots',
          text: { es: 'Estos son los horarios más cercanos:', en: 'These are the nearest times:' },
          none: { es: 'No hay horarios libres por ahora.' },
          limit: 5,
          next: 'confirmar',
          onFail: 'pasar',
        },
        confirmar: {
          type: 'message',
          text: { es: '¿Confirmo su cita de {{appointment_service_name}} el {{appointment_when}}?' },
          buttons: [
            { id: 'si', title: { es: 'Sí, confirmar' }, next: 'agendar' },
            { id: 'otro', title: { es: 'Otro horario' }, next: 'horarios' },
          ],
        },
        agendar: {
          type: 'appointment_book',
          booked: { es: 'Listo: su cita es el {{appointment_when}}. Folio {{appointment_folio}}.', en: 'Done: {{appointment_when}}. Folio {{appointment_folio}}.' },
          taken: { es: 'Ese horario se acaba de ocupar. Estos son los siguientes:' },
          slotsStep: 'horarios',
        },
        pasar: { type: 'handoff', skills: ['citas'] },
      },
    },
    {
      id: 'agendar-curp',
      start: 'pedir-curp',
      steps: {
        'pedir-curp': { type: 'collect', field: 'curp', kind: 'curp', prompt: { es: '¿Cuál es su CURP?' }, invalid: { es: 'Esa CURP no es válida.' }, next: 'pedir-nacimiento' },
        'pedir-nacimiento': { type: 'collect', field: 'fecha_nacimiento', kind: 'date', prompt: { es: '¿Su fecha de nacimiento?' }, invalid: { es: 'Escriba la fecha.' }, next: 'servicio' },
        servicio: { type: 'appointment_service', serviceId: 'dental', text: { es: '¿Servicio?' }, next: 'horarios' },
        horarios: { type: 'appointment_slots', text: { es: 'Horarios:' }, none: { es: 'Sin horarios.' }, limit: 2, next: 'agendar' },
        agendar: { type: 'appointment_book', booked: { es: 'Folio {{appointment_folio}}.' }, taken: { es: 'Ocupado.' }, slotsStep: 'horarios', onRefused: 'pasar' },
        pasar: { type: 'handoff' },
      },
    },
    {
      id: 'cancelar',
      start: 'pedir-folio',
      steps: {
        'pedir-folio': { type: 'collect', field: 'folio', kind: 'folio', prompt: { es: '¿Cuál es el folio de su cita?' }, invalid: { es: 'Ese folio no es válido.' }, next: 'pedir-nss' },
        'pedir-nss': { type: 'collect', field: 'nss', kind: 'nss', prompt: { es: '¿Con qué NSS la agendó?' }, invalid: { es: 'Ese NSS no es válido.' }, next: 'buscar' },
        buscar: {
          type: 'appointment_lookup',
          found: { es: 'Su cita {{appointment_folio}} es el {{appointment_when}} ({{appointment_status}}).' },
          notFound: { es: 'No encontré la cita {{appointment_folio}} con ese NSS.' },
          next: 'seguro',
        },
        seguro: {
          type: 'message',
          text: { es: '¿La cancelo?' },
          buttons: [
            { id: 'si', title: { es: 'Sí, cancelar' }, next: 'cancelar' },
            { id: 'no', title: { es: 'No' }, next: 'nada' },
          ],
        },
        cancelar: { type: 'appointment_cancel', cancelled: { es: 'Cancelé su cita {{appointment_folio}} del {{appointment_when}}.' }, notFound: { es: 'No encontré esa cita.' } },
        nada: { type: 'resolve', text: { es: 'Su cita sigue en pie.' }, survey: false },
      },
    },
  ],
};
const model: BotModel = botModelSchema.parse(modelInput);

const slot = (n: number): AppointmentSlotOption => ({ id: `c1|2026-11-30T14:${String(20 * n).padStart(2, '0')}:00.000Z`, label: `lunes 30 de noviembre, 08:${String(20 * n).padStart(2, '0')} — Consultorio 1, UMF 20` });
const SLOTS = [0, 1, 2, 3, 4, 5].map(slot);

/** The engine's port, scripted: answers and the calls it received. */
function fakePort(script: { book?: AppointmentBookResult[]; bookThrows?: boolean; cancel?: AppointmentCancelResult; found?: boolean } = {}) {
  const calls: { method: string; args: unknown }[] = [];
  const booked = [...(script.book ?? [{ ok: true, folio: FOLIO, label: SLOTS[1]?.label ?? '' }])];
  const port: AppointmentPort = {
    services: async (language) => {
      calls.push({ method: 'services', args: language });
      return [
        { id: 'mf', name: language === 'en' ? 'Family medicine' : 'Medicina familiar' },
        { id: 'dental', name: 'Estomatología' },
      ];
    },
    nearestSlots: async (query) => {
      calls.push({ method: 'nearestSlots', args: query });
      return SLOTS.slice(0, query.limit);
    },
    book: async (request) => {
      calls.push({ method: 'book', args: request });
      if (script.bookThrows) throw new Error('calendar down');
      return booked.shift() ?? { ok: false, reason: 'rules', message: 'sin guion' };
    },
    lookUp: async (query) => {
      calls.push({ method: 'lookUp', args: query });
      return script.found === false ? null : { folio: query.folio, label: SLOTS[0]?.label ?? '', status: 'agendada' };
    },
    cancel: async (request) => {
      calls.push({ method: 'cancel', args: request });
      return script.cancel ?? { ok: true, folio: request.folio, label: SLOTS[0]?.label ?? '' };
    },
  };
  return { port, calls };
}

let engine: BotEngine;

beforeAll(async () => {
  const { nlu } = await trainNlu(model, testChecks);
  engine = createBotEngine(model, nlu, testChecks);
});

async function talk(inputs: (string | { replyId: string })[], ports: BotPorts, render: RenderCapabilities = SMS, start?: BotSessionState): Promise<TurnResult[]> {
  let state = start ?? engine.newSession();
  const results: TurnResult[] = [];
  for (const [i, input] of inputs.entries()) {
    const at = new Date(Date.UTC(2026, 10, 26, 17, i));
    const result = await engine.turn(state, typeof input === 'string' ? { text: input, at } : { text: '', replyId: input.replyId, at }, render, ports);
    results.push(result);
    state = result.state;
  }
  return results;
}

function texts(result: TurnResult | undefined): string[] {
  return (result?.replies ?? []).map((r) => ('text' in r && typeof r.text === 'string' ? r.text : ''));
}

const portsWith = (port: AppointmentPort | null): BotPorts => ({ folioStatus: async () => null, appointments: port });

describe('appointment steps', () => {
  it('books on a text-only channel: NSS, birth date, service, the second slot, confirm → folio', async () => {
    const { port, calls } = fakePort();
    const results = await talk(['quiero agendar una cita', NSS, '14/02/1985', '1', '2', '1'], portsWith(port));
    expect(texts(results[2])).toEqual(['¿Para qué servicio es la cita?\n\n1. Medicina familiar\n2. Estomatología']);
    expect(results[2]?.state.flow).toEqual({ id: 'agendar', step: 'servicio', attempts: 0 });
    expect(texts(results[3])[0]).toBe(`Estos son los horarios más cercanos:\n\n${SLOTS.slice(0, 5).map((s, i) => `${i + 1}. ${s.label}`).join('\n')}`);
    expect(calls.find((c) => c.method === 'nearestSlots')?.args).toEqual({ serviceId: 'mf', limit: 5, language: 'es' });
    expect(texts(results[4])[0]).toBe(`¿Confirmo su cita de Medicina familiar el ${SLOTS[1]?.label}?\n\n1. Sí, confirmar\n2. Otro horario`);
    const last = results[5];
    expect(calls.filter((c) => c.method === 'book').map((c) => c.args)).toEqual([
      { serviceId: 'mf', slotId: SLOTS[1]?.id, officialId: { kind: 'nss', value: NSS }, birthDate: '1985-02-14', language: 'es' },
    ]);
    expect(texts(last)).toEqual([`Listo: su cita es el ${SLOTS[1]?.label}. Folio ${FOLIO}.`]);
    expect(last?.answeredBy).toBe('flow');
    expect(last?.state.collected).toMatchObject({ appointment_folio: FOLIO, appointment_when: SLOTS[1]?.label, appointment_service: 'mf' });
    expect(last?.state.collected.appointment_slot).toBeUndefined();
    expect(last?.state.flow).toBeUndefined();
    expect(last?.state.offer).toBeUndefined();
  });

  it('offers more slots than WhatsApp’s three buttons as a list and takes the tapped row', async () => {
    const { port, calls } = fakePort();
    const results = await talk(['quiero agendar una cita', NSS, '14/02/1985', { replyId: 'mf' }, { replyId: SLOTS[3]?.id ?? '' }, { replyId: 'si' }], portsWith(port), WHATSAPP);
    const offered = results[3]?.replies.at(-1);
    expect(offered).toMatchObject({ type: 'interactive', text: 'Estos son los horarios más cercanos:' });
    if (offered?.type !== 'interactive' || !offered.list) throw new Error('expected a list');
    expect(offered.list.sections[0]?.rows.map((r) => r.id)).toEqual(SLOTS.slice(0, 5).map((s) => s.id));
    expect(calls.find((c) => c.method === 'book')?.args).toMatchObject({ slotId: SLOTS[3]?.id });
  });

  it('answers in English with the port’s labels when the citizen writes English', async () => {
    const { port, calls } = fakePort();
    const known: BotSessionState = { ...engine.newSession(), greeted: true, collected: { nss: NSS, fecha_nacimiento: '1985-02-14' } };
    const results = await talk(['I need an appointment'], portsWith(port), SMS, known);
    expect(results[0]?.state.language).toBe('en');
    expect(texts(results[0])[0]).toBe('Which service?\n\n1. Family medicine\n2. Estomatología');
    expect(calls[0]).toEqual({ method: 'services', args: 'en' });
  });

  it('re-offers the next slots when the chosen one was taken a moment earlier, then books the new choice', async () => {
    const next = [slot(4), slot(5)];
    const { port, calls } = fakePort({ book: [{ ok: false, reason: 'slot_taken', message: 'Ese horario se ocupó.', slots: next }, { ok: true, folio: FOLIO, label: next[1]?.label ?? '' }] });
    const results = await talk(['quiero agendar una cita', NSS, '14/02/1985', '1', '1', 'sí, confirmar', '2', '1'], portsWith(port));
    expect(texts(results[5])).toEqual([`Ese horario se acaba de ocupar. Estos son los siguientes:\n\n1. ${next[0]?.label}\n2. ${next[1]?.label}`]);
    expect(results[5]?.state.flow).toEqual({ id: 'agendar', step: 'horarios', attempts: 0 });
    expect(results[5]?.state.collected.appointment_slot).toBeUndefined();
    expect(texts(results[6])[0]).toContain(`el ${next[1]?.label}?`);
    expect(texts(results[7])).toEqual([`Listo: su cita es el ${next[1]?.label}. Folio ${FOLIO}.`]);
    expect(calls.filter((c) => c.method === 'book').map((c) => c.args)).toEqual([expect.objectContaining({ slotId: SLOTS[0]?.id }), expect.objectContaining({ slotId: next[1]?.id })]);
  });

  it('searches the slots again when the taken answer brings none', async () => {
    const { port, calls } = fakePort({ book: [{ ok: false, reason: 'slot_taken', message: 'ocupado' }] });
    const results = await talk(['quiero agendar una cita', NSS, '14/02/1985', '1', '1', '1'], portsWith(port));
    expect(texts(results[5])[0]).toBe('Ese horario se acaba de ocupar. Estos son los siguientes:');
    expect(texts(results[5])[1]).toMatch(/^Estos son los horarios más cercanos:\n\n1\. /);
    expect(calls.filter((c) => c.method === 'nearestSlots')).toHaveLength(2);
  });

  it('says the rules’ refusal in the citizen’s words and goes to onRefused', async () => {
    const { port } = fakePort({ book: [{ ok: false, reason: 'rules', message: 'Ya tiene 3 citas activas en su grupo familiar.' }] });
    const results = await talk(['cita con mi curp', CURP, '14/02/1985', '1'], portsWith(port));
    expect(texts(results[2])).toEqual([`Horarios:\n\n1. ${SLOTS[0]?.label}\n2. ${SLOTS[1]?.label}`]);
    const last = results[3];
    expect(texts(last)[0]).toBe('Ya tiene 3 citas activas en su grupo familiar.');
    expect(last?.action).toMatchObject({ type: 'handoff', summary: { reason: 'flow' } });
    // The agent reads what the bot learned in Spanish words, not field names.
    expect(last?.action.type === 'handoff' && last.action.summary.text).toContain(`Datos: CURP ${CURP}, fecha de nacimiento 1985-02-14, clave del servicio dental, servicio Estomatología.`);
  });

  it('uses the CURP when that is the id collected, and a fixed service without asking', async () => {
    const { port, calls } = fakePort({ book: [{ ok: true, folio: FOLIO, label: 'x' }] });
    const results = await talk(['agendar con curp', CURP, '14/02/1985', '2'], portsWith(port));
    expect(calls.filter((c) => c.method === 'nearestSlots').map((c) => c.args)).toEqual([{ serviceId: 'dental', limit: 2, language: 'es' }]);
    expect(calls.find((c) => c.method === 'book')?.args).toEqual({ serviceId: 'dental', slotId: SLOTS[1]?.id, officialId: { kind: 'curp', value: CURP }, birthDate: '1985-02-14', language: 'es' });
    expect(texts(results[3])).toEqual([`Folio ${FOLIO}.`]);
  });

  it('shows the slots again when the reply is none of them, and leaves them for a clear new intent', async () => {
    const { port } = fakePort();
    const results = await talk(['quiero agendar una cita', NSS, '14/02/1985', '1', 'el del jueves en la tarde', '9'], portsWith(port));
    expect(results[4]?.answeredBy).toBe('fallback');
    expect(texts(results[4])[1]).toMatch(/^Estos son los horarios más cercanos:\n\n1\. /);
    expect(results[4]?.state.offer?.options).toHaveLength(5);
    // "9" is no offered option: a fallback again, the options stay.
    expect(results[5]?.answeredBy).toBe('fallback');
    const left = await talk(['quiero cancelar mi cita'], portsWith(port), SMS, results[4]?.state);
    expect(left[0]?.state.flow).toEqual({ id: 'cancelar', step: 'pedir-folio', attempts: 0 });
    expect(left[0]?.state.offer).toBeUndefined();
  });

  it('hands off to a person when the campaign has no calendar (no port)', async () => {
    const results = await talk(['quiero agendar una cita', NSS, '14/02/1985'], portsWith(null));
    expect(results[2]?.answeredBy).toBe('handoff');
    expect(results[2]?.action).toMatchObject({ type: 'handoff', summary: { reason: 'flow', collected: { nss: NSS, fecha_nacimiento: '1985-02-14' } } });
  });

  it('hands off when booking fails for an unknown reason (never says it booked)', async () => {
    const { port } = fakePort({ bookThrows: true });
    const results = await talk(['quiero agendar una cita', NSS, '14/02/1985', '1', '1', '1'], portsWith(port));
    expect(results[5]?.answeredBy).toBe('handoff');
    expect(texts(results[5]).join(' ')).not.toMatch(/Folio/);
  });

  it('says there are no slots and goes to onFail', async () => {
    const { port } = fakePort();
    const empty: AppointmentPort = { ...port, nearestSlots: async () => [] };
    const results = await talk(['quiero agendar una cita', NSS, '14/02/1985', '1'], portsWith(empty));
    expect(texts(results[3])[0]).toBe('No hay horarios libres por ahora.');
    expect(results[3]?.action).toMatchObject({ type: 'handoff', skills: ['citas'] });
  });

  it('looks the appointment up by folio and NSS, then cancels it', async () => {
    const { port, calls } = fakePort();
    const results = await talk(['quiero cancelar mi cita', `mi folio es ${FOLIO.toLowerCase()}`, NSS, 'sí, cancelar'], portsWith(port));
    expect(texts(results[2])).toEqual([`Su cita ${FOLIO} es el ${SLOTS[0]?.label} (agendada).`, '¿La cancelo?\n\n1. Sí, cancelar\n2. No']);
    expect(calls.find((c) => c.method === 'lookUp')?.args).toEqual({ folio: FOLIO, officialId: { kind: 'nss', value: NSS }, language: 'es' });
    expect(calls.find((c) => c.method === 'cancel')?.args).toEqual({ folio: FOLIO, officialId: { kind: 'nss', value: NSS }, language: 'es' });
    expect(texts(results[3])).toEqual([`Cancelé su cita ${FOLIO} del ${SLOTS[0]?.label}.`]);
  });

  it('says not found for a folio with another NSS, and the refusal of a cancellation too late', async () => {
    const missing = await talk(['quiero cancelar mi cita', FOLIO, NSS], portsWith(fakePort({ found: false }).port));
    expect(texts(missing[2])).toEqual([`No encontré la cita ${FOLIO} con ese NSS.`]);
    expect(missing[2]?.state.flow).toBeUndefined();
    const late = await talk(['quiero cancelar mi cita', FOLIO, NSS, '1'], portsWith(fakePort({ cancel: { ok: false, reason: 'refused', message: 'Ya no se puede cancelar: faltan menos de 12 horas.' } }).port));
    expect(texts(late[3])).toEqual(['Ya no se puede cancelar: faltan menos de 12 horas.']);
  });

  it('keeps rejecting an NSS whose check digit fails before anything is booked', async () => {
    const { port, calls } = fakePort();
    const results = await talk(['quiero agendar una cita', breakCheckDigit(NSS)], portsWith(port));
    expect(texts(results[1])).toEqual(['Ese NSS no es válido.']);
    expect(calls).toEqual([]);
  });
});

describe('appointment steps in the model validator', () => {
  it('refuses a booking step whose slotsStep is no slots step, and dangling appointment references', () => {
    const broken = structuredClone(modelInput);
    const flow = broken.flows?.find((f) => f.id === 'agendar');
    if (!flow) throw new Error('flow missing');
    flow.steps['agendar'] = { type: 'appointment_book', booked: { es: 'ok' }, taken: { es: 'ocupado' }, slotsStep: 'confirmar' };
    flow.steps['horarios'] = { type: 'appointment_slots', text: { es: 'Horarios' }, none: { es: 'Nada' }, next: 'confirmar', onFail: 'no-existe' };
    const validation = validateBotModel(broken);
    expect(validation.ok).toBe(false);
    if (validation.ok) return;
    expect(validation.problems).toEqual([
      { path: 'flows.agendar.steps.horarios.onFail', message: 'El paso «horarios» apunta a «no-existe», que no existe en el flujo «agendar».' },
      { path: 'flows.agendar.steps.agendar.slotsStep', message: 'El paso «agendar» vuelve a ofrecer horarios en «confirmar», que no es un paso de tipo «appointment_slots».' },
    ]);
  });

  it('accepts the appointment steps of a well-formed model', () => {
    expect(validateBotModel(modelInput).ok).toBe(true);
  });
});
