import type { FieldMessages } from '../form-problems.js';
import type { IcMessageKey } from './i18n/ic-messages.es-mx.js';
import { NAME_PATTERN, parseFlows, type ModelForm } from './intent-form.js';

/**
 * What is wrong with a draft, found in the browser before saving or said by the hub's 400
 * (`details.problems`), keyed by the same dotted paths (`intents.3.phrases.es`) so each message
 * lands next to the intent, entity or setting it names.
 */

export interface ClientProblem {
  path: string;
  key: IcMessageKey;
  values?: Record<string, string | number>;
}

/** `body.model.intents[3].phrases.es` (Fastify, zod or the validator) → `intents.3.phrases.es`. */
export function normalizeProblemPath(path: string): string {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\[["']?([^\]"']+)["']?\]/g, '.$1')
    .replace(/^\.+/, '')
    .replace(/^body(\.|$)/, '')
    .replace(/^model(\.|$)/, '');
}

/** The hub's messages re-keyed by normalized path (messages already in the current language). */
export function normalizeMessages(messages: FieldMessages): FieldMessages {
  const out: FieldMessages = {};
  for (const [path, list] of Object.entries(messages)) {
    const target = (out[normalizeProblemPath(path)] ??= []);
    for (const m of list) if (!target.includes(m)) target.push(m);
  }
  return out;
}

/**
 * The bots package's cross-reference checks name intents and entities by name
 * (`intents.consulta_rfc.flow`), zod by position (`intents.3.flow`): names become positions in
 * the form that was saved, so both land on the same fields.
 */
export function indexNamedPaths(messages: FieldMessages, form: Pick<ModelForm, 'intents' | 'entities'>): FieldMessages {
  const out: FieldMessages = {};
  for (const [path, list] of Object.entries(messages)) {
    const match = /^(intents|entities)\.([a-z][a-z0-9_-]*)(\..*)?$/.exec(path);
    const items: readonly { name: string }[] = match?.[1] === 'intents' ? form.intents : form.entities;
    const index = match ? items.findIndex((item) => item.name.trim() === match[2]) : -1;
    const key = match && index >= 0 ? `${match[1]}.${index}${match[3] ?? ''}` : path;
    const target = (out[key] ??= []);
    for (const m of list) if (!target.includes(m)) target.push(m);
  }
  return out;
}

function duplicates(names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const name of names) {
    if (name === '') continue;
    if (seen.has(name)) twice.add(name);
    seen.add(name);
  }
  return twice;
}

function checkName(name: string, path: string, repeated: Set<string>, out: ClientProblem[]): void {
  const trimmed = name.trim();
  if (trimmed === '') out.push({ path, key: 'p.required' });
  else if (!NAME_PATTERN.test(trimmed)) out.push({ path, key: 'p.name' });
  else if (repeated.has(trimmed)) out.push({ path, key: 'p.duplicate', values: { name: trimmed } });
}

/** The browser's own checks; the hub repeats them and adds the cross-references (dangling steps). */
export function validateModelForm(form: ModelForm): ClientProblem[] {
  const out: ClientProblem[] = [];
  const threshold = Number(form.threshold.trim().replace(',', '.'));
  if (form.threshold.trim() === '' || !Number.isFinite(threshold) || threshold < 0.1 || threshold > 0.99) out.push({ path: 'threshold', key: 'p.threshold' });
  const fallbacks = form.maxFallbacks.trim();
  if (!/^\d+$/.test(fallbacks) || Number(fallbacks) < 1 || Number(fallbacks) > 10) out.push({ path: 'maxFallbacks', key: 'p.maxFallbacks' });

  const intentNames = duplicates(form.intents.map((i) => i.name.trim()));
  form.intents.forEach((intent, i) => {
    checkName(intent.name, `intents.${i}.name`, intentNames, out);
    if (intent.phrases.es.length + intent.phrases.en.length === 0) out.push({ path: `intents.${i}.phrases`, key: 'p.noPhrases' });
    const answered = intent.answers.some((a) => a.es.trim() !== '' || a.en.trim() !== '');
    if (!answered && intent.flow === '' && !intent.handoff) out.push({ path: `intents.${i}.answers`, key: 'p.noAnswers' });
    intent.answers.forEach((answer, j) => {
      if (answer.es.trim() === '' && answer.en.trim() !== '') out.push({ path: `intents.${i}.answers.${j}.es`, key: 'p.answerEs' });
    });
  });

  const entityNames = duplicates(form.entities.map((e) => e.name.trim()));
  form.entities.forEach((entity, i) => {
    checkName(entity.name, `entities.${i}.name`, entityNames, out);
    if (entity.values.every((v) => v.value.trim() === '')) out.push({ path: `entities.${i}.values`, key: 'p.noValues' });
  });

  const flows = parseFlows(form.flowsText);
  if (!flows.ok) out.push(flows.message === 'not-array' ? { path: 'flows', key: 'p.flowsArray' } : { path: 'flows', key: 'p.flowsJson', values: { error: flows.message } });
  return out;
}

/** Client problems as path → messages, through the section's translator. */
export function clientMessages(problems: readonly ClientProblem[], t: (key: IcMessageKey, values?: Record<string, string | number>) => string): FieldMessages {
  const out: FieldMessages = {};
  for (const p of problems) {
    const list = (out[p.path] ??= []);
    const text = t(p.key, p.values);
    if (!list.includes(text)) list.push(text);
  }
  return out;
}

/** Messages under `prefix` with the rest of the path (`phrases.es.2`), for the field that shows them. */
export function messagesWithin(messages: FieldMessages, prefix: string): { sub: string; message: string }[] {
  return Object.entries(messages).flatMap(([path, list]) => {
    if (path !== prefix && !path.startsWith(`${prefix}.`)) return [];
    const sub = path.slice(prefix.length + 1);
    return list.map((message) => ({ sub, message }));
  });
}

/** Indices of intents (or entities) with a message, so the list can mark them. */
export function indicesWithProblems(messages: FieldMessages, collection: 'intents' | 'entities'): Set<number> {
  const out = new Set<number>();
  for (const [path, list] of Object.entries(messages)) {
    const match = new RegExp(`^${collection}\\.(\\d+)(\\.|$)`).exec(path);
    if (match && list.length > 0) out.add(Number(match[1]));
  }
  return out;
}

/** `intents.3.phrases.es` → "Intención «consulta_rfc» · phrases.es", for the banner's list. */
export function describeProblemPath(path: string, form: ModelForm, t: (key: IcMessageKey, values?: Record<string, string | number>) => string): string {
  const match = /^(intents|entities)\.(\d+)(?:\.(.*))?$/.exec(path);
  if (match) {
    const index = Number(match[2]);
    const item = match[1] === 'intents' ? form.intents[index] : form.entities[index];
    const label = t(match[1] === 'intents' ? 'p.atIntent' : 'p.atEntity', { name: item?.name.trim() || `#${index + 1}` });
    return match[3] ? `${label} · ${match[3]}` : label;
  }
  if (path === 'threshold') return t('ed.threshold');
  if (path === 'maxFallbacks') return t('ed.maxFallbacks');
  if (path === 'flows' || path.startsWith('flows.')) return path === 'flows' ? t('ed.flows') : `${t('ed.flows')} · ${path.slice(6)}`;
  return path === '' ? t('p.model') : path;
}
