import { beforeAll, describe, expect, it } from 'vitest';
import type { BotEngine, BotPorts, BotSessionState, RenderCapabilities, TurnInput, TurnResult } from '../engine.contract.js';
import { testChecks, validNss } from '../entities/test-support/official-id-checks.js';
import { createKbAnswerer } from '../kb/index.js';
import { kbArticles } from '../kb/kb-articles.fixture.js';
import { trainNlu } from '../nlu/index.js';
import { createBotEngine } from './index.js';
import { engineTestModel } from './test-support/engine-test-model.js';

const WHATSAPP: RenderCapabilities = { interactive: true, maxButtons: 3, maxTextLength: 4096 };
const SMS: RenderCapabilities = { interactive: false, maxButtons: 0, maxTextLength: 320 };

const NSS = validNss('1234567890');
const BAD_NSS = `${NSS.slice(0, 10)}${(Number(NSS.slice(10)) + 1) % 10}`;
const FOLIO = 'DH-20261126-000123';

const folios = new Map([[FOLIO, { folio: FOLIO, statusText: 'en atención', updatedAt: '2026-11-26T16:30:00.000Z' }]]);
const ports: BotPorts = {
  folioStatus: async (folio) => folios.get(folio) ?? null,
  kb: createKbAnswerer(kbArticles),
};

let engine: BotEngine;

beforeAll(async () => {
  const { nlu } = await trainNlu(engineTestModel, testChecks);
  engine = createBotEngine(engineTestModel, nlu, testChecks);
});

/** Plays a conversation; each input is text or a reply id. */
async function talk(inputs: (string | { replyId: string; text?: string })[], render: RenderCapabilities = WHATSAPP, start?: BotSessionState): Promise<TurnResult[]> {
  let state = start ?? engine.newSession();
  const results: TurnResult[] = [];
  for (const [i, input] of inputs.entries()) {
    const turnInput: TurnInput =
      typeof input === 'string' ? { text: input, at: new Date(Date.UTC(2026, 10, 26, 17, i)) } : { text: input.text ?? '', replyId: input.replyId, at: new Date(Date.UTC(2026, 10, 26, 17, i)) };
    const result = await engine.turn(state, turnInput, render, ports);
    results.push(result);
    state = result.state;
  }
  return results;
}

function texts(result: TurnResult | undefined): string[] {
  return (result?.replies ?? []).map((r) => ('text' in r && typeof r.text === 'string' ? r.text : ''));
}

describe('bot engine with the real NLU', () => {
  it('starts a session in the model’s first language', () => {
    expect(engine.newSession()).toEqual({ language: 'es', fallbacks: 0, collected: {}, intents: [], recent: [], turns: 0, greeted: false });
  });

  it('greets once and answers an FAQ intent', async () => {
    const [first, second] = await talk(['¿a qué hora abren?', 'qué días atienden']);
    expect(first?.answeredBy).toBe('intent');
    expect(first?.nlu?.intent).toBe('horario');
    expect(texts(first)).toEqual(['Hola, soy el asistente virtual.', 'Atendemos de lunes a viernes de 8:00 a 15:00 h.']);
    expect(first?.action).toEqual({ type: 'continue' });
    expect(texts(second)).toEqual(['Atendemos de lunes a viernes de 8:00 a 15:00 h.']);
    expect(second?.state).toMatchObject({ turns: 2, greeted: true, intents: ['horario', 'horario'] });
    expect(second?.state.recent.map((r) => r.text)).toEqual(['¿a qué hora abren?', 'qué días atienden']);
  });

  it('answers in English when the citizen writes English', async () => {
    const [result] = await talk(['what time do you open?']);
    expect(result?.state.language).toBe('en');
    expect(texts(result)).toEqual(["Hi, I'm the virtual assistant.", 'We are open Monday to Friday, 8 am to 3 pm.']);
  });

  it('runs a flow with reply buttons on an interactive channel', async () => {
    const results = await talk(['quiero agendar una cita', `mi nss es ${NSS}`, 'el 15/03/2027', { replyId: 'si', text: 'Sí, confirmar' }]);
    expect(results.map((r) => r.answeredBy)).toEqual(['flow', 'flow', 'flow', 'flow']);
    expect(texts(results[0]).at(-1)).toMatch(/número de seguridad social/);
    expect(results[1]?.state.collected.nss).toBe(NSS);
    expect(results[2]?.replies).toEqual([
      {
        type: 'interactive',
        text: `¿Confirmo su cita del 2027-03-15 para el NSS ${NSS}?`,
        buttons: [
          { id: 'si', title: 'Sí, confirmar' },
          { id: 'asesor', title: 'Hablar con un asesor' },
        ],
      },
    ]);
    expect(results[2]?.state.flow).toEqual({ id: 'agendar-cita', step: 'confirmar', attempts: 0 });
    expect(results[3]?.action).toEqual({ type: 'resolved', survey: true });
    expect(texts(results[3])).toEqual(['Su cita quedó registrada. ¡Gracias!']);
    expect(results[3]?.state.flow).toBeUndefined();
  });

  it('numbers the options on a text-only channel and takes the number as the choice', async () => {
    const results = await talk(['necesito una cita', NSS, '15/03/2027', '2'], SMS);
    expect(texts(results[2])).toEqual([`¿Confirmo su cita del 2027-03-15 para el NSS ${NSS}?\n\n1. Sí, confirmar\n2. Hablar con un asesor`]);
    const last = results[3];
    expect(last?.answeredBy).toBe('handoff');
    expect(texts(last)).toEqual(['Le paso con un asesor de citas.']);
    expect(last?.action).toMatchObject({ type: 'handoff', skills: ['citas'], summary: { reason: 'flow', intent: 'agendar_cita', collected: { nss: NSS, fecha: '2027-03-15' } } });
    expect(last?.action.type === 'handoff' && last.action.summary.text).toContain(`Datos: NSS ${NSS}, fecha 2027-03-15.`);
  });

  it('renders more options than the channel’s buttons as a list, with links as lines, and matches a title', async () => {
    const [menu, chosen] = await talk(['qué trámites hay', 'PAGO DE PREDIAL']);
    expect(menu?.replies.at(-1)).toEqual({
      type: 'interactive',
      text: 'Estos son los trámites en línea:\n\nPortal de trámites: https://tramites.example.gob.mx',
      list: {
        button: 'Ver opciones',
        sections: [
          {
            title: 'Opciones',
            rows: [
              { id: 'acta', title: 'Acta de nacimiento' },
              { id: 'predial', title: 'Pago de predial' },
              { id: 'licencia', title: 'Licencia de conducir' },
              { id: 'pension', title: 'Pensión' },
            ],
          },
        ],
      },
    });
    expect(texts(chosen)).toEqual(['El predial se paga en la tesorería.']);
    expect(chosen?.action).toEqual({ type: 'resolved', survey: true });
  });

  it('rejects an NSS whose check digit fails, then takes a valid one', async () => {
    const results = await talk(['quiero agendar una cita', BAD_NSS, NSS]);
    expect(texts(results[1])).toEqual(['Ese NSS no es válido; revise los 11 dígitos e intente de nuevo.']);
    expect(results[1]?.state.flow).toEqual({ id: 'agendar-cita', step: 'pedir-nss', attempts: 1 });
    expect(results[1]?.state.collected.nss).toBeUndefined();
    expect(texts(results[2])).toEqual(['¿Para qué fecha quiere la cita?']);
    expect(results[2]?.state.collected.nss).toBe(NSS);
  });

  it('hands off after the last invalid attempt', async () => {
    const results = await talk(['quiero agendar una cita', BAD_NSS, BAD_NSS, BAD_NSS]);
    const last = results[3];
    expect(last?.answeredBy).toBe('handoff');
    expect(last?.action).toMatchObject({ type: 'handoff', summary: { reason: 'collect_failed' } });
    expect(last?.action.type === 'handoff' && last.action.summary.text).toContain('no logró dar un dato válido («nss»)');
  });

  it('looks a folio up at once when the citizen already gave it', async () => {
    const [found] = await talk([`quiero saber el estado de mi folio ${FOLIO}`]);
    expect(found?.answeredBy).toBe('flow');
    expect(texts(found).slice(1)).toEqual([`Su folio ${FOLIO} está en atención (actualizado el 26 de noviembre de 2026, 10:30).`, '¿Le ayudo con algo más?']);
    expect(found?.state.flow).toEqual({ id: 'consulta-folio', step: 'algo-mas', attempts: 0 });
  });

  it('says when a folio is not found, after asking for it', async () => {
    const results = await talk(['consultar mi folio', 'es el DH-20260101-000999']);
    expect(texts(results[0]).at(-1)).toBe('Escriba su folio (por ejemplo DH-20261126-000123).');
    expect(texts(results[1])[0]).toBe('No encontré el folio DH-20260101-000999. Revíselo por favor.');
  });

  it('hands off mid-flow when the citizen asks for a person, with a summary for the agent', async () => {
    const results = await talk(['quiero agendar una cita', 'quiero hablar con un agente']);
    const last = results[1];
    expect(last?.answeredBy).toBe('handoff');
    expect(texts(last)).toEqual(['Le comunico con un asesor. En un momento le atienden.']);
    expect(last?.state.flow).toBeUndefined();
    if (last?.action.type !== 'handoff') throw new Error('expected a handoff');
    expect(last.action.summary).toMatchObject({ reason: 'requested', intent: 'agendar_cita', language: 'es' });
    expect(last.action.summary.text).toBe(
      'Asistente virtual — motivo: el ciudadano pidió un asesor. Intención: agendar_cita. Idioma: español. Datos: ninguno. Últimos mensajes: «quiero agendar una cita» · «quiero hablar con un agente»',
    );
  });

  it('leaves a waiting step for a clear new intent', async () => {
    const results = await talk(['quiero agendar una cita', 'a qué hora abren']);
    expect(results[1]?.answeredBy).toBe('intent');
    expect(texts(results[1])).toEqual(['Atendemos de lunes a viernes de 8:00 a 15:00 h.']);
    expect(results[1]?.state.flow).toBeUndefined();
  });

  it('answers from the knowledge base, citing the article, when no intent matches', async () => {
    const [result] = await talk(['¿cuánto cuesta la copia certificada del acta de nacimiento?']);
    expect(result?.nlu?.intent).toBeNull();
    expect(result?.answeredBy).toBe('kb');
    expect(result?.kbArticleId).toBe('kb-acta');
    expect(texts(result).at(-1)).toMatch(/\(Fuente: «Copia certificada de acta de nacimiento»\)$/);
    expect(result?.state.fallbacks).toBe(0);
  });

  it('falls back, re-shows waiting options, and hands off after maxFallbacks', async () => {
    const results = await talk(['qué trámites hay', 'zxqv plugh', 'wubba lubba'], SMS);
    expect(results[1]?.answeredBy).toBe('fallback');
    expect(texts(results[1])[0]).toBe('Disculpe, no entendí su mensaje. ¿Podría decirlo con otras palabras?');
    expect(texts(results[1])[1]).toContain('1. Acta de nacimiento');
    expect(results[1]?.state).toMatchObject({ fallbacks: 1, flow: { id: 'menu', step: 'opciones' } });
    expect(results[2]?.answeredBy).toBe('handoff');
    expect(results[2]?.action).toMatchObject({ type: 'handoff', summary: { reason: 'fallbacks' } });
  });

  it('copes with bad input: empty, 5,000 characters, emoji only, mixed languages', async () => {
    const [empty, huge, emoji, mixed] = await talk(['   ', 'trámite '.repeat(625), '🙂🙂🎉', 'hola, what time do you open?']);
    expect(texts(empty).at(-1)).toBe('No recibí texto. Por favor escriba su pregunta.');
    expect(empty?.nlu?.issue).toBe('empty');
    expect(texts(huge)).toEqual(['Su mensaje es muy largo. Por favor envíe uno más corto (máximo 1,000 caracteres) con su pregunta.']);
    expect(huge?.state.recent.at(-1)?.text.length).toBeLessThanOrEqual(300);
    expect(texts(emoji)).toEqual(['Disculpe, no entendí su mensaje. ¿Podría decirlo con otras palabras?']);
    expect(emoji?.state.fallbacks).toBe(1);
    expect(mixed?.nlu?.intent).toBe('horario');
    expect(mixed?.answeredBy).toBe('intent');
    expect(mixed?.state.fallbacks).toBe(0);
  });

  it('treats a waiting step that no longer exists in the model as a fresh start', async () => {
    const stale: BotSessionState = { ...engine.newSession(), greeted: true, flow: { id: 'flujo-borrado', step: 'paso', attempts: 2 } };
    const [result] = await talk(['a qué hora abren'], WHATSAPP, stale);
    expect(result?.answeredBy).toBe('intent');
    expect(result?.state.flow).toBeUndefined();
  });

  it('leaves the stored state untouched', async () => {
    const state = engine.newSession();
    const before = structuredClone(state);
    await engine.turn(state, { text: 'quiero agendar una cita', at: new Date() }, WHATSAPP, ports);
    expect(state).toEqual(before);
  });
});
