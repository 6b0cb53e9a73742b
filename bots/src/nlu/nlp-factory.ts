import { containerBootstrap, type NlpjsLogger } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en';
import { LangEs } from '@nlpjs/lang-es';
import { Nlp } from '@nlpjs/nlp';

const silent = (): void => undefined;
// NLP.js warns on the console (e.g. "only stop words"); the hub's logs are structured, and
// trainers see problems in the training report instead.
const quietLogger: NlpjsLogger = { debug: silent, info: silent, warn: silent, error: silent, log: silent, trace: silent, fatal: silent };

/**
 * A fresh NLP.js `Nlp` in its own container: nothing shared between models, nothing written to
 * disk (autoSave/autoLoad off), no console output, no sentiment (we only classify).
 */
export function createNlp(languages: readonly string[]): Nlp {
  const container = containerBootstrap();
  container.use(LangEs);
  container.use(LangEn);
  container.register('logger', quietLogger);
  const nlp = new Nlp({ languages: [...languages], autoSave: false, autoLoad: false, calculateSentiment: false, forceNER: false }, container);
  nlp.nluManager.settings.log = false;
  return nlp;
}
