import { parseArgs } from 'node:util';
import { BENCH_FLAGS, benchFlags, positiveInt as int, type BenchFlags } from '../bench-options.js';
import { FULL_STORM, type StormSettings } from './storm-world.js';

/** Command line of `npm run bench:router-db`. */
export interface Options extends BenchFlags {
  run: Set<'storm' | 'live'>;
  storm: StormSettings;
  baseline: boolean;
  repeats: number;
  live: { agents: number; rate: number; seconds: number; warmup: number; topology: 'split' | 'single' };
}

const HELP = [
  'npm run bench:router-db -- [options]',
  '  --only storm|live        run one of the two benchmarks                      [both]',
  '  --quick                  small sizes (~1 min): storm 1,000 agents / 5,000 waiting; live 500 agents, 200/s for 5 s',
  'Shift-start storm:',
  '  --agents N               agents (4 text slots each)                         [10000]',
  '  --conversations N        conversations waiting at the start                 [50000]',
  '  --seed N                 world seed                                         [20261126]',
  '  --no-baseline            skip the raw set-based write baseline',
  '  --repeats N              storms from the same data, median reported         [3]',
  'Live hub, arrival → offer:',
  '  --live-agents N          available agents (4 slots each)                    [3000]',
  '  --rate N --seconds S     webhook posts per second, for S seconds            [500, 20]',
  '  --warmup N               warm-up posts at half rate                         [500]',
  '  --topology split|single  API and worker in two processes, or one "all"      [split]',
  '  --log-level L            LOG_LEVEL of the hub                               [warn]',
  '  --no-report              print the summary only (no bench/reports file)',
  '',
].join('\n');

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      agents: { type: 'string' },
      conversations: { type: 'string' },
      seed: { type: 'string' },
      'no-baseline': { type: 'boolean', default: false },
      repeats: { type: 'string' },
      'live-agents': { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      topology: { type: 'string', default: 'split' },
      ...BENCH_FLAGS,
    },
    strict: true,
  });
  const flags = benchFlags(values, HELP);
  const only = values.only;
  if (only !== undefined && only !== 'storm' && only !== 'live') throw new Error('--only must be storm or live');
  const topology = values.topology;
  if (topology !== 'split' && topology !== 'single') throw new Error('--topology must be split or single');
  const quick = flags.quick;
  return {
    run: new Set(only === undefined ? ['storm', 'live'] : [only]),
    storm: {
      ...FULL_STORM,
      agents: int(values.agents, quick ? 1_000 : FULL_STORM.agents, 'agents'),
      conversations: int(values.conversations, quick ? 5_000 : FULL_STORM.conversations, 'conversations'),
      seed: int(values.seed, FULL_STORM.seed, 'seed'),
    },
    baseline: !values['no-baseline'],
    repeats: int(values.repeats, quick ? 1 : 3, 'repeats'),
    live: {
      agents: int(values['live-agents'], quick ? 500 : 3_000, 'live-agents'),
      rate: int(values.rate, quick ? 200 : 500, 'rate'),
      seconds: int(values.seconds, quick ? 5 : 20, 'seconds'),
      warmup: int(values.warmup, quick ? 200 : 500, 'warmup'),
      topology,
    },
    ...flags,
  };
}
