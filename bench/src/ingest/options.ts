import { parseArgs } from 'node:util';
import { BENCH_FLAGS, benchFlags, positiveInt as int, type BenchFlags } from '../bench-options.js';

/** Command-line options of `npm run bench:ingest`, with the defaults of a full or a --quick run applied. */
export interface Options extends BenchFlags {
  messages: number;
  rate: number;
  seconds: number;
  concurrency: number;
  citizens: number;
  baselineSeconds: number;
  topology: 'split' | 'single';
  ingestConcurrency: number | null;
  poolSize: number | null;
  profile: boolean;
  traceSql: boolean;
  baselines: boolean;
  phases: Set<string>;
  ackRate: number;
  ackSeconds: number;
}

const HELP = [
  'npm run bench:ingest -- [options]',
  '  --quick                 ~20-30 s smoke run (1,500 messages, 300 msg/s for 4 s, 1 s baselines)',
  '  --messages N            phase 1 (max throughput) messages            [20000]',
  '  --concurrency N         in-flight webhook requests (phase 1, baselines) [64]',
  '  --rate N --seconds S    phase 2 fixed rate (open loop)                [1000, 15]',
  '  --citizens N            distinct phones per phase                    [5000]',
  '  --baseline-seconds S    duration of each baseline                    [5]',
  '  --topology split|single API and worker in 2 processes, or 1          [split]',
  '  --ingest-concurrency N  INGEST_CONCURRENCY of the worker             [hub default]',
  '  --pool-size N           DATABASE_POOL_SIZE of the hub processes      [hub default]',
  '  --log-level L           LOG_LEVEL of the hub processes               [warn]',
  '  --ack-rate N --ack-seconds S  API-only webhook ack phase (split)      [2000, 5]',
  '  --phases ack,throughput,rate  which phases to run',
  '  --profile               --cpu-prof on the hub children (files listed at the end)',
  '  --trace-sql             time every SQL statement inside the worker',
  '  --no-baselines, --no-report',
  '',
].join('\n');

/** Parses argv (without node and the script); prints the help and exits on --help, throws on a bad value. */
export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      messages: { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      concurrency: { type: 'string' },
      citizens: { type: 'string' },
      'baseline-seconds': { type: 'string' },
      topology: { type: 'string', default: 'split' },
      'ingest-concurrency': { type: 'string' },
      'pool-size': { type: 'string' },
      profile: { type: 'boolean', default: false },
      'trace-sql': { type: 'boolean', default: false },
      'no-baselines': { type: 'boolean', default: false },
      phases: { type: 'string', default: 'ack,throughput,rate' },
      'ack-rate': { type: 'string' },
      'ack-seconds': { type: 'string' },
      ...BENCH_FLAGS,
    },
    strict: true,
  });
  const flags = benchFlags(values, HELP);
  const quick = flags.quick;
  const topology = values.topology;
  if (topology !== 'split' && topology !== 'single') throw new Error('--topology must be split or single');
  return {
    ...flags,
    messages: int(values.messages, quick ? 1500 : 20_000, 'messages'),
    rate: int(values.rate, quick ? 300 : 1000, 'rate'),
    seconds: int(values.seconds, quick ? 4 : 15, 'seconds'),
    concurrency: int(values.concurrency, 64, 'concurrency'),
    citizens: int(values.citizens, quick ? 1000 : 5000, 'citizens'),
    baselineSeconds: int(values['baseline-seconds'], quick ? 1 : 5, 'baseline-seconds'),
    topology,
    ingestConcurrency: values['ingest-concurrency'] === undefined ? null : int(values['ingest-concurrency'], 64, 'ingest-concurrency'),
    poolSize: values['pool-size'] === undefined ? null : int(values['pool-size'], 20, 'pool-size'),
    profile: values.profile,
    traceSql: values['trace-sql'],
    baselines: !values['no-baselines'],
    phases: new Set(values.phases.split(',').map((s) => s.trim())),
    ackRate: int(values['ack-rate'], 2000, 'ack-rate'),
    ackSeconds: int(values['ack-seconds'], quick ? 2 : 5, 'ack-seconds'),
  };
}
