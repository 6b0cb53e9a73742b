import type { Nlp } from '@nlpjs/nlp';
import type { BotModel, Language } from '../model.schema.js';
import { createNlp } from './nlp-factory.js';

/** The languages of the model that have at least one training phrase (NLP.js cannot train an empty one). */
export function trainedLanguages(model: BotModel): Language[] {
  return model.languages.filter((language) => model.intents.some((intent) => intent.phrases[language].length > 0));
}

/** An `Nlp` trained on every phrase of the model; untrained (classifies nothing) when it has none. */
export async function trainNlp(model: BotModel): Promise<{ nlp: Nlp; languages: Language[] }> {
  const languages = trainedLanguages(model);
  const nlp = createNlp(languages);
  for (const intent of model.intents) {
    for (const language of languages) for (const phrase of intent.phrases[language]) nlp.addDocument(language, phrase, intent.name);
  }
  if (languages.length > 0) await nlp.train();
  return { nlp, languages };
}
