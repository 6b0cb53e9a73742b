import type { Nlp, NlpDomain } from '@nlpjs/nlp';
import { STOP_WORDS } from '../kb/stop-words.js';
import type { Language } from '../model.schema.js';

/**
 * Below this share of the utterance's content words known to the model, a match is not trusted.
 * NLP.js scores the words it knows and all but ignores the others, so "receta de enchiladas" or
 * "¿cuánto cuesta el acta de nacimiento?" came out as some intent at 0.9–1.0 on the demo model:
 * a confident wrong answer instead of the knowledge base or "no entendí". Measured on the demo
 * model: at 0.5, 15 of 15 off-topic questions fall through while held-out accuracy goes from
 * 96.6 % to 96.0 % (one citizen phrasing with mostly unseen words).
 */
export const MIN_KNOWN_SHARE = 0.34;

/** Classifications between two clears of NLP.js's prepared-text cache (it otherwise keeps an hour of distinct messages). */
const CLEAR_CACHE_EVERY = 5000;

const DEFAULT_DOMAIN = 'master_domain';
const WORD = /^\p{L}{2,}$/u;

export interface VocabularyCheck {
  /** The share (0–1) of the text's content words the model was trained on; null when it has none (all stop words: "hola", "gracias"). */
  knownShare(text: string, language: Language): Promise<number | null>;
  /** Counts a classification; clears NLP.js's per-text cache now and then so a long-lived model does not grow with every distinct message. */
  classified(): void;
}

export function vocabularyCheck(nlp: Nlp): VocabularyCheck {
  const stopStems = new Map<Language, Promise<Set<string>>>();
  let sinceClear = 0;

  const domainOf = (language: Language): NlpDomain | undefined => nlp.nluManager.domainManagers[language]?.domains[DEFAULT_DOMAIN];

  function stopsOf(language: Language, domain: NlpDomain): Promise<Set<string>> {
    let stems = stopStems.get(language);
    if (!stems) {
      stems = domain.prepare([...STOP_WORDS].join(' ')).then((tokens) => new Set(Object.keys(tokens)));
      stopStems.set(language, stems);
    }
    return stems;
  }

  return {
    async knownShare(text, language) {
      const domain = domainOf(language);
      if (!domain?.features) return null;
      const stops = await stopsOf(language, domain);
      // Words only: emoji and numbers (an NSS, a folio's digits) say nothing about the topic.
      const content = Object.keys(await domain.prepare(text)).filter((stem) => WORD.test(stem) && !stops.has(stem));
      if (content.length === 0) return null;
      return content.filter((stem) => domain.features?.[stem]).length / content.length;
    },
    classified() {
      if (++sinceClear < CLEAR_CACHE_EVERY) return;
      sinceClear = 0;
      for (const manager of Object.values(nlp.nluManager.domainManagers)) {
        for (const domain of Object.values(manager.domains)) if (domain.cache) domain.cache.results = {};
      }
    },
  };
}
