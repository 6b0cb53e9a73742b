import { parseArgs } from 'node:util';
import { BENCH_FLAGS, benchFlags, positiveInt as int, type BenchFlags } from '../bench-options.js';
import type { BotsSettings } from './run-bots.js';

/** Command line of `npm run bench:bots`. */
export interface BotsOptions extends BenchFlags {
  settings: BotsSettings;
}

export const FULL: BotsSettings = { intents: 300, phrasesPerIntent: 20, testPerIntent: 10, warmupPerIntent: 1, trainingRounds: 3, crossValidate: true, demo: true };
const QUICK: BotsSettings = { intents: 60, phrasesPerIntent: 20, testPerIntent: 10, warmupPerIntent: 1, trainingRounds: 3, crossValidate: true, demo: true };

const HELP = [
  'npm run bench:bots -- [options]',
  '  --intents N          intents of the synthetic Spanish model                  [300]',
  '  --phrases N          training phrases per intent                              [20]',
  '  --test N             unseen utterances per intent, classified and timed       [10]',
  '  --rounds N           trainings per side, alternated; the fastest is reported  [3]',
  '  --no-cv              skip the cross-validation (k full trainings)',
  '  --no-demo            skip the demo model (bots/models/demo)',
  '  --quick              60 intents × 20 phrases',
  '  --no-report          print the summary only (no bench/reports file)',
  '',
].join('\n');

export function parseBotsOptions(argv: string[]): BotsOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      intents: { type: 'string' },
      phrases: { type: 'string' },
      test: { type: 'string' },
      rounds: { type: 'string' },
      'no-cv': { type: 'boolean', default: false },
      'no-demo': { type: 'boolean', default: false },
      ...BENCH_FLAGS,
    },
    strict: true,
  });
  const flags = benchFlags(values, HELP);
  const base = flags.quick ? QUICK : FULL;
  return {
    settings: {
      ...base,
      intents: int(values.intents, base.intents, 'intents'),
      phrasesPerIntent: int(values.phrases, base.phrasesPerIntent, 'phrases'),
      testPerIntent: int(values.test, base.testPerIntent, 'test'),
      trainingRounds: int(values.rounds, base.trainingRounds, 'rounds'),
      crossValidate: !values['no-cv'],
      demo: !values['no-demo'],
    },
    ...flags,
  };
}
