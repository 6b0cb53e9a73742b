import { parseArgs } from 'node:util';
import { BENCH_FLAGS, benchFlags, positiveInt as int, type BenchFlags } from '../bench-options.js';
import type { ServerSpec, SocketsSettings } from './run-sockets.js';
import { parseTweaks } from './tweaks.js';

/** Command line of `npm run bench:sockets`. */
export interface Options extends BenchFlags {
  settings: SocketsSettings;
}

export const FULL: Omit<SocketsSettings, 'servers'> = {
  sockets: 10_000,
  campaigns: 20,
  clientProcesses: 2,
  connectConcurrency: 50,
  warmupSockets: 200,
  rates: [1_000, 2_500, 5_000, 10_000, 20_000],
  phaseSeconds: 4,
  warmupPushes: 1_000,
  stopAfterFailure: false,
  overloadRate: 40_000,
  settleMs: 3_000,
};

const HELP = [
  'npm run bench:sockets -- [options]',
  '  --sockets N              staff sockets held by the server                    [10000]',
  '  --campaigns N            campaigns the agents are spread over                [20]',
  '  --client-processes N     client child processes sharing the sockets          [2]',
  '  --concurrency N          handshakes in flight per client process             [50]',
  '  --rates A,B,…            targeted pushes per second, one phase each          [1000,2500,5000,10000,20000]',
  '  --seconds S              length of each push phase                           [4]',
  '  --stop-early             stop raising the rate after a phase that does not keep up',
  '  --overload N             last phase at N/s, above capacity (0 = none)       [40000]',
  '  --only hub|raw           one server only (no ratio, no investigation run)',
  '  --no-investigate         skip the third run: the hub with run-time tweaks (overload phase only)',
  '  --tweaks a,b             tweaks of that run (bench/src/sockets/tweaks.ts)   [resync-on-resubscribe]',
  '  --quick                  1,000 sockets, rates 500,2000 for 2 s (~1 min)',
  '  --log-level L            LOG_LEVEL of the hub                                [warn]',
  '  --no-report              print the summary only (no bench/reports file)',
  '',
].join('\n');

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      sockets: { type: 'string' },
      campaigns: { type: 'string' },
      'client-processes': { type: 'string' },
      concurrency: { type: 'string' },
      rates: { type: 'string' },
      seconds: { type: 'string' },
      'stop-early': { type: 'boolean', default: false },
      overload: { type: 'string' },
      only: { type: 'string' },
      'no-investigate': { type: 'boolean', default: false },
      tweaks: { type: 'string', default: 'resync-on-resubscribe' },
      ...BENCH_FLAGS,
    },
    strict: true,
  });
  const flags = benchFlags(values, HELP);
  const quick = flags.quick;
  const rates = values.rates === undefined ? (quick ? [500, 2_000] : FULL.rates) : values.rates.split(',').map((r) => int(r.trim(), 0, 'rates'));
  const only = values.only;
  if (only !== undefined && only !== 'hub' && only !== 'raw') throw new Error('--only must be hub or raw');
  const servers: ServerSpec[] = [];
  if (only !== 'raw') servers.push({ name: 'hub', role: 'hub', tweaks: [], push: 'all' });
  if (only !== 'hub') servers.push({ name: 'raw', role: 'raw', tweaks: [], push: 'all' });
  if (!values['no-investigate'] && only === undefined) {
    const tweaks = parseTweaks(values.tweaks);
    servers.push({ name: `hub+${tweaks.join('+')}`, role: 'hub', tweaks, push: tweaks.includes('resync-on-resubscribe') ? 'overload' : 'none' });
  }
  const sockets = int(values.sockets, quick ? 1_000 : FULL.sockets, 'sockets');
  return {
    settings: {
      ...FULL,
      sockets,
      campaigns: int(values.campaigns, FULL.campaigns, 'campaigns'),
      clientProcesses: int(values['client-processes'], FULL.clientProcesses, 'client-processes'),
      connectConcurrency: int(values.concurrency, FULL.connectConcurrency, 'concurrency'),
      warmupSockets: Math.min(FULL.warmupSockets, Math.ceil(sockets / 10)),
      rates,
      phaseSeconds: int(values.seconds, quick ? 2 : FULL.phaseSeconds, 'seconds'),
      warmupPushes: Math.min(FULL.warmupPushes, rates[0] ?? FULL.warmupPushes),
      stopAfterFailure: values['stop-early'],
      overloadRate: values.overload === '0' ? 0 : int(values.overload, quick ? 10_000 : FULL.overloadRate, 'overload'),
      servers,
    },
    ...flags,
  };
}
