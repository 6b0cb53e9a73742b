import { botModelSchema, type BotModel } from '@ventanilla/bots';
import { mulberry32 } from '../prng.js';

/**
 * A deterministic synthetic Spanish bot model for the NLU benchmark: each intent is one action
 * on one public-service topic ("renovar la licencia de conducir", "pagar el predial"). Intents
 * share actions and topics with many others, so the classifier must weigh both halves — a
 * realistic overlap, not 300 disjoint vocabularies. Phrases vary the verb's synonyms, the
 * topic's names, the sentence frame and small talk around it.
 */

const ACTIONS: string[][] = [
  ['consultar', 'revisar', 'checar', 'ver el estado de', 'saber cómo va'],
  ['tramitar', 'sacar', 'obtener', 'hacer el trámite de', 'gestionar'],
  ['renovar', 'refrendar', 'actualizar la vigencia de', 'volver a sacar', 'extender'],
  ['cancelar', 'dar de baja', 'anular', 'quitar', 'eliminar'],
  ['corregir', 'arreglar un error en', 'modificar', 'rectificar', 'cambiar un dato de'],
  ['pagar', 'liquidar', 'cubrir el pago de', 'abonar a', 'hacer el pago de'],
  ['reponer', 'recuperar', 'sacar un duplicado de', 'reemplazar', 'reimprimir por extravío'],
  ['descargar', 'bajar', 'imprimir', 'obtener en pdf', 'guardar una copia de'],
  ['agendar cita para', 'pedir turno para', 'reservar cita de', 'programar visita para', 'apartar lugar para'],
  ['preguntar los requisitos de', 'saber qué documentos pide', 'conocer los requisitos para', 'saber qué necesito para', 'ver qué papeles piden para'],
  ['presentar una queja sobre', 'reportar un problema con', 'quejarme de', 'levantar un reporte de', 'denunciar una falla en'],
  ['saber el costo de', 'conocer el precio de', 'saber cuánto cuesta', 'averiguar la tarifa de', 'preguntar cuánto se paga por'],
];

const TOPICS: string[][] = [
  ['el acta de nacimiento', 'mi acta', 'el registro de nacimiento'],
  ['la curp', 'mi clave curp', 'la clave única de registro'],
  ['el rfc', 'mi registro federal de contribuyentes', 'la clave del sat'],
  ['la licencia de conducir', 'mi licencia de manejo', 'el permiso para manejar'],
  ['el pasaporte', 'mi pasaporte mexicano', 'el documento de viaje'],
  ['el predial', 'el impuesto predial', 'la boleta predial'],
  ['el recibo del agua', 'el servicio de agua potable', 'la toma de agua'],
  ['la pensión', 'mi pensión de jubilación', 'el pago de pensión'],
  ['la beca escolar', 'la beca de mi hijo', 'el apoyo para estudiantes'],
  ['la credencial para votar', 'mi credencial del ine', 'la credencial de elector'],
  ['la constancia de situación fiscal', 'la constancia fiscal', 'la cédula fiscal'],
  ['el número de seguridad social', 'mi nss', 'el número del seguro social'],
  ['la incapacidad médica', 'mi incapacidad', 'el certificado de incapacidad'],
  ['la placa del coche', 'las placas vehiculares', 'la tarjeta de circulación'],
  ['el acta de matrimonio', 'el registro de matrimonio', 'mi acta de casados'],
  ['la cartilla militar', 'mi cartilla del servicio militar', 'la precartilla'],
  ['la licencia de funcionamiento', 'el permiso del negocio', 'la licencia comercial'],
  ['el crédito de vivienda', 'mi crédito infonavit', 'el préstamo para casa'],
  ['la factura electrónica', 'el cfdi', 'mi comprobante fiscal'],
  ['la constancia de no antecedentes penales', 'la carta de no antecedentes', 'el certificado de antecedentes'],
  ['el registro de marca', 'mi marca comercial', 'la solicitud de marca'],
  ['la e.firma', 'mi firma electrónica', 'la fiel'],
  ['el certificado de estudios', 'mi certificado de la escuela', 'la constancia de estudios'],
  ['la cédula profesional', 'mi cédula de la carrera', 'el registro de título'],
  ['el seguro de desempleo', 'el apoyo por desempleo', 'la ayuda por quedarme sin trabajo'],
];

const FRAMES: string[] = [
  'quiero {a} {t}',
  'necesito {a} {t}',
  'cómo puedo {a} {t}',
  'me ayudan a {a} {t}',
  'dónde puedo {a} {t}',
  '{a} {t} por favor',
  'quisiera {a} {t}',
  'se puede {a} {t} en línea',
  'me gustaría {a} {t}',
  'tengo que {a} {t}',
  'ocupo {a} {t}',
  'oigan, cómo le hago para {a} {t}',
  'es posible {a} {t} hoy',
  'vengo a {a} {t}',
  'ayuda para {a} {t}',
];

const OPENERS = ['', '', '', 'hola, ', 'buenas tardes, ', 'buen día, ', 'disculpe, ', 'oiga, '];
const CLOSERS = ['', '', '', ' gracias', ' es urgente', ' de mi mamá', ' lo antes posible', ' si se puede'];

export interface SyntheticIntent {
  name: string;
  action: number;
  topic: number;
}

/** Intent i = action (i mod 12) on topic ⌊i / 12⌋ mod 25; beyond 300 the pairs repeat under new names. */
export function syntheticIntents(count: number): SyntheticIntent[] {
  return Array.from({ length: count }, (_, i) => ({ name: `intent_${String(i).padStart(3, '0')}`, action: i % ACTIONS.length, topic: Math.floor(i / ACTIONS.length) % TOPICS.length }));
}

function pick<T>(items: T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function phrase(intent: SyntheticIntent, random: () => number): string {
  const action = pick(ACTIONS[intent.action] ?? [], random);
  const topic = pick(TOPICS[intent.topic] ?? [], random);
  const text = `${pick(OPENERS, random)}${pick(FRAMES, random).replace('{a}', action).replace('{t}', topic)}${pick(CLOSERS, random)}`;
  // Spanish contracts "de el" and "a el".
  return text.replace(/\bde el\b/g, 'del').replace(/\ba el\b/g, 'al');
}

/** `count` distinct phrases of an intent (distinct from `exclude` too), deterministic for a seed. */
function distinctPhrases(intent: SyntheticIntent, count: number, random: () => number, exclude: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  // The space of phrases per intent is ~5 × 3 × 15 × 8 × 8: distinct phrases come quickly.
  for (let tries = 0; out.size < count && tries < count * 50; tries++) {
    const p = phrase(intent, random);
    if (!exclude.has(p)) out.add(p);
  }
  return [...out];
}

export interface SyntheticSet {
  model: BotModel;
  /** Utterances not among the training phrases, each with the intent it was generated from. */
  testSet: { utterance: string; intent: string }[];
  /** More unseen utterances, to warm the classifiers up before timing them. */
  warmupSet: string[];
}

export function syntheticModel(settings: { intents: number; phrasesPerIntent: number; testPerIntent: number; warmupPerIntent: number; seed?: number }): SyntheticSet {
  const random = mulberry32(settings.seed ?? 7);
  const intents = syntheticIntents(settings.intents);
  const testSet: SyntheticSet['testSet'] = [];
  const warmupSet: string[] = [];
  const modelIntents = intents.map((intent) => {
    const phrases = distinctPhrases(intent, settings.phrasesPerIntent, random, new Set());
    const unseen = distinctPhrases(intent, settings.testPerIntent + settings.warmupPerIntent, random, new Set(phrases));
    for (const utterance of unseen.slice(0, settings.testPerIntent)) testSet.push({ utterance, intent: intent.name });
    warmupSet.push(...unseen.slice(settings.testPerIntent));
    return { name: intent.name, phrases: { es: phrases, en: [] }, answers: [{ es: `Respuesta de ${intent.name}` }] };
  });
  const model = botModelSchema.parse({ name: `sintético ${settings.intents}×${settings.phrasesPerIntent}`, languages: ['es'], threshold: 0.5, intents: modelIntents });
  return { model, testSet: interleave(testSet, random), warmupSet };
}

/** Test utterances in a mixed order, so timing does not walk one intent at a time. */
function interleave<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i];
    const b = out[j];
    if (a === undefined || b === undefined) continue;
    out[i] = b;
    out[j] = a;
  }
  return out;
}
