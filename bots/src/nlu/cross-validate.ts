import type { OfficialIdChecks } from '../engine.contract.js';
import { foldForMatching } from '../entities/entity-match.js';
import type { BotModel, Language } from '../model.schema.js';
import { trainNlp } from './train.js';
import { wrapTrainedNlu } from './wrap.js';

export const DEFAULT_FOLDS = 5;
/** Above this many phrases the console waits for 3 folds instead of 5 (each fold is a full training). */
export const BIG_MODEL_PHRASES = 3000;
// Fixed: the same model gives the same accuracy on every run, so trainers can compare versions.
const SEED = 20261126;

interface HeldOut {
  intent: string;
  language: Language;
  phrase: string;
  fold: number;
}

export interface CrossValidation {
  accuracy: number;
  folds: number;
  perIntent: Record<string, { correct: number; total: number }>;
}

export function totalPhrases(model: BotModel): number {
  return model.intents.reduce((n, intent) => n + intent.phrases.es.length + intent.phrases.en.length, 0);
}

export function defaultFolds(model: BotModel): number {
  return totalPhrases(model) > BIG_MODEL_PHRASES ? 3 : DEFAULT_FOLDS;
}

/**
 * Stratified k-fold: each intent's phrases (duplicates removed, deterministically shuffled) are
 * dealt round the folds, so every fold holds out a share of every intent. An intent with fewer
 * phrases than folds is held out in as many folds as it has phrases; one with a single phrase is
 * not evaluated (holding it out would leave the intent with nothing to learn from). A held-out
 * phrase below the threshold counts as wrong.
 */
export async function crossValidateModel(model: BotModel, checks: OfficialIdChecks, folds: number): Promise<CrossValidation> {
  const k = Math.max(2, Math.floor(folds));
  const assignments = assignFolds(model, k);
  const perIntent: Record<string, { correct: number; total: number }> = {};
  for (const intent of model.intents) perIntent[intent.name] = { correct: 0, total: 0 };
  let correct = 0;
  for (let fold = 0; fold < k; fold++) {
    const heldOut = assignments.filter((a) => a.fold === fold);
    if (heldOut.length === 0) continue;
    const { nlp, languages } = await trainNlp(withoutPhrases(model, heldOut));
    const nlu = wrapTrainedNlu(nlp, model, checks, languages);
    for (const h of heldOut) {
      const result = await nlu.classifyAs(h.phrase, h.language);
      const counts = perIntent[h.intent];
      if (!counts) continue;
      counts.total += 1;
      if (result.intent === h.intent) {
        counts.correct += 1;
        correct += 1;
      }
    }
  }
  return { accuracy: assignments.length === 0 ? 0 : correct / assignments.length, folds: k, perIntent };
}

function assignFolds(model: BotModel, k: number): HeldOut[] {
  const random = mulberry32(SEED);
  const out: HeldOut[] = [];
  model.intents.forEach((intent, index) => {
    const seen = new Set<string>();
    const phrases: { language: Language; phrase: string }[] = [];
    for (const language of model.languages) {
      for (const phrase of intent.phrases[language]) {
        const key = `${language}:${foldForMatching(phrase.trim())}`;
        if (seen.has(key)) continue;
        seen.add(key);
        phrases.push({ language, phrase });
      }
    }
    if (phrases.length < 2) return;
    shuffle(phrases, random);
    // Start each intent on another fold so the small intents do not all pile into fold 0.
    phrases.forEach((p, i) => out.push({ intent: intent.name, ...p, fold: (i + index) % k }));
  });
  return out;
}

function withoutPhrases(model: BotModel, heldOut: HeldOut[]): BotModel {
  const removed = new Set(heldOut.map((h) => `${h.intent}\u0000${h.language}\u0000${foldForMatching(h.phrase.trim())}`));
  const keep = (intent: string, language: Language) => (phrase: string) => !removed.has(`${intent}\u0000${language}\u0000${foldForMatching(phrase.trim())}`);
  return {
    ...model,
    intents: model.intents.map((intent) => ({
      ...intent,
      phrases: { es: intent.phrases.es.filter(keep(intent.name, 'es')), en: intent.phrases.en.filter(keep(intent.name, 'en')) },
    })),
  };
}

function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = items[i];
    const b = items[j];
    if (a === undefined || b === undefined) continue;
    items[i] = b;
    items[j] = a;
  }
}

/** mulberry32: tiny, seedable, good enough to deal phrases into folds. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
