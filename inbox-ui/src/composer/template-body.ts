/**
 * WhatsApp template bodies number their parameters `{{1}}`, `{{2}}`…; Meta requires them to be
 * consecutive from 1, so the count is the highest number used and the values go in that order.
 */
const PLACEHOLDER = /\{\{\s*(\d{1,2})\s*\}\}/g;

/** The distinct placeholder numbers of a body, ascending. */
export function templatePlaceholders(body: string): number[] {
  const found = new Set<number>();
  for (const match of body.matchAll(PLACEHOLDER)) {
    const n = Number(match[1]);
    if (n >= 1) found.add(n);
  }
  return [...found].sort((a, b) => a - b);
}

/** How many values the body takes: its highest placeholder (0 without any). */
export function templateVariableCount(body: string): number {
  return templatePlaceholders(body).at(-1) ?? 0;
}

/** Placeholders missing from 1..n (`{{1}} … {{3}}` without `{{2}}`): Meta rejects such a template. */
export function missingPlaceholders(body: string): number[] {
  const used = new Set(templatePlaceholders(body));
  const missing: number[] = [];
  for (let n = 1; n <= templateVariableCount(body); n++) if (!used.has(n)) missing.push(n);
  return missing;
}

/** One piece of a rendered template: literal text, or a value (or the placeholder still waiting for one). */
export type TemplateSegment = { kind: 'text'; text: string } | { kind: 'value'; n: number; text: string; filled: boolean };

/** The body cut at its placeholders, each filled from `values[n - 1]` when that is not blank. */
export function templateSegments(body: string, values: readonly string[]): TemplateSegment[] {
  const segments: TemplateSegment[] = [];
  let last = 0;
  for (const match of body.matchAll(PLACEHOLDER)) {
    const at = match.index;
    if (at > last) segments.push({ kind: 'text', text: body.slice(last, at) });
    const n = Number(match[1]);
    const value = values[n - 1]?.trim() ?? '';
    segments.push({ kind: 'value', n, text: value === '' ? `{{${n}}}` : value, filled: value !== '' });
    last = at + match[0].length;
  }
  if (last < body.length) segments.push({ kind: 'text', text: body.slice(last) });
  return segments;
}

/** The text the citizen will read (placeholders without a value stay visible). */
export function fillTemplate(body: string, values: readonly string[]): string {
  return templateSegments(body, values)
    .map((s) => s.text)
    .join('');
}

/** WhatsApp refuses a parameter with new lines, tabs or more than four spaces in a row (error 132018). */
export function invalidTemplateValue(value: string): boolean {
  return /[\n\t]| {5,}/.test(value);
}
