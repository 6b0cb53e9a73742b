import { describe, expect, it } from 'vitest';
import { validateCurp, validateNss, validateRfc, type OfficialIdResult } from '../../../hub/src/contacts/official-ids.js';
import type { OfficialIdChecks } from '../../src/engine.contract.js';
import { foldForCompare } from '../../src/engine/engine-texts.js';
import { validateBotModel } from '../../src/flows/index.js';
import { createKbAnswerer } from '../../src/kb/index.js';
import { botModelSchema, type BotModel, type FlowDef, type StepDef } from '../../src/model.schema.js';
import { crossValidate, trainNlu } from '../../src/nlu/index.js';
import { DEMO_MODEL_NAME, demoBotModel, demoHeldOutSet, demoKbArticles } from './index.js';

// The hub's own check-digit algorithms, so the demo NLU accepts the same NSS/CURP/RFC as the desk.
function check(validate: (raw: string) => OfficialIdResult): (raw: string) => { valid: boolean; normalized: string } {
  return (raw) => {
    const result = validate(raw);
    return result.ok ? { valid: true, normalized: result.value } : { valid: false, normalized: raw.replace(/[\s-]+/g, '').toUpperCase() };
  };
}
const checks: OfficialIdChecks = { curp: check(validateCurp), rfc: check(validateRfc), nss: check(validateNss) };

/** "¿Cómo  saco mi RFC?" and "como saco mi rfc" are the same utterance for the overlap check. */
const fold = foldForCompare;

const model: BotModel = botModelSchema.parse(demoBotModel);

function flow(id: string): FlowDef {
  const found = model.flows.find((f) => f.id === id);
  if (!found) throw new Error(`flow ${id} missing`);
  return found;
}

function step(f: FlowDef, id: string | undefined): StepDef {
  const found = id === undefined ? undefined : f.steps[id];
  if (!found) throw new Error(`step ${String(id)} missing in ${f.id}`);
  return found;
}

function intent(name: string): BotModel['intents'][number] {
  const found = model.intents.find((i) => i.name === name);
  if (!found) throw new Error(`intent ${name} missing`);
  return found;
}

describe('demo bot model: content', () => {
  it('is a valid model with no dangling references', () => {
    // index.ts already parsed it with the schema; validateBotModel adds the cross-references (the console's import gate).
    expect(() => botModelSchema.parse(demoBotModel)).not.toThrow();
    const validation = validateBotModel(demoBotModel);
    expect(validation.ok ? [] : validation.problems).toEqual([]);
    expect(DEMO_MODEL_NAME).toBe(model.name);
  });

  it('the cross-reference check would catch a dangling step in it', () => {
    const broken = structuredClone(model);
    const citas = broken.flows.find((f) => f.id === 'agendar-cita');
    const pedirNss = citas?.steps['pedir-nss'];
    if (pedirNss?.type !== 'collect') throw new Error('pedir-nss must be a collect step');
    pedirNss.next = 'no-existe';
    const validation = validateBotModel(broken);
    expect(validation.ok).toBe(false);
    if (!validation.ok) expect(validation.problems.map((p) => p.path)).toContain('flows.agendar-cita.steps.pedir-nss.next');
  });

  it('has ≥ 28 intents, each with ≥ 12 Spanish and ≥ 4 English phrases and something to say', () => {
    expect(model.intents.length).toBeGreaterThanOrEqual(28);
    for (const i of model.intents) {
      expect(i.phrases.es.length, i.name).toBeGreaterThanOrEqual(12);
      expect(i.phrases.en.length, i.name).toBeGreaterThanOrEqual(4);
      // A phrase repeated within or across intents teaches nothing or contradicts itself.
      expect(new Set(i.phrases.es.map(fold)).size, i.name).toBe(i.phrases.es.length);
      if (i.flow === undefined) {
        expect(i.answers.length, i.name).toBeGreaterThan(0);
        for (const answer of i.answers) expect(answer.en, i.name).toBeTruthy();
      }
    }
    const owner = new Map<string, string>();
    for (const i of model.intents) {
      for (const p of i.phrases.es) {
        const other = owner.get(fold(p));
        expect(other === undefined || other === i.name, `"${p}" in ${i.name} and ${String(other)}`).toBe(true);
        owner.set(fold(p), i.name);
      }
    }
  });

  it('covers the required public-service topics', () => {
    const required = [
      'rfc_obtener', 'rfc_consultar', 'contrasena_sat', 'constancia_situacion_fiscal', 'efirma_tramitar', 'efirma_renovar',
      'declaracion_anual', 'factura_cfdi', 'buzon_tributario', 'semanas_cotizadas', 'nss_obtener', 'registro_patronal',
      'incapacidad_pago', 'cita_agendar', 'cita_cancelar', 'estatus_folio', 'horarios_oficinas', 'hablar_agente',
      'queja_sugerencia', 'pension_requisitos', 'beneficiarios_alta', 'cambio_clinica', 'vigencia_derechos',
      'aviso_privacidad', 'saludo', 'despedida', 'afirmacion', 'negacion',
    ];
    expect(required.filter((name) => !model.intents.some((i) => i.name === name))).toEqual([]);
  });

  it('hands off on "quiero hablar con un agente" through the hablar-agente flow', () => {
    const agente = intent('hablar_agente');
    expect(agente.handoff).toBe(true);
    expect(agente.flow).toBe('hablar-agente');
    const f = flow('hablar-agente');
    expect(step(f, f.start).type).toBe('handoff');
  });

  it('estatus-folio: collect folio → look it up → "Otra consulta" / "Hablar con un asesor"', () => {
    expect(intent('estatus_folio').flow).toBe('estatus-folio');
    const f = flow('estatus-folio');
    const collect = step(f, f.start);
    expect(collect).toMatchObject({ type: 'collect', kind: 'folio', field: 'folio' });
    const lookup = step(f, collect.type === 'collect' ? collect.next : undefined);
    expect(lookup).toMatchObject({ type: 'folio_status', field: 'folio' });
    const offer = step(f, lookup.type === 'folio_status' ? lookup.next : undefined);
    if (offer.type !== 'message') throw new Error('estatus-folio must offer buttons after the look-up');
    expect(offer.buttons?.map((b) => b.title.es)).toEqual(['Otra consulta', 'Hablar con un asesor']);
    const asesor = offer.buttons?.find((b) => b.title.es === 'Hablar con un asesor');
    expect(step(f, asesor?.next).type).toBe('handoff');
  });

  it('agendar-cita: collect NSS → birth date → hand off to citas_medicas saying booking comes later', () => {
    expect(intent('cita_agendar').flow).toBe('agendar-cita');
    const f = flow('agendar-cita');
    const nss = step(f, f.start);
    expect(nss).toMatchObject({ type: 'collect', kind: 'nss', field: 'nss' });
    const birth = step(f, nss.type === 'collect' ? nss.next : undefined);
    expect(birth).toMatchObject({ type: 'collect', kind: 'date' });
    const handoff = step(f, birth.type === 'collect' ? birth.next : undefined);
    if (handoff.type !== 'handoff') throw new Error('agendar-cita must end in a handoff');
    expect(handoff.skills).toEqual(['citas_medicas']);
    expect(handoff.text?.es).toContain('{{nss}}');
    expect(handoff.text?.es).toMatch(/próxima versión/);
  });

  it('saludo shows buttons to the main topics; despedida resolves with the survey', () => {
    const saludo = flow(intent('saludo').flow ?? '');
    const menu = step(saludo, saludo.start);
    if (menu.type !== 'message') throw new Error('saludo must start with a message');
    expect(menu.buttons?.length).toBeGreaterThanOrEqual(3);
    const despedida = flow(intent('despedida').flow ?? '');
    expect(step(despedida, despedida.start)).toMatchObject({ type: 'resolve', survey: true });
  });

  it('links only to official sites', () => {
    const urls = model.flows.flatMap((f) => Object.values(f.steps).flatMap((s) => (s.type === 'message' ? (s.links ?? []).map((l) => l.url) : [])));
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(new URL(url).hostname, url).toMatch(/(^|\.)(sat|imss)\.gob\.mx$|(^|\.)gob\.mx$/);
  });
});

describe('demo bot model: held-out set and knowledge base', () => {
  it('has ≥ 150 held-out utterances, ≥ 5 per intent, none of them a training phrase', () => {
    expect(demoHeldOutSet.length).toBeGreaterThanOrEqual(150);
    const names = new Set(model.intents.map((i) => i.name));
    expect(demoHeldOutSet.filter((h) => !names.has(h.intent))).toEqual([]);
    for (const name of names) expect(demoHeldOutSet.filter((h) => h.intent === name).length, name).toBeGreaterThanOrEqual(5);
    const training = new Set(model.intents.flatMap((i) => [...i.phrases.es, ...i.phrases.en].map(fold)));
    expect(demoHeldOutSet.filter((h) => training.has(fold(h.utterance))).map((h) => h.utterance)).toEqual([]);
  });

  it('has ≥ 12 KB articles of 300–1,500 characters with distinct titles, not duplicating the intents', () => {
    expect(demoKbArticles.length).toBeGreaterThanOrEqual(12);
    expect(new Set(demoKbArticles.map((a) => fold(a.title))).size).toBe(demoKbArticles.length);
    for (const a of demoKbArticles) {
      expect(a.body.length, a.title).toBeGreaterThanOrEqual(300);
      expect(a.body.length, a.title).toBeLessThanOrEqual(1500);
      expect(a.tags.length, a.title).toBeGreaterThan(0);
      // Short paragraphs: the retriever answers with a passage, which must read on its own.
      for (const paragraph of a.body.split('\n\n')) expect(paragraph.length, a.title).toBeLessThanOrEqual(600);
    }
  });

  it("the offline retriever finds the right article for a citizen's question on each topic", async () => {
    const kb = createKbAnswerer(demoKbArticles.map((a, i) => ({ id: `kb-${i}`, ...a })));
    const questions: [string, string][] = [
      ['requisitos pension cesantia ley 73', 'Requisitos para la pensión por cesantía'],
      ['que pasa si no abro el buzon tributario', '¿Qué es el buzón tributario?'],
      ['que es el resico', 'Régimen Simplificado de Confianza'],
      ['que es la modalidad 40', 'Modalidad 40'],
      ['cuantos dias dan de incapacidad por maternidad', 'Incapacidad por maternidad'],
      ['horario de la subdelegacion', 'Horario de subdelegaciones'],
      ['tuve un accidente en el trabajo que hago', 'riesgo de trabajo'],
      ['quien tiene derecho a guarderia', 'Guarderías del IMSS'],
      ['seguro de salud para la familia cuanto cuesta', 'Seguro de Salud para la Familia'],
      ['seguro del imss para estudiantes', 'Seguro facultativo para estudiantes'],
      ['como pido la devolucion de mi saldo a favor', 'Devolución del saldo a favor'],
      ['me toca ley 73 o ley 97', 'Régimen de la Ley 73 y de la Ley 97'],
      ['cuando puedo cancelar una factura del año pasado', 'Cancelación de facturas'],
      ['retiro por desempleo de la afore', 'Retiro parcial por desempleo'],
    ];
    expect(questions.length).toBe(demoKbArticles.length);
    for (const [question, title] of questions) {
      const answer = await kb.answer(question, 'es');
      expect(answer?.title, question).toContain(title);
    }
  });
});

describe('demo bot model: NLU accuracy', () => {
  it('classifies ≥ 90 % of the held-out Spanish set correctly, and cross-validates', async () => {
    const { nlu, durationMs } = await trainNlu(model, checks);
    const misses: string[] = [];
    for (const h of demoHeldOutSet) {
      const result = await nlu.classify(h.utterance);
      if (result.intent !== h.intent) misses.push(`${h.intent} ← "${h.utterance}" (${result.intent ?? `none, guess ${String(result.guess)}`} ${result.score.toFixed(2)})`);
    }
    const accuracy = (demoHeldOutSet.length - misses.length) / demoHeldOutSet.length;
    const report = await crossValidate(model, checks);
    console.info(
      `demo NLU: held-out accuracy ${(accuracy * 100).toFixed(1)} % (${demoHeldOutSet.length - misses.length}/${demoHeldOutSet.length}), ` +
        `cross-validated ${(report.accuracy * 100).toFixed(1)} % (${report.folds} folds), training ${Math.round(durationMs)} ms; misses: ${misses.join('; ') || 'none'}`,
    );
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    // Cross-validation holds out phrases that are deliberately unlike the rest (typos, slang), so it sits
    // below the held-out figure; a drop under this floor means an edit made intents overlap.
    expect(report.accuracy).toBeGreaterThanOrEqual(0.75);
  }, 120_000);

  it('answers no intent to questions off its topics, so the knowledge base or "no entendí" takes them', async () => {
    const { nlu } = await trainNlu(model, checks);
    const offTopic = [
      'receta de enchiladas',
      'quiero comprar un coche',
      'el clima de hoy',
      'cuanto cuesta el acta de nacimiento',
      'quien gano el partido ayer',
      'me recomiendas una pelicula',
      'donde venden tacos al pastor',
      'como cambio la llanta de mi carro',
      'cual es la capital de francia',
      'necesito un plomero',
      'how do I bake a cake',
      'mi perro esta enfermo',
      'cuanto cuesta el pasaporte',
      'quiero tramitar mi licencia de conducir',
      'que hora es en japon',
    ];
    const answered: string[] = [];
    for (const text of offTopic) {
      const result = await nlu.classify(text);
      if (result.intent !== null) answered.push(`"${text}" → ${result.intent} ${result.score.toFixed(2)}`);
    }
    expect(answered).toEqual([]);
  }, 60_000);
});
