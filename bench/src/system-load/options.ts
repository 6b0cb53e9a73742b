import { parseArgs } from 'node:util';
import { BENCH_FLAGS, benchFlags, positiveInt as int, type BenchFlags } from '../bench-options.js';

/** Command-line options of `npm run bench:system-load`. */
export interface SystemLoadOptions extends BenchFlags {
  /** Minutes of mixed load (after the warm-up). */
  minutes: number;
  /** Multiple of seed-digest §10's realistic profile. */
  scale: number;
  /** Simulated agents connected over socket.io, accepting offers and replying. */
  agents: number;
  /** Text sessions per agent (the campaigns' capacity; seed §2.3: 4–5). */
  textSessions: number;
  /** Human-like think times, milliseconds (uniform in [min, max]). */
  acceptDelayMs: [number, number];
  replyDelayMs: [number, number];
  citizenDelayMs: [number, number];
  /** Seconds of the Fastify hello-world baseline at the run's webhook rate. */
  baselineSeconds: number;
}

const HELP = [
  'npm run bench:system-load -- [options]',
  '  --minutes N        minutes of mixed load                                  [10]',
  '  --scale X          multiple of seed-digest §10\'s profile (may be 0.5)      [10]',
  '  --agents N         simulated agents (socket.io, accept and reply)         [200]',
  '  --text-sessions N  chats per agent (campaign capacity)                    [5]',
  '  --think fast       short think times (development; default: human-like)',
  '  --baseline-seconds S  Fastify hello-world at the webhook rate             [15]',
  '  --quick            1 minute at scale 1 with 50 agents',
  '  --log-level L, --no-report, --help',
  '',
].join('\n');

function positiveNumber(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

/** Parses argv (without node and the script); prints the help and exits on --help, throws on a bad value. */
export function parseSystemLoadOptions(argv: string[]): SystemLoadOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string' },
      scale: { type: 'string' },
      agents: { type: 'string' },
      'text-sessions': { type: 'string' },
      think: { type: 'string', default: 'human' },
      'baseline-seconds': { type: 'string' },
      ...BENCH_FLAGS,
    },
    strict: true,
  });
  const flags = benchFlags(values, HELP);
  const quick = flags.quick;
  if (values.think !== 'human' && values.think !== 'fast') throw new Error('--think must be "human" or "fast"');
  const fast = values.think === 'fast';
  return {
    ...flags,
    minutes: positiveNumber(values.minutes, quick ? 1 : 10, 'minutes'),
    scale: positiveNumber(values.scale, quick ? 1 : 10, 'scale'),
    agents: int(values.agents, quick ? 50 : 200, 'agents'),
    textSessions: int(values['text-sessions'], 5, 'text-sessions'),
    // An agent reads the offer, then types an answer; a citizen reads it and types back.
    acceptDelayMs: fast ? [200, 600] : [1000, 3000],
    replyDelayMs: fast ? [300, 900] : [2000, 6000],
    citizenDelayMs: fast ? [300, 900] : [3000, 10_000],
    baselineSeconds: int(values['baseline-seconds'], quick ? 5 : 15, 'baseline-seconds'),
  };
}
