import { parseArgs } from 'node:util';
import { BENCH_FLAGS, benchFlags, positiveInt as int, type BenchFlags } from '../bench-options.js';
import type { WidgetSettings } from './run-widget.js';

/** Command line of `npm run bench:widget`. */
export interface WidgetOptions extends BenchFlags {
  settings: WidgetSettings;
}

export const FULL: WidgetSettings = {
  visitors: 5_000,
  clientProcesses: 1,
  connectConcurrency: 50,
  warmupSockets: 200,
  settleMs: 3_000,
  sample: 200,
  concurrency: 8,
  warmupRoundTrips: 10,
  timeoutMs: 15_000,
};

const HELP = [
  'npm run bench:widget -- [options]',
  '  --visitors N            visitors holding a /widget socket (memory phase)     [5000]',
  '  --client-processes N    client child processes sharing those sockets          [1]',
  '  --connect-concurrency N handshakes in flight per client process               [50]',
  '  --sample N              round trips per mode (sequential, concurrent)         [200]',
  '  --concurrency N         round trips in flight in the concurrent mode          [8]',
  '  --quick                 500 visitors, 50 round trips per mode',
  '  --log-level L           LOG_LEVEL of the hub processes                        [warn]',
  '  --no-report             print the summary only (no bench/reports file)',
  '',
].join('\n');

export function parseWidgetOptions(argv: string[]): WidgetOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      visitors: { type: 'string' },
      'client-processes': { type: 'string' },
      'connect-concurrency': { type: 'string' },
      sample: { type: 'string' },
      concurrency: { type: 'string' },
      ...BENCH_FLAGS,
    },
    strict: true,
  });
  const flags = benchFlags(values, HELP);
  const quick = flags.quick;
  const visitors = int(values.visitors, quick ? 500 : FULL.visitors, 'visitors');
  return {
    settings: {
      ...FULL,
      visitors,
      clientProcesses: int(values['client-processes'], FULL.clientProcesses, 'client-processes'),
      connectConcurrency: int(values['connect-concurrency'], FULL.connectConcurrency, 'connect-concurrency'),
      warmupSockets: Math.min(FULL.warmupSockets, Math.ceil(visitors / 10)),
      sample: int(values.sample, quick ? 50 : FULL.sample, 'sample'),
      concurrency: int(values.concurrency, FULL.concurrency, 'concurrency'),
    },
    ...flags,
  };
}
