/**
 * The mass-mail template language: `{{name}}`, `{{email}}`, `{{unsubscribe_url}}`, any column of
 * the uploaded list, and `{{qr}}` (HTML only: where the QR image goes). Pure functions; the
 * message built from them is in mass-mail-message.ts.
 */

const VARIABLE = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;

/** Filled from the recipient row and the mailing, never from the list. */
export const BUILTIN_VARIABLES = ['name', 'email', 'unsubscribe_url'] as const;
/** Where the QR image goes in the HTML version. */
export const QR_VARIABLE = 'qr';
/** List columns that would shadow what the hub fills. */
export const RESERVED_COLUMNS: readonly string[] = [...BUILTIN_VARIABLES, QR_VARIABLE];

export type TemplateValues = Readonly<Record<string, string>>;

/** The variable names a template uses, each once, in order of appearance. */
export function templateVariables(template: string): string[] {
  return [...new Set([...template.matchAll(VARIABLE)].map((m) => m[1] ?? ''))];
}

/** Plain text: values as they are; an unknown variable renders empty (upload checks catch typos first). */
export function renderText(template: string, values: TemplateValues): string {
  return template.replace(VARIABLE, (_whole, key: string) => values[key] ?? '');
}

/** A subject is one line whatever a list cell holds (a CR/LF there would inject headers). */
export function renderSubject(template: string, values: TemplateValues): string {
  return renderText(template, values).replace(/[\r\n\t]+/g, ' ').trim();
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * HTML: every value is escaped (a list cell is data, never markup), so `{{name}}` inside an
 * attribute or an element is equally safe. `{{qr}}` becomes `qrHtml` (or nothing).
 */
export function renderHtml(template: string, values: TemplateValues, qrHtml = ''): string {
  return template.replace(VARIABLE, (_whole, key: string) => (key === QR_VARIABLE ? qrHtml : escapeHtml(values[key] ?? '')));
}

/** The HTML version of a text-only template, when one is needed (a QR code to show). */
export function textToHtml(text: string): string {
  const paragraphs = text.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  return `<!doctype html><html lang="es-MX"><body>${paragraphs.join('\n')}</body></html>`;
}
