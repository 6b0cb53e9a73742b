import type { z } from 'zod';
import type { BotModelProblem } from './model-problem.js';

type Issue = z.core.$ZodIssue;

const TYPE_NAMES: Record<string, string> = {
  string: 'un texto',
  number: 'un número',
  boolean: 'verdadero o falso (true/false)',
  object: 'un objeto',
  array: 'una lista',
  int: 'un número entero',
};

const SLUG_HINT = 'use minúsculas, dígitos, _ o -, empezando con una letra (máximo 64 caracteres)';

/**
 * Trainers read these in the console, not developers: paths name the intent/entity/flow by its
 * own name when the input has one (`flows.agendar-cita.steps.pedir-nss.next`, not `flows.0…`),
 * and zod's English messages become Spanish sentences.
 */
export function zodIssuesToProblems(issues: readonly Issue[], input: unknown): BotModelProblem[] {
  return issues.map((issue) => ({ path: readablePath(issue.path, input), message: spanishMessage(issue) }));
}

const NAMED_LISTS: Record<string, string> = { intents: 'name', entities: 'name', flows: 'id' };

function readablePath(path: readonly PropertyKey[], input: unknown): string {
  const parts = path.map((p) => String(p));
  const [list, index] = path;
  if (typeof list === 'string' && typeof index === 'number' && NAMED_LISTS[list]) {
    const name = nameAt(input, list, index, NAMED_LISTS[list]);
    if (name) parts[1] = name;
  }
  return parts.length > 0 ? parts.join('.') : '(modelo)';
}

function nameAt(input: unknown, list: string, index: number, key: string): string | null {
  if (!isRecord(input)) return null;
  const items = input[list];
  if (!Array.isArray(items)) return null;
  const item: unknown = items[index];
  if (!isRecord(item)) return null;
  const name = item[key];
  return typeof name === 'string' && /^[a-z][a-z0-9_-]{0,63}$/.test(name) ? name : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function spanishMessage(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return issue.input === undefined ? `Falta este campo obligatorio (se espera ${expected}).` : `Se esperaba ${expected}.`;
    }
    case 'too_small':
      return sizeMessage('min', issue.origin, Number(issue.minimum));
    case 'too_big':
      return sizeMessage('max', issue.origin, Number(issue.maximum));
    case 'invalid_format':
      if (issue.format === 'regex') return `Nombre no válido: ${SLUG_HINT}.`;
      if (issue.format === 'url') return 'La dirección no es una URL válida (debe empezar con http:// o https://).';
      if (issue.format === 'uuid') return 'Debe ser un identificador UUID válido (el de una cola de la campaña).';
      return `El formato no es válido (${issue.format}).`;
    case 'invalid_value':
      return `Valor no válido; se acepta: ${issue.values.map((v) => String(v)).join(', ')}.`;
    case 'invalid_union':
      // zod reports a discriminator it does not know as a union issue with no alternatives tried.
      return issue.errors.length === 0
        ? 'Tipo de paso desconocido; use message, collect, folio_status, branch, handoff o resolve.'
        : `Valor no válido: ${collectKindHint(issue)}`;
    case 'invalid_key':
      return `Nombre no válido: ${SLUG_HINT}.`;
    case 'unrecognized_keys':
      return `Campos desconocidos: ${issue.keys.join(', ')}.`;
    case 'invalid_element':
      return 'Un elemento de la lista no es válido.';
    case 'not_multiple_of':
      return `Debe ser múltiplo de ${String(issue.divisor)}.`;
    case 'custom':
      return issue.message;
    default:
      return 'Valor no válido.';
  }
}

function collectKindHint(issue: Issue): string {
  return issue.path.at(-1) === 'kind'
    ? 'use un tipo incluido (folio, nss, curp, rfc, date, phone, email, number, name, text) o el nombre de una entidad propia.'
    : 'no corresponde a ninguna de las formas permitidas.';
}

function sizeMessage(bound: 'min' | 'max', origin: string, limit: number): string {
  if (origin === 'string') {
    if (bound === 'min' && limit === 1) return 'No puede estar vacío.';
    return bound === 'min' ? `Debe tener al menos ${limit} caracteres.` : `Debe tener como máximo ${limit} caracteres.`;
  }
  if (origin === 'array' || origin === 'set') {
    return bound === 'min' ? `Debe tener al menos ${limit} elemento(s).` : `Puede tener como máximo ${limit} elementos.`;
  }
  return bound === 'min' ? `Debe ser al menos ${limit}.` : `Debe ser como máximo ${limit}.`;
}
