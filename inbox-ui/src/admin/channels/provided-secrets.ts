import type { ClientProblems } from '../form-problems.js';
import { parseIntStrict } from '../form-problems.js';
import { without, type Settings } from './settings-read.js';

/**
 * Helpers for the messaging channels' forms: credentials the admin copies from the provider's
 * console (write-only: the hub never returns them) and optional settings that must disappear
 * from the stored object when emptied (PATCH replaces `settings` whole).
 */

export const SECRET_MAX = 4096;

/** Empty values for each secret name: nothing typed yet means "keep the stored one". */
export function blankSecrets(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, '']));
}

/** Only the secrets typed in this session; undefined when none was. */
export function typedSecrets(values: Record<string, string>): Record<string, string> | undefined {
  const typed = Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));
  return Object.keys(typed).length > 0 ? typed : undefined;
}

/** Every listed secret is needed (a webhook cannot be verified, or a reply sent, without it) unless the hub holds one. */
export function secretProblems(problems: ClientProblems, values: Record<string, string>, required: readonly string[], secretsSet: readonly string[]): void {
  for (const [name, value] of Object.entries(values)) {
    const path = `secrets.${name}`;
    if (value.length > SECRET_MAX) problems[path] = { key: 'v.maxLength', values: { max: SECRET_MAX } };
    else if (required.includes(name) && value.trim() === '' && !secretsSet.includes(name)) problems[path] = { key: 'v.required' };
  }
}

/** `base` with `key` set to the trimmed text, or without `key` when the text is empty. */
export function withOptionalText(base: Settings, key: string, text: string): Settings {
  const value = text.trim();
  return value === '' ? without(base, key) : { ...base, [key]: value };
}

/** `base` with `key` set to the integer typed, or without `key` when empty; a malformed number keeps the stored value (validation says so). */
export function withOptionalInt(base: Settings, key: string, text: string): Settings {
  if (text.trim() === '') return without(base, key);
  const value = parseIntStrict(text);
  return value === null ? base : { ...base, [key]: value };
}

export function checkPattern(problems: ClientProblems, path: string, value: string, pattern: RegExp, key: ClientProblems[string]['key'], required = true): void {
  const trimmed = value.trim();
  if (trimmed === '') {
    if (required) problems[path] = { key: 'v.required' };
  } else if (!pattern.test(trimmed)) problems[path] = { key };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function checkUrl(problems: ClientProblems, path: string, value: string, required = true): void {
  const trimmed = value.trim();
  if (trimmed === '') {
    if (required) problems[path] = { key: 'v.required' };
  } else if (!isHttpUrl(trimmed)) problems[path] = { key: 'v.url' };
}
