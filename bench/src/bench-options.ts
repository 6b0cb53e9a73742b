/**
 * The command-line flags every benchmark has, spread into its parseArgs options:
 * `--quick` (small sizes), `--log-level L` (LOG_LEVEL of the hub processes), `--no-report`
 * (print the summary only) and `--help`.
 */
export const BENCH_FLAGS = {
  quick: { type: 'boolean', default: false },
  'log-level': { type: 'string', default: 'warn' },
  'no-report': { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

export interface BenchFlags {
  quick: boolean;
  logLevel: string;
  report: boolean;
}

/** Prints `help` and exits on --help; otherwise the values of the common flags. */
export function benchFlags(values: { quick: boolean; 'log-level': string; 'no-report': boolean; help: boolean }, help: string): BenchFlags {
  if (values.help) {
    process.stdout.write(help);
    process.exit(0);
  }
  return { quick: values.quick, logLevel: values['log-level'], report: !values['no-report'] };
}

/** The value of `--<name>`, `fallback` when it is absent; throws unless it is a positive integer. */
export function positiveInt(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
}
