/**
 * Reading a channel's stored settings (JSON the hub already validated, but typed `unknown` here)
 * into form fields, and writing form fields back over them. Editors overlay what they show on
 * the stored object, level by level, so keys they do not show survive a save: PATCH replaces
 * `settings` whole.
 */
export type Settings = Record<string, unknown>;

export const MIB = 1024 * 1024;

export function isSettings(value: unknown): value is Settings {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The nested object under `key`, or `{}`. */
export function objectAt(source: Settings, key: string): Settings {
  const value = source[key];
  return isSettings(value) ? value : {};
}

export function textAt(source: Settings, key: string, fallback = ''): string {
  const value = source[key];
  return typeof value === 'string' ? value : fallback;
}

export function boolAt(source: Settings, key: string, fallback: boolean): boolean {
  const value = source[key];
  return typeof value === 'boolean' ? value : fallback;
}

/** A number as the text of an input; `fallback` when absent. */
export function numberTextAt(source: Settings, key: string, fallback: string): string {
  const value = source[key];
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : fallback;
}

/** `source` without `key` (an optional value the form left empty must disappear, not stay stale). */
export function without(source: Settings, key: string): Settings {
  return Object.fromEntries(Object.entries(source).filter(([k]) => k !== key));
}

/** Bytes as megabytes for an input: 5242880 → "5", 1572864 → "1.5" (two decimals at most). */
export function bytesToMbText(bytes: number): string {
  return String(Math.round((bytes / MIB) * 100) / 100);
}

/** "5", "1.5" or "1,5" (MB) → bytes; null when it is not a positive number with at most two decimals. */
export function mbTextToBytes(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return null;
  return Math.round(Number(trimmed) * MIB);
}

/**
 * The size limit to store: the stored value itself while its text is untouched (1 KiB shows as
 * "0" and must not become 0), otherwise what was typed.
 */
export function maxBytesFrom(text: string, stored: number | null): number | null {
  if (stored !== null && text.trim() === bytesToMbText(stored)) return stored;
  return mbTextToBytes(text);
}
