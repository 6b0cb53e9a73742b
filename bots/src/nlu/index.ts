import { performance } from 'node:perf_hooks';
import type { Nlp } from '@nlpjs/nlp';
import type { OfficialIdChecks, TrainedNlu, TrainingReport } from '../engine.contract.js';
import type { BotModel } from '../model.schema.js';
import { crossValidateModel, defaultFolds } from './cross-validate.js';
import { createNlp } from './nlp-factory.js';
import { trainedLanguages, trainNlp } from './train.js';
import { wrapTrainedNlu } from './wrap.js';

/**
 * The NLU of a campaign's bot (issue 7): NLP.js intent classification per language, the
 * threshold and guess the engine and the trainers' inbox need, and the built-in and custom
 * entities. Bad input (empty, huge, emoji-only) is answered with an `issue`, never thrown.
 */

export {
  extractCurp,
  extractDate,
  extractEmail,
  extractEntities,
  extractEnum,
  extractFolio,
  extractNss,
  extractNumber,
  extractPhone,
  extractRfc,
  parseEntityValue,
  parseFreeText,
  parseName,
  type EntityClock,
} from '../entities/index.js';
export { BIG_MODEL_PHRASES, DEFAULT_FOLDS, totalPhrases } from './cross-validate.js';
export { MAX_UTTERANCE_CHARS, checkUtterance } from './utterance.js';

/** Trains on every phrase of the model; `durationMs` is the training alone. */
export async function trainNlu(model: BotModel, checks: OfficialIdChecks): Promise<{ nlu: TrainedNlu; durationMs: number }> {
  const started = performance.now();
  const { nlp, languages } = await trainNlp(model);
  const durationMs = performance.now() - started;
  return { nlu: wrapTrainedNlu(nlp, model, checks, languages), durationMs };
}

/**
 * Brings back a model trained before (`exportTrained()`, stored in `bot_models.trained`) without
 * training again. Throws an Error with a clear message when `exported` is not an NLP.js export.
 */
export async function loadNlu(model: BotModel, exported: string, checks: OfficialIdChecks): Promise<TrainedNlu> {
  const languages = trainedLanguages(model);
  const nlp: Nlp = createNlp(languages);
  try {
    nlp.import(exported);
  } catch (error) {
    throw new Error(`El modelo entrenado guardado no se puede cargar; vuelva a entrenar. / The stored trained model cannot be loaded; train again. (${error instanceof Error ? error.message : String(error)})`);
  }
  return wrapTrainedNlu(nlp, model, checks, languages);
}

/**
 * Cross-validated accuracy (k folds, default 5, 3 for big models) and the final training time:
 * the figure the console shows next to "Entrenar".
 */
export async function crossValidate(model: BotModel, checks: OfficialIdChecks, options: { folds?: number } = {}): Promise<TrainingReport> {
  return (await trainWithReport(model, checks, options)).report;
}

/** The final model (all phrases) and its training report. */
export async function trainWithReport(model: BotModel, checks: OfficialIdChecks, options: { folds?: number } = {}): Promise<{ nlu: TrainedNlu; report: TrainingReport }> {
  const { nlu, durationMs } = await trainNlu(model, checks);
  const cv = await crossValidateModel(model, checks, options.folds ?? defaultFolds(model));
  return { nlu, report: { durationMs, accuracy: cv.accuracy, folds: cv.folds, perIntent: cv.perIntent, trainedAt: new Date().toISOString() } };
}
