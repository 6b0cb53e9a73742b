import type { Nlp, NlpClassification, NlpClassifyOutput } from '@nlpjs/nlp';
import type { NluResult, OfficialIdChecks, TrainedNlu } from '../engine.contract.js';
import { extractEntities } from '../entities/index.js';
import type { BotModel, Language } from '../model.schema.js';
import { languageDetector } from './language.js';
import { checkUtterance, MAX_UTTERANCE_CHARS } from './utterance.js';
import { MIN_KNOWN_SHARE, vocabularyCheck } from './vocabulary.js';

/** NLP.js's own "nothing fits" class; never an intent of ours (slugs are lowercase). */
const NONE = 'None';
const MAX_CANDIDATES = 3;

/** What cross-validation needs besides the public contract: classifying in a known language. */
export interface TrainedNluInternal extends TrainedNlu {
  classifyAs(utterance: string, language: Language): Promise<NluResult>;
}

/**
 * Wraps a trained (or imported) NLP.js `Nlp` as our `TrainedNlu`: bad input answered without
 * classifying, the language detected among the model's, the threshold applied, entities attached.
 * When the detected language understands nothing, the model's other language gets a chance
 * ("hola, I need my folio status" may be either), and its answer is taken only if it is sure.
 * An English message to a model with Spanish phrases only is classified in Spanish and still
 * reported as English (the answers may have English text).
 */
export function wrapTrainedNlu(nlp: Nlp, model: BotModel, checks: OfficialIdChecks, trainedLanguages: readonly Language[]): TrainedNluInternal {
  const detect = languageDetector(model);
  const fallbackLanguage: Language = model.languages[0] ?? 'es';
  const vocabulary = vocabularyCheck(nlp);

  async function classifyIn(text: string, language: Language, topicWords: string): Promise<Omit<NluResult, 'entities'>> {
    if (!trainedLanguages.includes(language)) return { intent: null, score: 0, guess: null, candidates: [], language };
    const output = await nlp.classify(language, text);
    vocabulary.classified();
    const result = fromNlpjs(output, language, model.threshold);
    if (result.intent === null) return result;
    // Mostly words the model never saw: the score is not evidence (the guess stays for trainers).
    const known = await vocabulary.knownShare(topicWords, language);
    return known !== null && known < MIN_KNOWN_SHARE ? { ...result, intent: null } : result;
  }

  async function run(utterance: string, forced: Language | null): Promise<NluResult> {
    const checked = checkUtterance(utterance);
    if (!checked.ok) {
      const language = forced ?? (checked.issue === 'too_long' ? detect(checked.text.slice(0, MAX_UTTERANCE_CHARS)) : fallbackLanguage);
      return { intent: null, score: 0, guess: null, candidates: [], language, entities: [], issue: checked.issue };
    }
    const text = checked.text;
    const language = forced ?? detect(text);
    const entities = extractEntities(text, model, checks);
    // The words left once the entities are taken out: what tells the topic (vocabulary.ts).
    const topicWords = entities.reduce((rest, entity) => rest.split(entity.text).join(' '), text);
    let result = await classifyIn(text, language, topicWords);
    if (result.intent === null && forced === null) {
      for (const other of trainedLanguages) {
        if (other === language) continue;
        const alternative = await classifyIn(text, other, topicWords);
        // A language the model has no phrases in was still detected from the citizen's words:
        // keep it for the answer. Otherwise the language that understood was the better reading.
        if (alternative.intent !== null) result = trainedLanguages.includes(language) ? alternative : { ...alternative, language };
        // Nothing sure either way: keep the citizen's language, but give trainers the other's guess if it is all there is.
        else if (result.guess === null && alternative.guess !== null) result = { ...alternative, language };
      }
    }
    return { ...result, entities };
  }

  return {
    classify: (utterance) => run(utterance, null),
    classifyAs: (utterance, language) => run(utterance, language),
    exportTrained: () => nlp.export(true),
  };
}

function fromNlpjs(output: NlpClassifyOutput, language: Language, threshold: number): Omit<NluResult, 'entities'> {
  const ranked = topCandidates(output.classifications);
  const best = ranked[0];
  // NLP.js answers 'None' on a tie at the top too: two intents equally likely is no answer.
  const accepted = best !== undefined && output.intent !== NONE && output.intent === best.intent && best.score >= threshold;
  return {
    intent: accepted ? best.intent : null,
    score: best?.score ?? 0,
    guess: best?.intent ?? null,
    candidates: ranked,
    language,
  };
}

/** The best few in one pass: NLP.js lists every intent of the model (300 in a big one) at each call. */
function topCandidates(classifications: NlpClassification[]): { intent: string; score: number }[] {
  const top: { intent: string; score: number }[] = [];
  for (const c of classifications) {
    if (c.intent === NONE || !(c.score > 0)) continue;
    const last = top[top.length - 1];
    if (top.length === MAX_CANDIDATES && last && c.score <= last.score) continue;
    let at = top.length;
    while (at > 0 && (top[at - 1]?.score ?? 0) < c.score) at--;
    top.splice(at, 0, { intent: c.intent, score: c.score });
    if (top.length > MAX_CANDIDATES) top.pop();
  }
  return top;
}
