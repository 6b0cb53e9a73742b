import { ApiError, localizedMessage } from '../api/api-error.js';
import type { Lang } from '../i18n/lang.js';
import type { AdminMessageKey } from './i18n/admin-messages.es-mx.js';

/**
 * Form feedback, from the browser's own checks and from the hub's 400s, keyed by the same dotted
 * paths the hub uses (`overflow.0.action.moveToQueueId`, `schedule.days.mon.1.close`), so a field
 * shows its message whichever side found the problem.
 */

/** A problem found in the browser, translated when shown. */
export interface ClientProblem {
  key: AdminMessageKey;
  values?: Record<string, string | number>;
}
export type ClientProblems = Record<string, ClientProblem>;

/** Path → messages already in the current language. */
export type FieldMessages = Record<string, string[]>;

export interface ServerFeedback {
  /** The whole message, in the current language (the "es / en" halves split per problem). */
  general: string;
  errors: FieldMessages;
  warnings: FieldMessages;
}

function add(target: FieldMessages, path: string, message: string): void {
  const list = (target[path] ??= []);
  if (!list.includes(message)) list.push(message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** `body.requiredSkills.0` (Fastify's validator) → `requiredSkills.0`. */
export function normalizePath(path: string): string {
  return path.replace(/^body(\.|$)/, '');
}

/**
 * What the hub said about a rejected request: `details.problems` (routing, canned responses, KB,
 * tipification), Fastify's `details: [{path, message}]` (users, campaigns, channels), or only
 * `message`. Messages are "español / English"; the current language's half is kept.
 */
export function serverFeedback(error: unknown, lang: Lang, fallback: string): ServerFeedback {
  const feedback: ServerFeedback = { general: fallback, errors: {}, warnings: {} };
  if (!(error instanceof ApiError)) {
    if (error instanceof Error && !(error instanceof TypeError)) feedback.general = error.message;
    return feedback;
  }
  feedback.general = localizedMessage(error.message, lang);
  const details = error.details;
  const list = isRecord(details) && Array.isArray(details['problems']) ? (details['problems'] as unknown[]) : Array.isArray(details) ? (details as unknown[]) : [];
  for (const item of list) {
    if (!isRecord(item) || typeof item['path'] !== 'string' || typeof item['message'] !== 'string') continue;
    const target = item['severity'] === 'warning' ? feedback.warnings : feedback.errors;
    add(target, normalizePath(item['path']), localizedMessage(item['message'], lang));
  }
  return feedback;
}

/** Warnings of a successful write (queues, capacity), path → messages in the current language. */
export function warningMessages(problems: readonly { path: string; message: string }[], lang: Lang): FieldMessages {
  const out: FieldMessages = {};
  for (const p of problems) add(out, p.path, localizedMessage(p.message, lang));
  return out;
}

export function translateProblems(problems: ClientProblems, t: (key: AdminMessageKey, values?: Record<string, string | number>) => string): FieldMessages {
  const out: FieldMessages = {};
  for (const [path, problem] of Object.entries(problems)) add(out, path, t(problem.key, problem.values));
  return out;
}

export function mergeMessages(...sources: FieldMessages[]): FieldMessages {
  const out: FieldMessages = {};
  for (const source of sources) for (const [path, messages] of Object.entries(source)) for (const m of messages) add(out, path, m);
  return out;
}

/** `prefix` itself or anything under it (`overflow.0` covers `overflow.0.trigger.afterSeconds`). */
export function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`);
}

/** Messages for exactly `path`. */
export function messagesAt(messages: FieldMessages, path: string): string[] {
  return messages[path] ?? [];
}

/** Messages for `prefix` and everything under it. */
export function messagesUnder(messages: FieldMessages, prefix: string): string[] {
  return Object.entries(messages).flatMap(([path, list]) => (isUnder(path, prefix) ? list : []));
}

/** "path: message", the path said the way the form says it when `describe` knows it. */
export function formatMessage(path: string, message: string, describe?: (path: string) => string | null): string {
  if (path === '') return message;
  return `${describe?.(path) ?? path}: ${message}`;
}

/** Messages no field of the form shows (claims are the paths and prefixes the form renders), as "path: message". */
export function unclaimedMessages(messages: FieldMessages, claims: readonly string[], describe?: (path: string) => string | null): string[] {
  return Object.entries(messages).flatMap(([path, list]) => (claims.some((c) => isUnder(path, c)) ? [] : list.map((m) => formatMessage(path, m, describe))));
}

export function hasMessages(messages: FieldMessages): boolean {
  return Object.values(messages).some((list) => list.length > 0);
}

/** Integer from a text input, or null when it is empty or not a whole number. */
export function parseIntStrict(text: string): number | null {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : null;
}

/** A problem when `text` is not an integer within [min, max]; `required: false` lets it be empty. */
export function checkInt(text: string, min: number, max: number, required = true): ClientProblem | null {
  if (text.trim() === '') return required ? { key: 'v.required' } : null;
  const value = parseIntStrict(text);
  if (value === null) return { key: 'v.integer' };
  if (value < min || value > max) return { key: 'v.range', values: { min, max } };
  return null;
}
