import { parseArgs } from 'node:util';
import { BENCH_FLAGS, benchFlags, positiveInt as int, type BenchFlags } from '../bench-options.js';

/** One outbound phase: the channel's pace in its settings, or null for the adapter's default (80/s). */
export type PaceSetting = number | null;

/** Command-line options of `npm run bench:whatsapp`, with the defaults of a full or a --quick run applied. */
export interface WhatsAppBenchOptions extends BenchFlags {
  /** Each webhook phase (API alone, with storage): offered requests per second (open loop) and for how long. */
  rate: number;
  seconds: number;
  /** Keep-alive connections of the load generator. */
  connections: number;
  /** Seconds of the closed-loop Fastify hello-world capacity baseline (0: skip it). */
  baselineSeconds: number;
  /** Agent replies per outbound phase. */
  replies: number;
  /** One outbound phase per entry, on a channel of its own. */
  paces: PaceSetting[];
}

const HELP = [
  'npm run bench:whatsapp -- [options]',
  '  --quick               ~45 s smoke run (300 req/s for 3 s, 200 replies per pace)',
  '  --rate N --seconds S  signed Cloud API webhooks per second, open loop   [2000, 15]',
  '                        (each webhook phase: API alone, then with storage)',
  '  --connections N       keep-alive connections of the load generator     [64]',
  '  --baseline-seconds S  Fastify hello-world capacity baseline (closed loop) [5]',
  '  --replies N           agent replies per outbound phase                  [2000]',
  '  --paces L             outbound phases: "default" (adapter, 80/s) or n/s  [default,400]',
  '  --log-level L, --no-report, --help',
  '',
].join('\n');

function parsePaces(raw: string): PaceSetting[] {
  return raw.split(',').map((s) => {
    const word = s.trim();
    if (word === 'default') return null;
    return int(word, 1, 'paces');
  });
}

/** Parses argv (without node and the script); prints the help and exits on --help, throws on a bad value. */
export function parseWhatsAppOptions(argv: string[]): WhatsAppBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      rate: { type: 'string' },
      seconds: { type: 'string' },
      connections: { type: 'string' },
      'baseline-seconds': { type: 'string' },
      replies: { type: 'string' },
      paces: { type: 'string', default: 'default,400' },
      ...BENCH_FLAGS,
    },
    strict: true,
  });
  const flags = benchFlags(values, HELP);
  const quick = flags.quick;
  return {
    ...flags,
    rate: int(values.rate, quick ? 300 : 2000, 'rate'),
    seconds: int(values.seconds, quick ? 3 : 15, 'seconds'),
    connections: int(values.connections, 64, 'connections'),
    baselineSeconds: values['baseline-seconds'] === '0' ? 0 : int(values['baseline-seconds'], quick ? 1 : 5, 'baseline-seconds'),
    replies: int(values.replies, quick ? 200 : 2000, 'replies'),
    paces: parsePaces(values.paces),
  };
}
