import { foldForMatching } from '../entities/entity-match.js';
import type { BotModel, Language } from '../model.schema.js';

/**
 * Which of the model's languages an utterance is in. NLP.js's trigram guesser is unreliable on
 * the short texts citizens send ("ok", "gracias") and its tables are shared by every model in
 * the process, so we count words instead: common function words of each language plus the words
 * only one language's training phrases use. A tie or nothing known → the model's first language
 * (Spanish first); a mixed-language utterance simply counts both.
 */

const HINTS: Record<Language, string[]> = {
  es: (
    'de la que el en y los se del las un por con una su para es al lo como mas pero sus le ya este si porque esta entre cuando muy sin sobre tambien hasta hay donde quien ' +
    'desde todo nos todos uno les ni otros ese eso ante ellos esto antes unos yo otro otra tanto esa estos mucho nada cual poco ella estar algo mi mis tu tus ' +
    'quiero necesito hola gracias buenos buenas dias tardes noches como cuando puedo hablar ayuda favor usted ustedes tengo saber cita tramite estado'
  ).split(' '),
  en: (
    'the and to of is you that it for on with as was are be this have from or by not what how when where why can my your i want need please hello hi ' +
    'thanks thank good morning afternoon evening speak talk help do does am an at about get know would like could which there status appointment'
  ).split(' '),
};

const WORD = /[\p{L}\p{N}]+/gu;

export type LanguageDetector = (text: string) => Language;

export function languageDetector(model: BotModel): LanguageDetector {
  const languages = model.languages;
  const fallback: Language = languages[0] ?? 'es';
  if (languages.length < 2) return () => fallback;
  const vocab = exclusiveVocabulary(model);
  return (text) => {
    const words = foldForMatching(text).match(WORD) ?? [];
    const scores = new Map<Language, number>(languages.map((l) => [l, 0]));
    for (const word of words) {
      for (const language of languages) if (vocab.get(language)?.has(word)) scores.set(language, (scores.get(language) ?? 0) + 1);
    }
    // Letters and marks English never writes.
    if (/[ñ¿¡áéíóú]/i.test(text) && scores.has('es')) scores.set('es', (scores.get('es') ?? 0) + 1);
    let best = fallback;
    for (const language of languages) if ((scores.get(language) ?? 0) > (scores.get(best) ?? 0)) best = language;
    return best;
  };
}

function exclusiveVocabulary(model: BotModel): Map<Language, Set<string>> {
  const seen = new Map<Language, Set<string>>();
  for (const language of model.languages) {
    const words = new Set(HINTS[language]);
    for (const intent of model.intents) {
      for (const phrase of intent.phrases[language]) for (const w of foldForMatching(phrase).match(WORD) ?? []) words.add(w);
    }
    seen.set(language, words);
  }
  const exclusive = new Map<Language, Set<string>>();
  for (const [language, words] of seen) {
    const others = [...seen].filter(([l]) => l !== language).map(([, w]) => w);
    exclusive.set(language, new Set([...words].filter((w) => !others.some((o) => o.has(w)))));
  }
  return exclusive;
}
