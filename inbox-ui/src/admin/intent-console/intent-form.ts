import type { BotModel, BotModelInput, Language } from '@ventanilla/bots';

/**
 * The draft's editable form and its way back to the model the hub stores: text fields stay
 * strings while the trainer types (a threshold half-typed is not a number yet), phrases and
 * synonyms are lists. Everything the console does not edit (fallback texts, greeting, KB
 * settings…) rides along untouched in `base`.
 */

export const INTENT_LANGUAGES: readonly Language[] = ['es', 'en'];
export const NAME_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;
export const MAX_PHRASE_CHARS = 500;

export interface AnswerForm {
  es: string;
  en: string;
}

export interface IntentForm {
  /** Stable while editing (names change): React keys and the selection. */
  key: string;
  name: string;
  description: string;
  phrases: Record<Language, string[]>;
  answers: AnswerForm[];
  flow: string;
  handoff: boolean;
}

export interface EntityValueForm {
  value: string;
  /** One synonym per line, per language. */
  synonyms: Record<Language, string>;
}

export interface EntityForm {
  key: string;
  name: string;
  values: EntityValueForm[];
}

export interface ModelForm {
  base: BotModel;
  threshold: string;
  maxFallbacks: string;
  intents: IntentForm[];
  entities: EntityForm[];
  /** The flows as JSON text (edited as text; the hub validates the steps). */
  flowsText: string;
}

let counter = 0;
export function newKey(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

export function emptyIntent(name = ''): IntentForm {
  return { key: newKey('intent'), name, description: '', phrases: { es: [], en: [] }, answers: [{ es: '', en: '' }], flow: '', handoff: false };
}

export function emptyEntity(): EntityForm {
  return { key: newKey('entity'), name: '', values: [{ value: '', synonyms: { es: '', en: '' } }] };
}

export function toModelForm(model: BotModel): ModelForm {
  return {
    base: model,
    threshold: String(model.threshold),
    maxFallbacks: String(model.maxFallbacks),
    intents: model.intents.map((intent) => ({
      key: newKey('intent'),
      name: intent.name,
      description: intent.description ?? '',
      phrases: { es: [...intent.phrases.es], en: [...intent.phrases.en] },
      answers: intent.answers.map((a) => ({ es: a.es, en: a.en ?? '' })),
      flow: intent.flow ?? '',
      handoff: intent.handoff,
    })),
    entities: model.entities.map((entity) => ({
      key: newKey('entity'),
      name: entity.name,
      values: entity.values.map((v) => ({ value: v.value, synonyms: { es: v.synonyms.es.join('\n'), en: v.synonyms.en.join('\n') } })),
    })),
    flowsText: JSON.stringify(model.flows, null, 2),
  };
}

export function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** A number typed in a text field, or NaN (the hub then says why). */
function numberOf(text: string): number {
  const trimmed = text.trim().replace(',', '.');
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

export type FlowsParse = { ok: true; flows: unknown } | { ok: false; message: string };

export function parseFlows(text: string): FlowsParse {
  if (text.trim() === '') return { ok: true, flows: [] };
  try {
    const flows: unknown = JSON.parse(text);
    if (!Array.isArray(flows)) return { ok: false, message: 'not-array' };
    return { ok: true, flows };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The form as the model the hub receives on PUT. Flows that are not valid JSON stay out (the
 * caller checks `parseFlows` first and stops there); empty answers are dropped, an English
 * answer without Spanish is kept so the hub can name it.
 */
export function toModelInput(form: ModelForm): BotModelInput {
  const parsed = parseFlows(form.flowsText);
  const flows = parsed.ok ? (parsed.flows as BotModelInput['flows']) : form.base.flows;
  return {
    ...form.base,
    threshold: numberOf(form.threshold),
    maxFallbacks: numberOf(form.maxFallbacks),
    intents: form.intents.map((intent) => ({
      name: intent.name.trim(),
      ...(intent.description.trim() ? { description: intent.description.trim() } : {}),
      phrases: { es: [...intent.phrases.es], en: [...intent.phrases.en] },
      answers: intent.answers
        .filter((a) => a.es.trim() !== '' || a.en.trim() !== '')
        .map((a) => ({ es: a.es.trim(), ...(a.en.trim() ? { en: a.en.trim() } : {}) })),
      ...(intent.flow ? { flow: intent.flow } : {}),
      handoff: intent.handoff,
    })),
    entities: form.entities.map((entity) => ({
      name: entity.name.trim(),
      values: entity.values
        .filter((v) => v.value.trim() !== '')
        .map((v) => ({ value: v.value.trim(), synonyms: { es: splitLines(v.synonyms.es), en: splitLines(v.synonyms.en) } })),
    })),
    flows,
  };
}

/** Flow ids in the flows text (for the intent's flow picker); none while the text is not valid. */
export function flowIds(form: ModelForm): string[] {
  const parsed = parseFlows(form.flowsText);
  if (!parsed.ok || !Array.isArray(parsed.flows)) return form.base.flows.map((f) => f.id);
  return parsed.flows.flatMap((f: unknown) => (typeof f === 'object' && f !== null && typeof Reflect.get(f, 'id') === 'string' ? [String(Reflect.get(f, 'id'))] : []));
}

/** Whether the form differs from what was loaded or last saved. */
export function isDirty(form: ModelForm, saved: ModelForm): boolean {
  return JSON.stringify(toModelInput(form)) !== JSON.stringify(toModelInput(saved)) || form.flowsText.trim() !== saved.flowsText.trim();
}

export interface PasteResult {
  phrases: string[];
  added: string[];
  /** Lines already in the list (compared without case, accents' case and extra spaces). */
  duplicates: string[];
  tooLong: string[];
}

function phraseKey(phrase: string): string {
  return phrase.toLocaleLowerCase('es').replace(/\s+/g, ' ').trim();
}

/** Bulk paste: one phrase per line added to `existing`; blanks, repeats and over-long lines are left out and reported. */
export function addPhrases(existing: readonly string[], pasted: string): PasteResult {
  const seen = new Set(existing.map(phraseKey));
  const result: PasteResult = { phrases: [...existing], added: [], duplicates: [], tooLong: [] };
  for (const line of splitLines(pasted)) {
    const phrase = line.replace(/\s+/g, ' ');
    if (phrase.length > MAX_PHRASE_CHARS) {
      result.tooLong.push(phrase);
      continue;
    }
    const key = phraseKey(phrase);
    if (seen.has(key)) {
      result.duplicates.push(phrase);
      continue;
    }
    seen.add(key);
    result.phrases.push(phrase);
    result.added.push(phrase);
  }
  return result;
}

export function phraseCount(intent: Pick<IntentForm, 'phrases'>): number {
  return intent.phrases.es.length + intent.phrases.en.length;
}

/** Intents whose name, description or phrases contain the search (case and accents ignored). */
export function filterIntents(intents: readonly IntentForm[], search: string): IntentForm[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('es');
  const needle = fold(search.trim());
  if (needle === '') return [...intents];
  return intents.filter((i) => [i.name, i.description, ...i.phrases.es, ...i.phrases.en].some((text) => fold(text).includes(needle)));
}
