import { containerBootstrap, type NlpjsLogger } from '@nlpjs/core';
import { LangEs } from '@nlpjs/lang-es';
import { Nlp } from '@nlpjs/nlp';
import type { BotModel } from '@ventanilla/bots';

const silent = (): void => undefined;
const quiet: NlpjsLogger = { debug: silent, info: silent, warn: silent, error: silent, log: silent, trace: silent, fatal: silent };

/**
 * The baseline: NLP.js as its README shows it — a container with the Spanish plugin, an `Nlp`,
 * `addDocument` per phrase, `train()` — with the same data and none of our wrapper (no input
 * checks, language detection, threshold or entities). Only its console output is silenced and
 * nothing is saved, as in ours, so both sides do the same work.
 */
export async function trainRawNlp(model: BotModel): Promise<Nlp> {
  const nlp = rawNlp();
  for (const intent of model.intents) for (const phrase of intent.phrases.es) nlp.addDocument('es', phrase, intent.name);
  await nlp.train();
  return nlp;
}

/**
 * The same trained model in a second `Nlp`: NLP.js caches each text it has prepared, so timing
 * `process()` on the instance that just ran `classify()` over the same texts would flatter it.
 */
export function copyRawNlp(trained: Nlp): Nlp {
  const nlp = rawNlp();
  nlp.import(trained.export(true));
  return nlp;
}

function rawNlp(): Nlp {
  const container = containerBootstrap();
  container.use(LangEs);
  container.register('logger', quiet);
  const nlp = new Nlp({ languages: ['es'], autoSave: false, autoLoad: false }, container);
  nlp.nluManager.settings.log = false;
  return nlp;
}
