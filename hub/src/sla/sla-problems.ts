import type { z } from 'zod';
import { bilingual, bilingualErrorMap } from '../router/config/routing-problem.js';
import { HubError } from '../errors/error-registry.js';

/** One thing wrong with what the admin typed: the field's dotted path and a Spanish-first message. */
export interface SlaProblem {
  readonly path: string;
  readonly message: string;
}

type RawIssue = z.core.$ZodRawIssue;

function bound(issue: { inclusive?: boolean | undefined }, es: [string, string], en: [string, string]): [string, string] {
  return issue.inclusive === false ? [es[1], en[1]] : [es[0], en[0]];
}

/**
 * Zod words only some issues in Spanish through the router's map; the SLA table's numbers (factor,
 * weight, target, caps) mostly fail on ranges, so those get Spanish text here too.
 */
export function slaErrorMap(issue: RawIssue): string | undefined {
  if (issue.code === 'too_small') {
    const min = String(issue.minimum);
    if (issue.origin === 'string') return bilingual(`debe tener al menos ${min} caracteres`, `must have at least ${min} characters`);
    if (issue.origin === 'array') return bilingual(`debe tener al menos ${min} elemento(s)`, `must have at least ${min} item(s)`);
    const [es, en] = bound(issue, ['≥', '>'], ['≥', '>']);
    return bilingual(`debe ser ${es} ${min}`, `must be ${en} ${min}`);
  }
  if (issue.code === 'too_big') {
    const max = String(issue.maximum);
    if (issue.origin === 'string') return bilingual(`admite hasta ${max} caracteres`, `must have at most ${max} characters`);
    if (issue.origin === 'array') return bilingual(`admite hasta ${max} elementos`, `must have at most ${max} items`);
    const [es, en] = bound(issue, ['≤', '<'], ['≤', '<']);
    return bilingual(`debe ser ${es} ${max}`, `must be ${en} ${max}`);
  }
  if (issue.code === 'invalid_format') return bilingual('formato no válido', 'invalid format');
  if (issue.code === 'invalid_union') return bilingual('use «percent_of_invoice» (factor y peso) o «fixed_per_unit» (importe por unidad)', 'use percent_of_invoice (factor, weight) or fixed_per_unit (amount per unit)');
  return bilingualErrorMap(issue);
}

export function problemsOf(error: z.ZodError): SlaProblem[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** safeParse with the Spanish messages; a failure is a 400 whose details list every problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input, { error: slaErrorMap });
  if (parsed.success) return parsed.data;
  const problems = problemsOf(parsed.error);
  const summary = problems.map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`)).join('; ');
  throw new HubError('HUB_ERR_VALIDATION', `${what} — ${summary}`, { problems });
}
