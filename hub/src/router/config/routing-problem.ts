import type { z } from 'zod';

/**
 * One thing wrong with a routing configuration, phrased for the administrator who typed it:
 * Spanish first, English second (issue 3, "Bad input … → 400 saying what").
 *
 * `error` makes the configuration unacceptable (HTTP 400); `warning` is accepted but shown, for
 * settings that are legal yet almost certainly not what was meant.
 */
export interface RoutingProblem {
  /** Dotted path inside the object being validated, e.g. `requiredSkills.1.minLevel`. */
  readonly path: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
  /** The queue the problem is in, when the object validated holds several queues. */
  readonly queueId?: string;
}

export function bilingual(es: string, en: string): string {
  return `${es} / ${en}`;
}

export function pathOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** `path: message; …` — the text of a 400 response, in the style of the campaign routes. */
export function formatProblems(problems: readonly RoutingProblem[]): string {
  return problems.map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`)).join('; ');
}

export function hasErrors(problems: readonly RoutingProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

type RawIssue = z.core.$ZodRawIssue;

/**
 * Fallback messages for the issues the schemas do not word themselves (a missing field, a string
 * where a number belongs, an unknown key). Zod's own texts are English only; passing this map to
 * `safeParse` keeps every message bilingual without repeating it on every field.
 */
export function bilingualErrorMap(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? bilingual('campo requerido', 'required field')
        : bilingual(`se esperaba ${typeNameEs(issue.expected)}`, `expected ${issue.expected}`);
    case 'unrecognized_keys':
      return bilingual(`campos desconocidos: ${issue.keys.join(', ')}`, `unknown fields: ${issue.keys.join(', ')}`);
    case 'invalid_value':
      return bilingual(
        `valor no permitido, use uno de: ${issue.values.map(String).join(', ')}`,
        `value not allowed, use one of: ${issue.values.map(String).join(', ')}`,
      );
    case 'invalid_union':
      return bilingual('forma no reconocida', 'unrecognised shape');
    default:
      return undefined;
  }
}

const TYPE_NAMES_ES: Readonly<Record<string, string>> = {
  number: 'un número',
  string: 'un texto',
  boolean: 'verdadero o falso',
  object: 'un objeto',
  array: 'una lista',
  int: 'un número entero',
};

function typeNameEs(expected: string): string {
  return TYPE_NAMES_ES[expected] ?? expected;
}

export function zodProblems(error: z.ZodError): RoutingProblem[] {
  return error.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message, severity: 'error' }));
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: RoutingProblem[] };

/** safeParse with the bilingual fallback messages, as a list of problems. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): ParseResult<z.output<S>> {
  const parsed = schema.safeParse(input, { error: bilingualErrorMap });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: zodProblems(parsed.error) };
}
