import { crossValidate, loadNlu, trainNlu, type BotModel, type OfficialIdChecks, type TrainedNlu } from '@ventanilla/bots';
import type { Nlp } from '@nlpjs/nlp';
import { n1 } from '../report-format.js';
import type { BenchLog } from '../router-db/run-env.js';
import { timeClassifications, timed, timeInterleaved, type ClassifyFigures } from './measure.js';
import { loadDemoModel } from './demo-model.js';
import { copyRawNlp, trainRawNlp } from './raw-nlpjs.js';
import { syntheticModel } from './synthetic-model.js';

export interface BotsSettings {
  intents: number;
  phrasesPerIntent: number;
  /** Unseen utterances per intent, classified and timed. */
  testPerIntent: number;
  /** Unseen utterances per intent classified before timing (JIT warm-up). */
  warmupPerIntent: number;
  /** Trainings of the full model per side, alternated (ours, raw, ours, raw…). */
  trainingRounds: number;
  /** Also run the console's "Entrenar" cross-validation on the synthetic model (k folds, each a full training). */
  crossValidate: boolean;
  /** Also measure the demo model (bots/models/demo) when it is present. */
  demo: boolean;
}

export interface CrossValidationFigures {
  folds: number;
  accuracy: number;
  wallMs: number;
}

export interface SyntheticFigures {
  intents: number;
  phrases: number;
  threshold: number;
  /** `trainMs`: the fastest of the rounds. */
  ours: { trainMs: number; trainRoundsMs: number[]; classify: ClassifyFigures };
  /** NLP.js trained and asked directly: `classify()` is the classifier we call, `process()` its full documented pipeline. */
  raw: { trainMs: number; trainRoundsMs: number[]; classify: ClassifyFigures; process: ClassifyFigures };
  /** The test utterances on which ours and raw `classify()` settled on the same intent (they share the classifier). */
  agreement: number;
  exportBytes: number;
  loadMs: number;
  crossValidation: CrossValidationFigures | null;
}

export interface DemoFigures {
  intents: number;
  phrases: number;
  heldOut: number;
  trainMs: number;
  classify: ClassifyFigures;
  crossValidation: CrossValidationFigures;
}

export interface BotsResult {
  settings: BotsSettings;
  synthetic: SyntheticFigures;
  /** A string says why the demo part did not run. */
  demo: DemoFigures | string;
}

// The synthetic phrases carry no ids; the benchmark times the NLU, not the hub's check digits.
const acceptAll: OfficialIdChecks = {
  curp: (raw) => ({ valid: true, normalized: raw.toUpperCase() }),
  rfc: (raw) => ({ valid: true, normalized: raw.toUpperCase() }),
  nss: (raw) => ({ valid: true, normalized: raw }),
};

/**
 * The NLU benchmark: training time and single-thread classification throughput/latency of our
 * NLU on a synthetic model, against NLP.js used directly with the same data in the same run,
 * then the demo model's figures (cross-validated and held-out accuracy) when it exists.
 */
export async function runBots(settings: BotsSettings, log: BenchLog): Promise<BotsResult> {
  const set = syntheticModel(settings);
  const phrases = set.model.intents.reduce((n, i) => n + i.phrases.es.length, 0);
  log(`synthetic model: ${set.model.intents.length} intents, ${phrases} phrases, ${set.testSet.length} test utterances`);

  // A small training on each side first: the timed ones then run on warm (JIT-compiled) code.
  const small = syntheticModel({ intents: 12, phrasesPerIntent: 5, testPerIntent: 0, warmupPerIntent: 0, seed: 99 }).model;
  await trainNlu(small, acceptAll);
  await trainRawNlp(small);

  // Alternated rounds, the fastest of each side kept: on a shared machine one round can be
  // slowed by whatever else runs, and that must not land on one side only.
  const oursRounds: number[] = [];
  const rawRounds: number[] = [];
  let ours: Awaited<ReturnType<typeof trainNlu>> | null = null;
  let raw: { value: Nlp; ms: number } | null = null;
  for (let round = 0; round < settings.trainingRounds; round++) {
    ours = await trainNlu(set.model, acceptAll);
    oursRounds.push(ours.durationMs);
    raw = await timed(() => trainRawNlp(set.model));
    rawRounds.push(raw.ms);
    log(`round ${round + 1}: ours trained in ${Math.round(ours.durationMs)} ms, raw NLP.js in ${Math.round(raw.ms)} ms`);
  }
  if (!ours || !raw) throw new Error('trainingRounds must be at least 1');
  const threshold = set.model.threshold;
  const rawClassify = async (u: string): Promise<string | null> => {
    const out = await raw.value.classify('es', u);
    return out.intent !== 'None' && out.score >= threshold ? out.intent : null;
  };
  const rawForProcess = copyRawNlp(raw.value);
  const rawProcess = async (u: string): Promise<string | null> => {
    const out = await rawForProcess.process('es', u);
    return out.intent !== 'None' && out.score >= threshold ? out.intent : null;
  };
  const oursClassify = async (u: string): Promise<string | null> => (await ours.nlu.classify(u)).intent;

  // Warm every path on utterances the timed loops never see (NLP.js caches prepared texts).
  const warmup = set.warmupSet.map((utterance) => ({ utterance }));
  await timeInterleaved(warmup, [oursClassify, rawClassify, rawProcess]);
  const [oursFigures, rawFigures, rawProcessFigures] = await timeInterleaved(set.testSet, [oursClassify, rawClassify, rawProcess]);
  if (!oursFigures || !rawFigures || !rawProcessFigures) throw new Error('a classification loop gave no figures');
  log(`classified ${set.testSet.length} utterances: ours ${Math.round(oursFigures.perSecond)}/s, raw ${Math.round(rawFigures.perSecond)}/s`);
  const agreement = await agreementOf(set.testSet.map((t) => t.utterance), ours.nlu, rawClassify);

  const exported = ours.nlu.exportTrained();
  const load = await timed(() => loadNlu(set.model, exported, acceptAll));
  let crossValidation: CrossValidationFigures | null = null;
  if (settings.crossValidate) {
    crossValidation = await crossValidationOf(set.model);
    log(`cross-validation (${crossValidation.folds} folds): ${n1(crossValidation.accuracy * 100)} % in ${Math.round(crossValidation.wallMs)} ms`);
  }
  const synthetic: SyntheticFigures = {
    intents: set.model.intents.length,
    phrases,
    threshold,
    ours: { trainMs: Math.min(...oursRounds), trainRoundsMs: oursRounds, classify: oursFigures },
    raw: { trainMs: Math.min(...rawRounds), trainRoundsMs: rawRounds, classify: rawFigures, process: rawProcessFigures },
    agreement,
    exportBytes: Buffer.byteLength(exported),
    loadMs: load.ms,
    crossValidation,
  };
  return { settings, synthetic, demo: settings.demo ? await demoFigures(log) : 'not asked (--no-demo)' };
}

async function agreementOf(utterances: string[], nlu: TrainedNlu, raw: (u: string) => Promise<string | null>): Promise<number> {
  // Ours may refuse what raw NLP.js answers (too few of the words known to the model:
  // nlu/vocabulary.ts) but must never pick a different intent: a refusal counts as agreeing.
  let same = 0;
  for (const u of utterances) {
    const ours = (await nlu.classify(u)).intent;
    if (ours === null || ours === (await raw(u))) same += 1;
  }
  return utterances.length === 0 ? NaN : same / utterances.length;
}

async function crossValidationOf(model: BotModel): Promise<CrossValidationFigures> {
  const cv = await timed(() => crossValidate(model, acceptAll));
  return { folds: cv.value.folds, accuracy: cv.value.accuracy, wallMs: cv.ms };
}

async function demoFigures(log: BenchLog): Promise<DemoFigures | string> {
  const demo = await loadDemoModel();
  if (typeof demo === 'string') {
    log(`demo model skipped: ${demo}`);
    return demo;
  }
  const model = demo.model;
  const trained = await trainNlu(model, acceptAll);
  const classify = await timeClassifications(demo.heldOut, async (u) => (await trained.nlu.classify(u)).intent);
  const crossValidation = await crossValidationOf(model);
  log(`demo model: held-out ${classify.correct ?? 0}/${demo.heldOut.length}, cross-validated ${n1(crossValidation.accuracy * 100)} %`);
  return {
    intents: model.intents.length,
    phrases: model.intents.reduce((n, i) => n + i.phrases.es.length + i.phrases.en.length, 0),
    heldOut: demo.heldOut.length,
    trainMs: trained.durationMs,
    classify,
    crossValidation,
  };
}
