/**
 * Checks an IVR tree before it is saved or run (issue 8 item 2): the schema (ivr.schema.ts) plus what
 * a schema cannot see — references between nodes, a menu key used twice, a folio read from a field
 * nobody captures. Problems are for the admin editing the tree, so they are Spanish and say where.
 */
import { z } from 'zod';
import { ivrNodeSchema, ivrTreeSchema, type IvrTree } from './ivr.schema.js';
import { foldSpeech } from './ivr-input.js';
import { isTwilioVoice } from './ivr-twiml.js';

export interface IvrTreeProblem {
  /** Dotted path into the tree, e.g. `nodes.menu-principal.options.0.next` ('' = the whole tree). */
  path: string;
  message: string;
}

export type IvrTreeValidation = { ok: true; tree: IvrTree } | { ok: false; problems: IvrTreeProblem[] };

const spanishLocale = z.locales.es();

const NODE_ID_RULE = 'use minúsculas, dígitos, _ o -, empezando con una letra (máx. 64)';
/** Keys whose value is a node id (the schema's `nodeId`). */
const NODE_ID_KEYS = new Set(['start', 'next', 'onFail', 'open', 'closed', 'holiday', 'field', 'phoneField']);

const NODE_TYPES = ivrNodeSchema.options.map((option) => option.shape.type.value);

const EXPECTED_ES: Record<string, string> = {
  object: 'un objeto',
  string: 'texto',
  number: 'un número',
  array: 'una lista',
  boolean: 'verdadero o falso',
};

function pathOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** Our wording for the issues an admin will meet; zod's Spanish locale for the rest. */
function spanishMessage(issue: z.core.$ZodIssue): string {
  const key = issue.path.at(-1);
  switch (issue.code) {
    case 'invalid_format':
      if (typeof key === 'string' && NODE_ID_KEYS.has(key)) return `Identificador de nodo no válido: ${NODE_ID_RULE}.`;
      if (key === 'digit') return 'La tecla debe ser un solo carácter: 0 a 9, * o #.';
      if (key === 'number') return 'El número debe ir en formato internacional E.164, p. ej. +525512345678.';
      if (issue.format === 'uuid') return 'Debe ser un identificador UUID.';
      if (issue.format === 'url') return 'La URL del audio debe empezar con http:// o https://.';
      break;
    case 'invalid_key':
      return `El identificador de nodo «${String(key)}» no es válido: ${NODE_ID_RULE}.`;
    case 'invalid_union':
      if (key === 'type') return `Tipo de nodo desconocido; los tipos son: ${NODE_TYPES.join(', ')}.`;
      if (key === 'prompt' || key === 'invalid' || key === 'found' || key === 'notFound' || key === 'repeatedGoodbye' || key === 'confirm') {
        return 'El mensaje debe ser { "text": … } o { "audioUrl": … }.';
      }
      break;
    case 'unrecognized_keys':
      return issue.keys.length === 1 ? `Campo desconocido: «${issue.keys[0]}».` : `Campos desconocidos: ${issue.keys.map((name) => `«${name}»`).join(', ')}.`;
    case 'invalid_type':
      if (issue.input === undefined) return 'Falta este campo.';
      return `Se esperaba ${EXPECTED_ES[issue.expected] ?? issue.expected}.`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'No puede estar vacío.' : `Debe tener al menos ${issue.minimum} caracteres.`;
      if (issue.origin === 'array') return `Debe tener al menos ${issue.minimum} elemento(s).`;
      if (issue.origin === 'number') return `Debe ser al menos ${issue.minimum}.`;
      break;
    case 'too_big':
      if (issue.origin === 'string') return `Debe tener como máximo ${issue.maximum} caracteres.`;
      if (issue.origin === 'array') return `Debe tener como máximo ${issue.maximum} elementos.`;
      if (issue.origin === 'number') return `Debe ser como máximo ${issue.maximum}.`;
      break;
    default:
      break;
  }
  return issue.message;
}

const pointsNowhere = (from: string, to: string): string => `El nodo «${from}» apunta a «${to}», que no existe.`;

/**
 * What the schema cannot check. Exported for the interpreter, which refuses such a tree up front
 * rather than discovering a missing node in the middle of a call.
 */
export function ivrTreeReferenceProblems(tree: IvrTree): IvrTreeProblem[] {
  const problems: IvrTreeProblem[] = [];
  const exists = (id: string): boolean => Object.hasOwn(tree.nodes, id);
  if (!exists(tree.start)) problems.push({ path: 'start', message: `El inicio apunta a «${tree.start}», que no existe.` });
  const captured = new Set<string>();
  for (const node of Object.values(tree.nodes)) if (node.type === 'capture') captured.add(node.field);

  for (const [id, node] of Object.entries(tree.nodes)) {
    const refer = (key: string, target: string | undefined): void => {
      if (target !== undefined && !exists(target)) problems.push({ path: `nodes.${id}.${key}`, message: pointsNowhere(id, target) });
    };
    switch (node.type) {
      case 'menu': {
        refer('onFail', node.onFail);
        const digits = new Set<string>();
        const words = new Map<string, string>();
        node.options.forEach((option, index) => {
          refer(`options.${index}.next`, option.next);
          if (digits.has(option.digit)) {
            problems.push({ path: `nodes.${id}.options.${index}.digit`, message: `El menú «${id}» usa la tecla «${option.digit}» más de una vez.` });
          }
          digits.add(option.digit);
          for (const word of option.speech ?? []) {
            const folded = foldSpeech(word).trim();
            const owner = words.get(folded);
            if (owner !== undefined && owner !== option.digit) {
              problems.push({ path: `nodes.${id}.options.${index}.speech`, message: `En el menú «${id}», «${word}» elige tanto la opción ${owner} como la ${option.digit}.` });
            }
            words.set(folded, option.digit);
          }
        });
        break;
      }
      case 'say':
      case 'privacy':
      case 'folio_status':
        refer('next', node.next);
        if (node.type === 'folio_status' && !captured.has(node.field)) {
          problems.push({ path: `nodes.${id}.field`, message: `El nodo «${id}» lee el folio del campo «${node.field}», que ningún nodo de captura pide.` });
        }
        break;
      case 'capture':
        refer('next', node.next);
        refer('onFail', node.onFail);
        break;
      case 'hours':
        refer('open', node.open);
        refer('closed', node.closed);
        refer('holiday', node.holiday);
        break;
      case 'callback':
        if (node.phoneField !== undefined && !captured.has(node.phoneField)) {
          problems.push({ path: `nodes.${id}.phoneField`, message: `El nodo «${id}» toma el número del campo «${node.phoneField}», que ningún nodo de captura pide.` });
        }
        break;
      case 'queue':
      case 'transfer_campaign':
      case 'dial':
      case 'hangup':
      case 'voicemail':
        break;
    }
  }
  return problems;
}

/** The schema, then the cross-references (only on a tree whose shape is right). Nodes nobody reaches are allowed. */
export function validateIvrTree(input: unknown): IvrTreeValidation {
  const parsed = ivrTreeSchema.safeParse(input, {
    error: spanishLocale.localeError,
    // The offending value tells «missing» from «wrong type» (issue.input); it never leaves this function.
    reportInput: true,
  });
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => ({ path: pathOf(issue.path), message: spanishMessage(issue) })) };
  }
  const problems = ivrTreeReferenceProblems(parsed.data);
  // Not a reference problem (the interpreter falls back to Twilio's default voice), but the admin should know.
  if (!isTwilioVoice(parsed.data.voice)) {
    problems.push({ path: 'voice', message: `«${parsed.data.voice}» no es una voz de Twilio (p. ej. Polly.Mia o Google.es-US-Standard-A).` });
  }
  return problems.length === 0 ? { ok: true, tree: parsed.data } : { ok: false, problems };
}

/** A tree pasted or imported as JSON text. */
export function parseIvrTreeText(text: string): IvrTreeValidation {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? ` (${error.message})` : '';
    return { ok: false, problems: [{ path: '', message: `El texto no es JSON válido${detail}.` }] };
  }
  return validateIvrTree(input);
}
