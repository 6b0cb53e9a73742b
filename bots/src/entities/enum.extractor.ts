import type { EntityDef } from '../model.schema.js';
import { entityMatch, foldForMatching, isWordChar, keepNonOverlapping, type EntityMatch } from './entity-match.js';

/**
 * A model's closed-list entities: the value or any synonym (either language), whole words,
 * ignoring case and accents ("tramite", "Trámite"). The longest term wins where two overlap
 * ("e.firma" over "firma").
 */
export function extractEnum(text: string, entities: EntityDef[]): EntityMatch[] {
  const folded = foldForMatching(text);
  const candidates: EntityMatch[] = [];
  for (const entity of entities) {
    for (const option of entity.values) {
      const terms = new Set([option.value, ...option.synonyms.es, ...option.synonyms.en].map((t) => foldForMatching(t.trim())).filter((t) => t.length > 0));
      for (const term of terms) {
        for (let at = folded.indexOf(term); at !== -1; at = folded.indexOf(term, at + 1)) {
          const end = at + term.length;
          if (isWordChar(folded, at - 1) && isWordChar(folded, at)) continue;
          if (isWordChar(folded, end) && isWordChar(folded, end - 1)) continue;
          candidates.push(entityMatch(entity.name, text.slice(at, end), at, option.value));
        }
      }
    }
  }
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  return keepNonOverlapping(candidates);
}
